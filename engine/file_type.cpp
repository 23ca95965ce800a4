#include "engine/file_type.h"

namespace jingsai::engine {
namespace {

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

// Office Open XML files are ZIP archives; the entry names of their local
// file headers say which kind ("word/..." or "xl/..."). The names are stored
// uncompressed, so a plain search finds them.
std::optional<std::string> SniffOfficeZip(std::string_view bytes) {
  if (bytes.find("[Content_Types].xml") == std::string_view::npos) return std::nullopt;
  if (bytes.find("word/") != std::string_view::npos) return std::string(kTypeDocx);
  if (bytes.find("xl/") != std::string_view::npos) return std::string(kTypeXlsx);
  return std::nullopt;
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
