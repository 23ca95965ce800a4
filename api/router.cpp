#include "api/router.h"

#include <exception>
#include <optional>
#include <string>

#include "api/errors.h"

namespace jingsai::api {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](size_t at) { return static_cast<unsigned char>(text[at]); };
    const unsigned char lead = byte(i);
    size_t length = 0;
    unsigned int min = 0;
    unsigned int code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2, min = 0x80, code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, min = 0x800, code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, code = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return false;
      code = (code << 6) | (byte(i + k) & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

// Path and query arrive percent-decoded; what they decode to is echoed in
// answers (file names, error messages), which must stay valid UTF-8 JSON.
// Returns what is not UTF-8: "path", or the name of a query parameter.
std::optional<std::string> NonUtf8Part(const Request& request) {
  if (!IsValidUtf8(request.path)) return "path";
  for (const auto& [key, value] : request.query) {
    if (!IsValidUtf8(key)) return "query";
    if (!IsValidUtf8(value)) return key;
  }
  return std::nullopt;
}

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  std::vector<std::string> segments;
  for (std::string_view segment : SplitPath(pattern)) segments.emplace_back(segment);
  routes_.push_back(
      {std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

bool Router::Match(const Route& route, const std::vector<std::string_view>& segments,
                   PathParams& params) {
  if (route.segments.size() != segments.size()) return false;
  PathParams found;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& expected = route.segments[i];
    if (IsParameter(expected)) {
      found[expected.substr(1, expected.size() - 2)] = std::string(segments[i]);
    } else if (expected != segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

void Router::Dispatch(Request request, Respond respond) const {
  if (std::optional<std::string> part = NonUtf8Part(request)) {
    respond(ErrorResponse(engine::Error::BadRequest("请求路径或查询参数不是有效的 UTF-8",
                                                    {{*part, "须为 UTF-8 编码", ""}})));
    return;
  }
  std::vector<std::string_view> segments = SplitPath(request.path);
  std::string allowed;
  for (const Route& route : routes_) {
    PathParams params;
    if (!Match(route, segments, params)) continue;
    if (route.method != request.method) {
      allowed += (allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    try {
      route.handler(std::move(request), std::move(params), respond);
    } catch (const std::exception& e) {
      respond(InternalErrorResponse(e.what()));
    }
    return;
  }
  if (!allowed.empty()) {
    Response response =
        ErrorResponse(engine::Error::BadRequest("该路径不支持 " + request.method + " 方法"), 405);
    response.headers.emplace_back("Allow", allowed);
    respond(std::move(response));
    return;
  }
  respond(ErrorResponse(engine::Error::NotFound("没有这个资源：" + request.path)));
}

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> routes;
  for (const Route& route : routes_) routes.push_back({route.method, route.pattern});
  return routes;
}

}  // namespace jingsai::api
