// User administration over HTTP: an administrator changes a user's display
// name, password, roles or disabled flag; disabling or a new password ends
// the user's sessions. Logout and the login rate limit end sessions too.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "tests/api/flow_admin_fixture.h"

namespace jingsai::testing {
namespace {

class UserAdmin : public FlowAdminTest {
 protected:
  HttpResult Login(const std::string& username, const std::string& password) {
    return server().Post("/api/v1/auth/login", {{"username", username}, {"password", password}});
  }

  void ExpectRefused(const HttpResult& result, int status, const std::string& code,
                     const std::vector<std::string>& paths = {}) {
    EXPECT_EQ(result.status, status) << result.body;
    EXPECT_EQ(result.ErrorCode(), code) << result.body;
    EXPECT_EQ(ErrorPaths(result), paths) << result.body;
  }

  static std::string RolesOf(const boost::json::value& user) {
    std::string roles;
    for (const boost::json::value& role : user.at("roles").as_array()) {
      roles += Str(role, "role") + "@" + Str(role, "org") + ";";
    }
    return roles;
  }
};

TEST_F(UserAdmin, DisablingEndsSessionsAndLogins) {
  std::string token = Token("jiajiang-reviewer");
  ASSERT_EQ(server().Get("/api/v1/me", token).status, 200);

  HttpResult disabled = PatchUser("jiajiang-reviewer", {{"disabled", true}}, Token("admin"));
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(Str(disabled.json, "username"), "jiajiang-reviewer");
  EXPECT_EQ(Str(disabled.json, "display_name"), "夹江县总工会审核员");
  EXPECT_TRUE(disabled.json.at("disabled").as_bool());
  EXPECT_EQ(RolesOf(disabled.json), "reviewer@jiajiang;");

  ExpectRefused(server().Get("/api/v1/me", token), 401, "unauthenticated");
  ExpectRefused(server().Get("/api/v1/tasks", token), 401, "unauthenticated");
  HttpResult login = Login("jiajiang-reviewer", "jingsai-demo");
  ExpectRefused(login, 401, "unauthenticated");
  EXPECT_EQ(Str(login.json, "token"), "");

  HttpResult user = server().Get("/api/v1/users/jiajiang-reviewer", Token("admin"));
  ASSERT_EQ(user.status, 200) << user.body;
  EXPECT_TRUE(user.json.at("disabled").as_bool());

  // Enabled again, the user logs in; the old session stays ended.
  HttpResult enabled = PatchUser("jiajiang-reviewer", {{"disabled", false}}, Token("admin"));
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_FALSE(enabled.json.at("disabled").as_bool());
  HttpResult again = Login("jiajiang-reviewer", "jingsai-demo");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(server().Get("/api/v1/me", Str(again.json, "token")).status, 200);
  ExpectRefused(server().Get("/api/v1/me", token), 401, "unauthenticated");
}

TEST_F(UserAdmin, ADisabledReviewerIsLeftOffNewPanels) {
  CreateJiajiangReviewer("jiajiang-reviewer2");
  ASSERT_EQ(PublishCountyWith("county_review", "approvals", {{"mode", "all"}}), 2);
  ASSERT_EQ(PatchUser("jiajiang-reviewer2", {{"disabled", true}}, Token("admin")).status, 200);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  // Only one approver is left, so the stage decides as a single reviewer.
  boost::json::value item = Item(Token("admin"), id);
  ASSERT_TRUE(item.as_object().contains("approvals")) << item;
  EXPECT_EQ(boost::json::serialize(item.at("approvals")),
            R"({"needed":1,"approvers":["jiajiang-reviewer"],"approved":[],"returned":[]})");
  EXPECT_EQ(Str(ActOk(Token("jiajiang-reviewer"), id, "approve"), "stage"), "city_review");
}

TEST_F(UserAdmin, ANewRoleTakesEffectAtOnce) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  std::string token = Token("voter1");
  ExpectRefused(Act(token, id, "approve"), 403, "forbidden");

