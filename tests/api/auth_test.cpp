// Identity: logging in and out, the current user, and what a request without
// a valid token gets.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "engine/time_format.h"
#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

using namespace std::chrono_literals;

class Auth : public ApiTest {};

HttpResult LoginResult(TestServer& server, const std::string& username,
                       const std::string& password) {
  return server.Post("/api/v1/auth/login", {{"username", username}, {"password", password}});
}

TEST_F(Auth, LoginAnswersTokenExpiryAndRoles) {
  HttpResult login = LoginResult(server(), "jiajiang-reviewer", "jingsai-demo");
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_GE(Str(login.json, "token").size(), 32u);
  EXPECT_NE(engine::ParseTime(Str(login.json, "expires_at")), std::nullopt)
      << Str(login.json, "expires_at");
  const boost::json::value& user = login.json.at("user");
  EXPECT_EQ(Str(user, "username"), "jiajiang-reviewer");
  EXPECT_EQ(Str(user, "display_name"), "夹江县总工会审核员");
  const boost::json::array& roles = user.at("roles").as_array();
  ASSERT_EQ(roles.size(), 1u);
  EXPECT_EQ(Str(roles[0], "role"), "reviewer");
  EXPECT_EQ(Str(roles[0], "org"), "jiajiang");
  EXPECT_EQ(login.body.find("password"), std::string::npos) << login.body;
}

TEST_F(Auth, EachLoginGetsItsOwnToken) {
  std::string first = server().LoginDemo("voter1");
  std::string second = server().LoginDemo("voter1");
  EXPECT_NE(first, second);
  EXPECT_EQ(server().Get("/api/v1/me", first).status, 200);
  EXPECT_EQ(server().Get("/api/v1/me", second).status, 200);
}

TEST_F(Auth, AdminLogsInWithTheConfiguredPassword) {
  HttpResult login = LoginResult(server(), "admin", "admin-password");
  ASSERT_EQ(login.status, 200) << login.body;
  const boost::json::array& roles = login.json.at("user").at("roles").as_array();
  ASSERT_EQ(roles.size(), 1u);
  EXPECT_EQ(Str(roles[0], "role"), "admin");
  EXPECT_EQ(Str(roles[0], "org"), "leshan");
}

TEST_F(Auth, WrongPasswordIsUnauthenticated) {
  HttpResult login = LoginResult(server(), "jiajiang-reviewer", "jingsai-dem0");
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(login.ErrorCode(), "unauthenticated");
  EXPECT_FALSE(login.json.at("error").as_object().contains("token"));
  EXPECT_EQ(login.body.find("token\""), std::string::npos) << login.body;
}

TEST_F(Auth, UnknownUserGetsTheSameAnswerAsAWrongPassword) {
  HttpResult unknown = LoginResult(server(), "nobody", "jingsai-demo");
  HttpResult wrong = LoginResult(server(), "voter2", "not-the-password");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.ErrorCode(), "unauthenticated");
  EXPECT_EQ(unknown.body, wrong.body);
}

TEST_F(Auth, LoginWithoutFieldsNamesThem) {
  HttpResult login = server().Post("/api/v1/auth/login", {{"username", 7}});
  EXPECT_EQ(login.status, 400);
  EXPECT_EQ(login.ErrorCode(), "bad_request");
  std::set<std::string> paths;
  for (const boost::json::value& detail : login.json.at("error").at("details").as_array()) {
    paths.insert(Str(detail, "path"));
  }
  EXPECT_EQ(paths, (std::set<std::string>{"username", "password"}));
}

TEST_F(Auth, MeIsTheCurrentUser) {
  HttpResult me = server().Get("/api/v1/me", Token("transit-submitter"));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Str(me.json, "username"), "transit-submitter");
  EXPECT_EQ(Str(me.json, "display_name"), "市公交集团填报员");
  const boost::json::array& roles = me.json.at("roles").as_array();
  ASSERT_EQ(roles.size(), 1u);
  EXPECT_EQ(Str(roles[0], "role"), "submitter");
  EXPECT_EQ(Str(roles[0], "org"), "city-transit");
}

TEST_F(Auth, MissingTokenIsUnauthenticated) {
  for (const char* target : {"/api/v1/me", "/api/v1/submissions", "/api/v1/tasks", "/api/v1/orgs",
                             "/api/v1/flows", "/api/v1/campaigns"}) {
    HttpResult result = server().Get(target);
    EXPECT_EQ(result.status, 401) << target;
    EXPECT_EQ(result.ErrorCode(), "unauthenticated") << target;
  }
}

