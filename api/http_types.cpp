#include "api/http_types.h"

#include <cctype>

namespace jingsai::api {

std::optional<std::string> Request::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string MediaTypeOf(std::string_view content_type) {
  std::string type(TrimSpaces(content_type.substr(0, content_type.find(';'))));
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

std::vector<EntityTag> EntityTags(std::string_view header) {
  std::vector<EntityTag> tags;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view member = TrimSpaces(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (member.empty()) continue;
    const bool weak = member.starts_with("W/");
    if (weak) member.remove_prefix(2);
    tags.push_back({member, weak});
  }
  return tags;
}

}  // namespace jingsai::api
