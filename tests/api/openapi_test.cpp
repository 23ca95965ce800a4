#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/test_server.h"

namespace jingsai::testing {
namespace {

// OpenAPI writes {id} where our router writes {id}: the same template syntax.
TEST(OpenApi, DescribesEveryRouteTheRouterKnows) {
  TestServer server;
  HttpResult result = server.Get("/api/v1/openapi.json");
  ASSERT_EQ(result.status, 200);
  const boost::json::object& paths = result.json.at("paths").as_object();
  for (const api::RouteInfo& route : server.app().router().Routes()) {
    const boost::json::value* path = paths.if_contains(route.pattern);
    ASSERT_NE(path, nullptr) << "openapi.json lacks the path " << route.pattern;
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(path->as_object().if_contains(method), nullptr)
        << "openapi.json lacks " << route.method << " " << route.pattern;
  }
}

TEST(OpenApi, IsServedWithoutToken) {
  TestServer server;
  EXPECT_EQ(server.Get("/api/v1/openapi.json").status, 200);
  EXPECT_EQ(server.Get("/healthz").json.at("status").as_string(), "ok");
}

}  // namespace
}  // namespace jingsai::testing
