#include "engine/file_type.h"

#include <cstdint>
#include <vector>

namespace jingsai::engine {
namespace {

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

uint32_t Little(std::string_view bytes, size_t at, size_t width) {
  uint32_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    value |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

// The entry names of a ZIP archive, read from its central directory (the
// archive's own index at its end), or nothing when the archive is malformed.
std::optional<std::vector<std::string_view>> ZipEntryNames(std::string_view bytes) {
  constexpr size_t kEndRecord = 22;        // fixed part of the end-of-directory record
  constexpr size_t kMaxComment = 0xFFFF;   // the record may be followed by a comment
  constexpr size_t kDirectoryHeader = 46;  // fixed part of a central directory entry
  if (bytes.size() < kEndRecord) return std::nullopt;
  const size_t lowest =
      bytes.size() > kEndRecord + kMaxComment ? bytes.size() - kEndRecord - kMaxComment : 0;
  for (size_t end = bytes.size() - kEndRecord + 1; end-- > lowest;) {
    if (bytes.substr(end, 4) != std::string_view("PK\x05\x06", 4)) continue;
    const uint32_t entries = Little(bytes, end + 10, 2);
    const uint32_t size = Little(bytes, end + 12, 4);
    const uint32_t offset = Little(bytes, end + 16, 4);
    if (static_cast<uint64_t>(offset) + size > end) return std::nullopt;
    std::vector<std::string_view> names;
    size_t at = offset;
    for (uint32_t i = 0; i < entries; ++i) {
      if (at + kDirectoryHeader > offset + size ||
          bytes.substr(at, 4) != std::string_view("PK\x01\x02", 4)) {
        return std::nullopt;
      }
      const size_t name_length = Little(bytes, at + 28, 2);
      const size_t extra_length = Little(bytes, at + 30, 2);
      const size_t comment_length = Little(bytes, at + 32, 2);
      if (at + kDirectoryHeader + name_length > offset + size) return std::nullopt;
      names.push_back(bytes.substr(at + kDirectoryHeader, name_length));
      at += kDirectoryHeader + name_length + extra_length + comment_length;
    }
    return names;
  }
  return std::nullopt;
}

// Office Open XML files are ZIP archives whose index names
// [Content_Types].xml and the parts of a document ("word/...") or a
// workbook ("xl/...").
std::optional<std::string> SniffOfficeZip(std::string_view bytes) {
  std::optional<std::vector<std::string_view>> names = ZipEntryNames(bytes);
  if (!names) return std::nullopt;
  bool content_types = false, word = false, excel = false;
  for (std::string_view name : *names) {
    content_types = content_types || name == "[Content_Types].xml";
    word = word || StartsWith(name, "word/");
    excel = excel || StartsWith(name, "xl/");
  }
  if (!content_types || word == excel) return std::nullopt;
  return std::string(word ? kTypeDocx : kTypeXlsx);
}

}  // namespace

std::optional<std::string> SniffContentType(std::string_view bytes) {
  if (StartsWith(bytes, "\xFF\xD8\xFF")) return std::string(kTypeJpeg);
  if (StartsWith(bytes, "\x89PNG\r\n\x1A\n")) return std::string(kTypePng);
  if (StartsWith(bytes, "%PDF-")) return std::string(kTypePdf);
  if (StartsWith(bytes, std::string_view("PK\x03\x04", 4))) return SniffOfficeZip(bytes);
  return std::nullopt;
}

bool IsKnownEvidenceKind(std::string_view kind) {
  return kind == "photo" || kind == "document" || kind == "certificate" || kind == "patent_receipt";
}

bool IsAllowedForKind(std::string_view kind, std::string_view content_type) {
  if (kind == "photo") return content_type == kTypeJpeg || content_type == kTypePng;
  return IsKnownEvidenceKind(kind);
}

}  // namespace jingsai::engine
