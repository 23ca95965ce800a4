#include "api/response_text.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <ostream>  // Beast's status.ipp writes to an ostream without including it
#include <string_view>

namespace jingsai::api {
namespace {

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ");
  size_t start = out.size();
  out.append(value);
  for (size_t i = start; i < out.size(); ++i) {
    if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
  }
  out.append("\r\n");
}

// Whether a later header of the handler's has the same name (it wins).
bool Superseded(const Response& response, size_t index) {
  for (size_t later = index + 1; later < response.headers.size(); ++later) {
    if (boost::beast::iequals(response.headers[later].first, response.headers[index].first)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool HasNoBody(int status) { return status < 200 || status == 204 || status == 304; }

bool IfNoneMatchNames(std::string_view if_none_match, std::string_view etag) {
  for (const EntityTag& candidate : EntityTags(if_none_match)) {
    if (candidate.tag == "*" || candidate.tag == etag) return true;
  }
  return false;
}

std::string ResponseHead(const Response& response, size_t body_size, bool keep_alive) {
  std::string out;
  out.reserve(256);
  const auto status = static_cast<boost::beast::http::status>(response.status);
  out.append("HTTP/1.1 ").append(std::to_string(response.status)).append(" ");
  out.append(boost::beast::http::obsolete_reason(status)).append("\r\n");
  out.append("Server: jingsai\r\n");
  // A handler's own Content-Type replaces the default: the header is sent once.
  bool handler_sets_type = false;
  for (const auto& [name, value] : response.headers) {
    if (boost::beast::iequals(name, "Content-Type")) handler_sets_type = true;
  }
  if (response.status != 204 && !handler_sets_type) {
    AppendHeader(out, "Content-Type", response.content_type);
  }
  bool has_cache_control = false;
  for (size_t i = 0; i < response.headers.size(); ++i) {
    const auto& [name, value] = response.headers[i];
    if (Superseded(response, i)) continue;
    if (boost::beast::iequals(name, "Cache-Control")) has_cache_control = true;
    AppendHeader(out, name, value);
  }
  if (!has_cache_control) out.append("Cache-Control: no-store\r\n");
  out.append("X-Content-Type-Options: nosniff\r\n");
  if (!keep_alive) out.append("Connection: close\r\n");
  if (!HasNoBody(response.status)) {
    out.append("Content-Length: ").append(std::to_string(body_size)).append("\r\n");
  }
  out.append("\r\n");
  return out;
}

}  // namespace jingsai::api
