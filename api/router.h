// Router: maps (method, path) to a handler. Patterns are literal segments and
// {name} parameters: "/api/v1/submissions/{id}/actions". Knows nothing of
// sockets; the session hands it plain Requests.
//
// Thread-safety: routes are added before serving; Dispatch is then const and
// may run on any thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"

namespace jingsai::api {

using PathParams = std::map<std::string, std::string>;
using Handler = std::function<void(Request, PathParams, Respond)>;

struct RouteInfo {
  std::string method;
  std::string pattern;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);

  // Calls the matching handler, or answers 404 (no such path) / 405 (path
  // known, method not). Handler exceptions become a 500 JSON error.
  void Dispatch(Request request, Respond respond) const;

  std::vector<RouteInfo> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool Match(const Route& route, const std::vector<std::string_view>& segments,
                    PathParams& params);

  std::vector<Route> routes_;
};

}  // namespace jingsai::api