  HttpResult changed = PatchUser(
      "voter1",
      {{"roles",
        boost::json::array{boost::json::object{{"role", "voter"}, {"org", "leshan"}},
                           boost::json::object{{"role", "reviewer"}, {"org", "jiajiang"}}}}},
      Token("admin"));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(RolesOf(changed.json), "voter@leshan;reviewer@jiajiang;");

  // The same session acts with the new role.
  EXPECT_EQ(Tasks(token), std::vector<int64_t>{id});
  EXPECT_EQ(Str(ActOk(token, id, "approve"), "stage"), "city_review");
  HttpResult me = server().Get("/api/v1/me", token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(RolesOf(me.json), "voter@leshan;reviewer@jiajiang;");
}

TEST_F(UserAdmin, AReviewerMovedToAnotherCountyLosesTheOldOne) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  std::string token = Token("jiajiang-reviewer");
  HttpResult changed = PatchUser("jiajiang-reviewer",
                                 {{"roles", boost::json::array{boost::json::object{
                                                {"role", "reviewer"}, {"org", "shizhong"}}}}},
                                 Token("admin"));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(RolesOf(changed.json), "reviewer@shizhong;");
  // The jiajiang item is no longer theirs to see, let alone approve.
  ExpectRefused(Act(token, id, "approve"), 404, "not_found");
  EXPECT_EQ(Tasks(token), std::vector<int64_t>{});
  // A shizhong item is.
  int64_t shizhong = SubmittedReport("shizhong-submitter", "shizhong-power");
  EXPECT_EQ(Tasks(token), std::vector<int64_t>{shizhong});
}

TEST_F(UserAdmin, ARoleThatOnlySeesDoesNotAct) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  std::string token = Token("jiajiang-reviewer");
  HttpResult changed = PatchUser(
      "jiajiang-reviewer",
      {{"roles", boost::json::array{boost::json::object{{"role", "voter"}, {"org", "leshan"}}}}},
      Token("admin"));
  ASSERT_EQ(changed.status, 200) << changed.body;
  // A voter at the city sees every item but reviews none.
  EXPECT_EQ(Item(token, id).at("allowed_actions"), boost::json::array{});
  ExpectRefused(Act(token, id, "approve"), 403, "forbidden");
  EXPECT_EQ(Tasks(token), std::vector<int64_t>{});
}

TEST_F(UserAdmin, ANewPasswordEndsEarlierSessions) {
  std::string first = Token("voter2");
  HttpResult second_login = Login("voter2", "jingsai-demo");
  ASSERT_EQ(second_login.status, 200);
  std::string second = Str(second_login.json, "token");

  HttpResult changed = PatchUser("voter2", {{"password", "a-new-secret-9"}}, Token("admin"));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_FALSE(changed.json.as_object().contains("password")) << changed.body;
  EXPECT_FALSE(changed.json.as_object().contains("password_hash")) << changed.body;

  ExpectRefused(server().Get("/api/v1/me", first), 401, "unauthenticated");
  ExpectRefused(server().Get("/api/v1/me", second), 401, "unauthenticated");
  ExpectRefused(Login("voter2", "jingsai-demo"), 401, "unauthenticated");
  HttpResult fresh = Login("voter2", "a-new-secret-9");
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(server().Get("/api/v1/me", Str(fresh.json, "token")).status, 200);
  // Other users keep their sessions.
  EXPECT_EQ(server().Get("/api/v1/me", Token("voter1")).status, 200);
}

TEST_F(UserAdmin, ANewDisplayNameKeepsTheSession) {
  std::string token = Token("voter3");
  HttpResult changed =
      PatchUser("voter3", {{"display_name", "评审委员三（续任）"}}, Token("admin"));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Str(changed.json, "display_name"), "评审委员三（续任）");
  EXPECT_FALSE(changed.json.at("disabled").as_bool());
  HttpResult me = server().Get("/api/v1/me", token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Str(me.json, "display_name"), "评审委员三（续任）");
  EXPECT_EQ(RolesOf(me.json), "voter@leshan;");
}

