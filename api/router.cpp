#include "api/router.h"

#include <exception>

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
