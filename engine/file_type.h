// File type sniffing: what a file really is, from its first bytes, whatever
// its name or declared Content-Type says. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jingsai::engine {

inline constexpr std::string_view kTypeJpeg = "image/jpeg";
inline constexpr std::string_view kTypePng = "image/png";
inline constexpr std::string_view kTypePdf = "application/pdf";
inline constexpr std::string_view kTypeDocx =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
inline constexpr std::string_view kTypeXlsx =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// One of the five accepted types, or nullopt for anything else (executables,
// archives, unknown data).
std::optional<std::string> SniffContentType(std::string_view bytes);

// True when files of `content_type` may be attached as evidence of `kind`
// (photos are images; documents, certificates and receipts may be any).
bool IsAllowedForKind(std::string_view kind, std::string_view content_type);

bool IsKnownEvidenceKind(std::string_view kind);

}  // namespace jingsai::engine