TEST_F(UserAdmin, OnlyAdminsChangeUsers) {
  for (const char* user : {"city-reviewer", "voter1"}) {
    ExpectRefused(PatchUser("voter1", {{"display_name", "自己改名"}}, Token(user)), 403,
                  "forbidden");
  }
  ExpectRefused(PatchUser("voter1", {{"disabled", true}}, ""), 401, "unauthenticated");
  EXPECT_EQ(server().Get("/api/v1/me", Token("voter1")).status, 200);
  EXPECT_EQ(Str(server().Get("/api/v1/me", Token("voter1")).json, "display_name"), "评审委员一");
}

TEST_F(UserAdmin, BadChangesAreNamed) {
  const std::string& admin = Token("admin");
  ExpectRefused(PatchUser("voter1", {{"email", "v1@example.com"}}, admin), 400, "bad_request",
                {"email"});
  ExpectRefused(PatchUser("voter1", {{"disabled", "yes"}}, admin), 400, "bad_request",
                {"disabled"});
  ExpectRefused(PatchUser("voter1", {{"password", "short"}}, admin), 400, "bad_request",
                {"password"});
  ExpectRefused(PatchUser("voter1", {{"display_name", "  "}}, admin), 400, "bad_request",
                {"display_name"});
  ExpectRefused(PatchUser("voter1",
                          {{"roles", boost::json::array{boost::json::object{{"role", "overlord"},
                                                                            {"org", "nowhere"}}}}},
                          admin),
                400, "bad_request", {"roles[0].role", "roles[0].org"});
  ExpectRefused(PatchUser("voter1", {{"roles", "reviewer"}}, admin), 400, "bad_request", {"roles"});
  HttpResult not_json = server().Request("PATCH", "/api/v1/users/voter1", "{", admin,
                                         {{"Content-Type", "application/json"}});
  EXPECT_EQ(not_json.status, 400) << not_json.body;
  EXPECT_EQ(not_json.ErrorCode(), "bad_request");

  // Nothing of a refused change is applied, not even its valid parts.
  ExpectRefused(PatchUser("voter1", {{"disabled", true}, {"email", "x"}}, admin), 400,
                "bad_request", {"email"});
  HttpResult user = server().Get("/api/v1/users/voter1", admin);
  ASSERT_EQ(user.status, 200);
  EXPECT_FALSE(user.json.at("disabled").as_bool());
  EXPECT_EQ(RolesOf(user.json), "voter@leshan;");
  EXPECT_EQ(Login("voter1", "jingsai-demo").status, 200);
}

TEST_F(UserAdmin, UnknownUserIsNotFound) {
  ExpectRefused(PatchUser("nobody-here", {{"disabled", true}}, Token("admin")), 404, "not_found");
}

TEST_F(UserAdmin, AnAdminDoesNotDisableThemselves) {
  const std::string& admin = Token("admin");
  ExpectRefused(PatchUser("admin", {{"disabled", true}}, admin), 409, "conflict");
  EXPECT_EQ(server().Get("/api/v1/me", admin).status, 200);
  HttpResult user = server().Get("/api/v1/users/admin", admin);
  EXPECT_FALSE(user.json.at("disabled").as_bool());
  // Other changes to oneself are fine.
  HttpResult renamed = PatchUser("admin", {{"display_name", "管理员"}}, admin);
  EXPECT_EQ(renamed.status, 200) << renamed.body;
}

TEST_F(UserAdmin, AnAdminDoesNotDropTheirOwnAdminRole) {
  const std::string& admin = Token("admin");
  ExpectRefused(PatchUser("admin",
                          {{"roles", boost::json::array{boost::json::object{{"role", "reviewer"},
                                                                            {"org", "leshan"}}}}},
                          admin),
                409, "conflict");
  ExpectRefused(PatchUser("admin", {{"roles", boost::json::array{}}}, admin), 409, "conflict");
  HttpResult user = server().Get("/api/v1/users/admin", admin);
  ASSERT_EQ(user.status, 200) << user.body;
  EXPECT_EQ(RolesOf(user.json), "admin@leshan;");
  // Adding a role beside it is fine.
  HttpResult added = PatchUser(
      "admin",
      {{"roles", boost::json::array{boost::json::object{{"role", "admin"}, {"org", "leshan"}},
                                    boost::json::object{{"role", "voter"}, {"org", "leshan"}}}}},
      admin);
  EXPECT_EQ(added.status, 200) << added.body;
}