TEST_F(Auth, GarbageTokenIsUnauthenticated) {
  HttpResult result = server().Get("/api/v1/me", "not-a-token");
  EXPECT_EQ(result.status, 401);
  EXPECT_EQ(result.ErrorCode(), "unauthenticated");
  EXPECT_EQ(result.Header("www-authenticate"), "Bearer");
}

TEST_F(Auth, TokenOutsideABearerHeaderIsUnauthenticated) {
  std::string token = Token("voter3");
  HttpResult basic = server().Request("GET", "/api/v1/me", "", "", {{"Authorization", token}});
  EXPECT_EQ(basic.status, 401);
  HttpResult query = server().Get("/api/v1/me?token=" + token);
  EXPECT_EQ(query.status, 401);
}

TEST_F(Auth, LogoutEndsOnlyThatToken) {
  std::string kept = server().LoginDemo("voter1");
  std::string ended = server().LoginDemo("voter1");
  HttpResult logout = server().Request("POST", "/api/v1/auth/logout", "", ended);
  EXPECT_EQ(logout.status, 204) << logout.body;

  HttpResult after = server().Get("/api/v1/me", ended);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.ErrorCode(), "unauthenticated");
  EXPECT_EQ(server().Get("/api/v1/me", kept).status, 200);
  EXPECT_EQ(server().Request("POST", "/api/v1/auth/logout", "", ended).status, 401);
}

TEST_F(Auth, HealthNeedsNoToken) {
  HttpResult health = server().Get("/healthz");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(boost::json::serialize(health.json), R"({"status":"ok"})");
}

TEST_F(Auth, UnknownPathIsNotFound) {
  HttpResult result = server().Get("/api/v1/no-such-thing", Token("voter1"));
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.ErrorCode(), "not_found");
}

class AuthOnFixedClock : public ApiTest {
 protected:
  AuthOnFixedClock() : ApiTest(TestServer::Options::OnClockAt("2014-06-01T02:00:00Z")) {}
};

TEST_F(AuthOnFixedClock, TokenExpiresWhenItSays) {
  HttpResult login = LoginResult(server(), "city-reviewer", "jingsai-demo");
  ASSERT_EQ(login.status, 200) << login.body;
  std::optional<engine::TimePoint> expires = engine::ParseTime(Str(login.json, "expires_at"));
  ASSERT_NE(expires, std::nullopt) << login.body;
  EXPECT_GT(*expires, *engine::ParseTime("2014-06-01T02:00:00Z"));

  std::string token = Str(login.json, "token");
  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
      *expires - *engine::ParseTime("2014-06-01T02:00:00Z"));
  server().Advance(remaining - 1s);
  EXPECT_EQ(server().Get("/api/v1/me", token).status, 200);
  server().Advance(2s);
  HttpResult expired = server().Get("/api/v1/me", token);
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(expired.ErrorCode(), "unauthenticated");
}

TEST_F(AuthOnFixedClock, RepeatedWrongPasswordsAreRateLimited) {
  for (int i = 0; i < 10; ++i) {
    HttpResult wrong = LoginResult(server(), "jiajiang-reviewer", "guess-" + std::to_string(i));
    ASSERT_EQ(wrong.status, 401) << "attempt " << i << ": " << wrong.body;
  }
  // Now even the right password waits.
  HttpResult limited = LoginResult(server(), "jiajiang-reviewer", "jingsai-demo");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.ErrorCode(), "rate_limited");
  // The client is told how long to wait (RFC 9110 Retry-After, in seconds).
  EXPECT_EQ(limited.Header("retry-after"), "900");
  EXPECT_FALSE(limited.json.at("error").as_object().contains("token"));
  EXPECT_EQ(Str(limited.json, "token"), "");

  // Other users are not affected.
  EXPECT_EQ(LoginResult(server(), "shizhong-reviewer", "jingsai-demo").status, 200);

  server().Advance(16min);
  HttpResult later = LoginResult(server(), "jiajiang-reviewer", "jingsai-demo");
  EXPECT_EQ(later.status, 200) << later.body;
}

TEST_F(AuthOnFixedClock, ASuccessfulLoginClearsEarlierFailures) {
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 9; ++i) {
      ASSERT_EQ(LoginResult(server(), "voter2", "wrong").status, 401);
    }
    ASSERT_EQ(LoginResult(server(), "voter2", "jingsai-demo").status, 200) << "round " << round;
  }
}

TEST_F(AuthOnFixedClock, UnknownUsernamesAreLimitedLikeKnownOnes) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(LoginResult(server(), "ghost", "wrong").status, 401);
  }
  EXPECT_EQ(LoginResult(server(), "ghost", "wrong").status, 429);
}

}  // namespace
}  // namespace jingsai::testing
