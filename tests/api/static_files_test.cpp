// The web app at /admin/: every embedded file of admin-ui/ is served with its
// type, charset, caching validators and the Content-Security-Policy, and no
// request path, however encoded, reads anything else.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "api/embedded_files.h"
#include "tests/api/raw_http_client.h"
#include "tests/support/test_server.h"

namespace jingsai::testing {
namespace {

TestServer::Options PlainOptions() {
  TestServer::Options options;
  options.demo = false;
  return options;
}

class StaticFiles : public ::testing::Test {
 protected:
  StaticFiles() : server_(PlainOptions()) {}

  std::optional<RawResponse> RoundTrip(const std::string& target) {
    RawConnection connection(server_.port());
    EXPECT_TRUE(connection.connected());
    EXPECT_TRUE(connection.Send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    return connection.ReadResponse();
  }

  TestServer server_;
};

TEST_F(StaticFiles, TheAppIsEmbedded) {
  std::vector<std::string> names;
  for (const api::EmbeddedFile& file : api::AdminUiFiles()) names.emplace_back(file.name);
  for (const char* expected : {"index.html", "app.js", "api.js", "style.css"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST_F(StaticFiles, EveryFileIsServedAsEmbeddedWithItsType) {
  for (const api::EmbeddedFile& file : api::AdminUiFiles()) {
    const std::string name(file.name);
    HttpResult result = server_.Get("/admin/" + name);
    ASSERT_EQ(result.status, 200) << name;
    EXPECT_EQ(result.body, file.contents) << name;
    const std::string type = result.Header("content-type");
    if (name.ends_with(".html")) {
      EXPECT_EQ(type, "text/html; charset=utf-8") << name;
    } else if (name.ends_with(".js")) {
      EXPECT_EQ(type, "text/javascript; charset=utf-8") << name;
    } else if (name.ends_with(".css")) {
      EXPECT_EQ(type, "text/css; charset=utf-8") << name;
    } else if (name.ends_with(".svg")) {
      EXPECT_EQ(type, "image/svg+xml") << name;
    } else {
      ADD_FAILURE() << "admin-ui holds a file of no known type: " << name;
    }
    EXPECT_EQ(result.Header("x-content-type-options"), "nosniff") << name;
    EXPECT_EQ(result.Header("cache-control"), "no-cache") << name;
  }
}

TEST_F(StaticFiles, TheIndexDeclaresChineseAndUtf8) {
  HttpResult index = server_.Get("/admin/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(index.body.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_EQ(index.body, server_.Get("/admin/index.html").body);
}

TEST_F(StaticFiles, AdminWithoutSlashRedirects) {
  HttpResult result = server_.Get("/admin");
  EXPECT_EQ(result.status, 301);
  EXPECT_EQ(result.Header("location"), "/admin/");
}

TEST_F(StaticFiles, ContentSecurityPolicyForbidsInlineScriptAndOtherOrigins) {
  HttpResult result = server_.Get("/admin/");
  const std::string policy = result.Header("content-security-policy");
  EXPECT_NE(policy.find("default-src 'self'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("script-src 'self';"), std::string::npos) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("http"), std::string::npos) << policy;
  EXPECT_EQ(policy.find('*'), std::string::npos) << policy;
}

TEST_F(StaticFiles, ETagIsTheContentHashAndAnswers304) {
  HttpResult first = server_.Get("/admin/app.js");
  const std::string etag = first.Header("etag");
  ASSERT_EQ(etag.size(), 34u) << etag;  // 32 hex digits in quotes
  EXPECT_EQ(server_.Get("/admin/app.js").Header("etag"), etag);
  EXPECT_NE(server_.Get("/admin/style.css").Header("etag"), etag);

  HttpResult again = server_.Request("GET", "/admin/app.js", "", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.Header("etag"), etag);

  HttpResult listed =
      server_.Request("GET", "/admin/app.js", "", "", {{"If-None-Match", "\"00\", W/" + etag}});
  EXPECT_EQ(listed.status, 304);

  HttpResult stale =
      server_.Request("GET", "/admin/app.js", "", "", {{"If-None-Match", "\"stale\""}});
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.body, first.body);
}

TEST_F(StaticFiles, UnknownFilesAreTheJson404) {
  for (const std::string target : {"/admin/missing.js", "/admin/app.js.map", "/admin/.git",
                                   "/admin/sub/app.js", "/admin/APP.JS"}) {
    HttpResult result = server_.Get(target);
    EXPECT_EQ(result.status, 404) << target;
    EXPECT_EQ(result.ErrorCode(), "not_found") << target;
  }
}

TEST_F(StaticFiles, TraversalNeverReadsOutsideTheApp) {
  const std::vector<std::string> targets = {
      "/admin/../api/openapi.json",
      "/admin/../../../../etc/passwd",
      "/admin/%2e%2e/%2e%2e/etc/passwd",
      "/admin/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/admin/..%2f..%2fCMakeLists.txt",
      "/admin/..%5c..%5cetc%5cpasswd",
      "/admin/%2e%2e%5cCMakeLists.txt",
      "/admin/..%252f..%252fetc%252fpasswd",
      "/admin/%2e%2e",
      "/admin/..",
      "/admin/.",
      "/admin/index.html%00.js",
      "/admin/%2fetc%2fpasswd",
      "/admin//etc/passwd",
      "/admin/embedded_admin_ui_files.cpp",
      "/admin/static_files.cpp",
  };
  for (const std::string& target : targets) {
    std::optional<RawResponse> response = RoundTrip(target);
    ExpectPathRefused(response, target);
    if (response) {
      EXPECT_EQ(response->body.find("cmake_minimum_required"), std::string::npos) << target;
    }
  }
  // A path that only decodes to an app file still yields that app file, nothing else.
  std::optional<RawResponse> encoded = RoundTrip("/admin/app%2ejs");
  ASSERT_TRUE(encoded.has_value());
  EXPECT_EQ(encoded->status, 200);
  EXPECT_EQ(encoded->body, server_.Get("/admin/app.js").body);
}

}  // namespace
}  // namespace jingsai::testing