TEST_F(UserAdmin, TheAdminRoleIsOnlyHeldAtTheCity) {
  // Admin endpoints are not scoped to a subtree, so an admin role at a county
  // would give a county user the whole city: it is refused, by POST and PATCH.
  ExpectRefused(CreateUserResult("county-admin", {{"admin", "jiajiang"}}), 400, "bad_request",
                {"roles[0].org"});
  EXPECT_EQ(server().Get("/api/v1/users/county-admin", Token("admin")).status, 404);
  ExpectRefused(PatchUser("jiajiang-reviewer",
                          {{"roles", boost::json::array{boost::json::object{{"role", "admin"},
                                                                            {"org", "jiajiang"}}}}},
                          Token("admin")),
                400, "bad_request", {"roles[0].org"});
  HttpResult user = server().Get("/api/v1/users/jiajiang-reviewer", Token("admin"));
  ASSERT_EQ(user.status, 200) << user.body;
  EXPECT_EQ(RolesOf(user.json), "reviewer@jiajiang;");
}

TEST_F(UserAdmin, AnAdminDisablesAnotherAdmin) {
  CreateUser("second-admin", {{"admin", "leshan"}});
  std::string token = Token("second-admin");
  ASSERT_EQ(PatchUser("voter1", {{"display_name", "委员一"}}, token).status, 200);
  HttpResult disabled = PatchUser("second-admin", {{"disabled", true}}, Token("admin"));
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  ExpectRefused(PatchUser("voter1", {{"display_name", "委员一号"}}, token), 401, "unauthenticated");
}

TEST_F(UserAdmin, LogoutEndsTheSession) {
  std::string token = Token("city-reviewer");
  HttpResult other_login = Login("city-reviewer", "jingsai-demo");
  ASSERT_EQ(other_login.status, 200);
  HttpResult logout = server().Post("/api/v1/auth/logout", boost::json::object{}, token);
  EXPECT_EQ(logout.status, 204) << logout.body;
  ExpectRefused(server().Get("/api/v1/me", token), 401, "unauthenticated");
  ExpectRefused(server().Post("/api/v1/auth/logout", boost::json::object{}, token), 401,
                "unauthenticated");
  // Only that session ends.
  EXPECT_EQ(server().Get("/api/v1/me", Str(other_login.json, "token")).status, 200);
}

TEST_F(UserAdmin, RepeatedWrongPasswordsAreRateLimited) {
  for (int i = 0; i < 10; ++i) {
    HttpResult wrong = Login("shizhong-reviewer", "wrong-" + std::to_string(i));
    ASSERT_EQ(wrong.status, 401) << "attempt " << i << ": " << wrong.body;
    EXPECT_EQ(wrong.ErrorCode(), "unauthenticated");
  }
  HttpResult limited = Login("shizhong-reviewer", "jingsai-demo");
  ExpectRefused(limited, 429, "rate_limited");
  EXPECT_EQ(Str(limited.json, "token"), "");
  // The limit is per user: others log in.
  EXPECT_EQ(Login("shizhong-submitter", "jingsai-demo").status, 200);
}

TEST_F(UserAdmin, LoginsOfADisabledUserCountAsFailures) {
  ASSERT_EQ(PatchUser("voter3", {{"disabled", true}}, Token("admin")).status, 200);
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(Login("voter3", "jingsai-demo").status, 401) << "attempt " << i;
  }
  ExpectRefused(Login("voter3", "jingsai-demo"), 429, "rate_limited");
}

}  // namespace
}  // namespace jingsai::testing
