// Organizations and users: the built-in tree, and what an admin adds to it.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

class AdminOrgsUsers : public ApiTest {
 protected:
  HttpResult CreateOrg(const boost::json::object& body, const std::string& who = "admin") {
    return server().Post("/api/v1/orgs", body, Token(who));
  }
  HttpResult CreateUser(const boost::json::object& body, const std::string& who = "admin") {
    return server().Post("/api/v1/users", body, Token(who));
  }
};

std::set<std::string> DetailPaths(const HttpResult& result) {
  std::set<std::string> paths;
  if (!result.json.is_object() || !result.json.as_object().contains("error")) return paths;
  for (const boost::json::value& detail : result.json.at("error").at("details").as_array()) {
    paths.insert(Str(detail, "path"));
  }
  return paths;
}

TEST_F(AdminOrgsUsers, TheRootAndTheThirteenCountiesAreBuiltIn) {
  HttpResult root = server().Get("/api/v1/orgs/leshan", Token("voter1"));
  ASSERT_EQ(root.status, 200) << root.body;
  EXPECT_EQ(Str(root.json, "name"), "乐山市总工会");
  EXPECT_EQ(Str(root.json, "level"), "city");
  EXPECT_TRUE(root.json.at("parent").is_null());

  HttpResult counties = server().Get("/api/v1/orgs?level=county", Token("voter1"));
  ASSERT_EQ(counties.status, 200) << counties.body;
  std::set<std::string> codes;
  for (const boost::json::value& org : counties.json.at("items").as_array()) {
    codes.insert(Str(org, "code"));
    EXPECT_EQ(Str(org, "parent"), "leshan");
  }
  EXPECT_EQ(codes, (std::set<std::string>{"shizhong", "shawan", "wutongqiao", "jinkouhe", "qianwei",
                                          "jingyan", "jiajiang", "muchuan", "ebian", "mabian",
                                          "emeishan", "gaoxin", "jingqu"}));
  EXPECT_TRUE(counties.json.at("next_cursor").is_null());
}

TEST_F(AdminOrgsUsers, OrgListFilters) {
  HttpResult units = server().Get("/api/v1/orgs?parent=jiajiang", Token("voter1"));
  ASSERT_EQ(units.status, 200) << units.body;
  ASSERT_EQ(units.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(units.json.at("items").as_array()[0], "code"), "jiajiang-ceramics");

  HttpResult city_units = server().Get("/api/v1/orgs?parent=leshan&level=unit", Token("voter1"));
  ASSERT_EQ(city_units.status, 200) << city_units.body;
  ASSERT_EQ(city_units.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(city_units.json.at("items").as_array()[0], "code"), "city-transit");

  HttpResult empty = server().Get("/api/v1/orgs?parent=&level=", Token("voter1"));
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.json.at("items").as_array().size(), 17u);

  HttpResult unknown = server().Get("/api/v1/orgs?parent=nowhere", Token("voter1"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.ErrorCode(), "bad_request");

  HttpResult no_level = server().Get("/api/v1/orgs?level=planet", Token("voter1"));
  EXPECT_EQ(no_level.status, 400);
  EXPECT_EQ(no_level.ErrorCode(), "bad_request");
  EXPECT_EQ(DetailPaths(no_level), std::set<std::string>{"level"});
}

TEST_F(AdminOrgsUsers, ANameMustBeReadableText) {
  const std::string with_nul = std::string("夹江") + '\0' + "造纸";
  for (const std::string& name : {std::string("   "), std::string("　"), with_nul,
                                  std::string("夹江\n造纸"), std::string("夹江\x7f造纸")}) {
    HttpResult created = CreateOrg(
        {{"code", "jiajiang-paper"}, {"name", name}, {"level", "unit"}, {"parent", "jiajiang"}});
    EXPECT_EQ(created.status, 400) << name;
    EXPECT_EQ(DetailPaths(created), std::set<std::string>{"name"}) << name;
  }
  EXPECT_EQ(server().Get("/api/v1/orgs/jiajiang-paper", Token("voter1")).status, 404);
}

TEST_F(AdminOrgsUsers, ACountyShowsItsUnits) {
  HttpResult county = server().Get("/api/v1/orgs/jiajiang", Token("jiajiang-submitter"));
  ASSERT_EQ(county.status, 200) << county.body;
  EXPECT_EQ(Str(county.json, "name"), "夹江县总工会");
  EXPECT_EQ(Str(county.json, "level"), "county");
  EXPECT_EQ(Str(county.json, "parent"), "leshan");
  const boost::json::array& children = county.json.at("children").as_array();
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(Str(children[0], "code"), "jiajiang-ceramics");

  HttpResult missing = server().Get("/api/v1/orgs/nowhere", Token("jiajiang-submitter"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.ErrorCode(), "not_found");
}

TEST_F(AdminOrgsUsers, AdminCreatesAUnitUnderACounty) {
  HttpResult created = CreateOrg({{"code", "jiajiang-paper"},
                                  {"name", "夹江县造纸厂工会"},
                                  {"level", "unit"},
                                  {"parent", "jiajiang"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json, "code"), "jiajiang-paper");
  EXPECT_EQ(Str(created.json, "name"), "夹江县造纸厂工会");
  EXPECT_EQ(Str(created.json, "level"), "unit");
  EXPECT_EQ(Str(created.json, "parent"), "jiajiang");
  EXPECT_EQ(created.json.at("city_direct"), boost::json::value(false));
  EXPECT_EQ(created.Header("location"), "/api/v1/orgs/jiajiang-paper");

  HttpResult read = server().Get("/api/v1/orgs/jiajiang-paper", Token("voter1"));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Str(read.json, "name"), "夹江县造纸厂工会");
  EXPECT_EQ(Str(read.json, "parent"), "jiajiang");
}

TEST_F(AdminOrgsUsers, AdminCreatesACityDirectUnit) {
  HttpResult created = CreateOrg({{"code", "city-water"},
                                  {"name", "乐山市自来水公司工会"},
                                  {"level", "unit"},
                                  {"parent", "leshan"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json, "parent"), "leshan");
  EXPECT_EQ(created.json.at("city_direct"), boost::json::value(true));
}

TEST_F(AdminOrgsUsers, ACountyUnionIsNoCityDirectUnit) {
  HttpResult county = server().Get("/api/v1/orgs/jiajiang", Token("voter1"));
  ASSERT_EQ(county.status, 200) << county.body;
  EXPECT_EQ(county.json.at("city_direct"), boost::json::value(false));
  HttpResult unit = server().Get("/api/v1/orgs/city-transit", Token("voter1"));
  ASSERT_EQ(unit.status, 200) << unit.body;
  EXPECT_EQ(unit.json.at("city_direct"), boost::json::value(true));
}

TEST_F(AdminOrgsUsers, DuplicateOrgCodeIsAConflict) {
  HttpResult duplicate = CreateOrg({{"code", "jiajiang-ceramics"},
                                    {"name", "另一个工会"},
                                    {"level", "unit"},
                                    {"parent", "shizhong"}});
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.ErrorCode(), "conflict");
  HttpResult kept = server().Get("/api/v1/orgs/jiajiang-ceramics", Token("voter1"));
  EXPECT_EQ(Str(kept.json, "parent"), "jiajiang");
  EXPECT_EQ(Str(kept.json, "name"), "夹江县建筑陶瓷有限公司工会");
}

TEST_F(AdminOrgsUsers, BadLevelOrParentIsABadRequest) {
  HttpResult level = CreateOrg(
      {{"code", "x-unit"}, {"name", "某工会"}, {"level", "province"}, {"parent", "jiajiang"}});
  EXPECT_EQ(level.status, 400);
  EXPECT_EQ(level.ErrorCode(), "bad_request");
  EXPECT_EQ(DetailPaths(level), (std::set<std::string>{"level"}));

  HttpResult parent =
      CreateOrg({{"code", "x-unit"}, {"name", "某工会"}, {"level", "unit"}, {"parent", "nowhere"}});
  EXPECT_EQ(parent.status, 400);
  EXPECT_EQ(DetailPaths(parent), (std::set<std::string>{"parent"}));

  HttpResult county_in_county = CreateOrg(
      {{"code", "x-county"}, {"name", "某县总工会"}, {"level", "county"}, {"parent", "jiajiang"}});
  EXPECT_EQ(county_in_county.status, 400);
  EXPECT_EQ(DetailPaths(county_in_county), (std::set<std::string>{"parent"}));

  HttpResult second_city = CreateOrg(
      {{"code", "x-city"}, {"name", "某市总工会"}, {"level", "city"}, {"parent", "leshan"}});
  EXPECT_EQ(second_city.status, 400);
  EXPECT_EQ(DetailPaths(second_city), (std::set<std::string>{"level"}));

  HttpResult empty = CreateOrg({});
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(DetailPaths(empty), (std::set<std::string>{"code", "name", "level", "parent"}));

  for (const char* code : {"x-unit", "x-county", "x-city"}) {
    EXPECT_EQ(server().Get(std::string("/api/v1/orgs/") + code, Token("voter1")).status, 404)
        << code;
  }
}

TEST_F(AdminOrgsUsers, OnlyAdminsCreateOrgs) {
  HttpResult refused =
      CreateOrg({{"code", "x-unit"}, {"name", "某工会"}, {"level", "unit"}, {"parent", "jiajiang"}},
                "city-reviewer");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.ErrorCode(), "forbidden");
  HttpResult anonymous = server().Post(
      "/api/v1/orgs",
      {{"code", "x-unit"}, {"name", "某工会"}, {"level", "unit"}, {"parent", "jiajiang"}});
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(server().Get("/api/v1/orgs/x-unit", Token("voter1")).status, 404);
}

TEST_F(AdminOrgsUsers, AdminCreatesAUserWithRoles) {
  HttpResult created = CreateUser(
      {{"username", "jiajiang-clerk"},
       {"password", "clerk-password"},
       {"display_name", "夹江县总工会文员"},
       {"roles",
        {{{"role", "reviewer"}, {"org", "jiajiang"}}, {{"role", "voter"}, {"org", "leshan"}}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json, "username"), "jiajiang-clerk");
  EXPECT_EQ(Str(created.json, "display_name"), "夹江县总工会文员");
  EXPECT_EQ(created.body.find("clerk-password"), std::string::npos);
  const boost::json::array& roles = created.json.at("roles").as_array();
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(Str(roles[0], "role"), "reviewer");
  EXPECT_EQ(Str(roles[0], "org"), "jiajiang");
  EXPECT_EQ(Str(roles[1], "role"), "voter");
  EXPECT_EQ(Str(roles[1], "org"), "leshan");

  HttpResult me = server().Get("/api/v1/me", server().Login("jiajiang-clerk", "clerk-password"));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json.at("roles").as_array().size(), 2u);
}

TEST_F(AdminOrgsUsers, DuplicateUsernameIsAConflict) {
  HttpResult duplicate = CreateUser({{"username", "city-reviewer"},
                                     {"password", "another-password"},
                                     {"roles", {{{"role", "submitter"}, {"org", "jiajiang"}}}}});
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.ErrorCode(), "conflict");
  // The existing user keeps its password and roles.
  HttpResult me = server().Get("/api/v1/me", Token("city-reviewer"));
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(Str(me.json.at("roles").as_array()[0], "role"), "reviewer");
  HttpResult stolen = server().Post(
      "/api/v1/auth/login", {{"username", "city-reviewer"}, {"password", "another-password"}});
  EXPECT_EQ(stolen.status, 401);
}

TEST_F(AdminOrgsUsers, BadRolesAreNamed) {
  HttpResult bad = CreateUser(
      {{"username", "someone"},
       {"password", "long-enough"},
       {"roles",
        {{{"role", "mayor"}, {"org", "jiajiang"}}, {{"role", "reviewer"}, {"org", "nowhere"}}}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorCode(), "bad_request");
  EXPECT_EQ(DetailPaths(bad), (std::set<std::string>{"roles[0].role", "roles[1].org"}));

  HttpResult twice = CreateUser(
      {{"username", "someone"},
       {"password", "long-enough"},
       {"roles",
        {{{"role", "voter"}, {"org", "leshan"}}, {{"role", "voter"}, {"org", "leshan"}}}}});
  EXPECT_EQ(twice.status, 400);
  EXPECT_EQ(DetailPaths(twice), (std::set<std::string>{"roles[1]"}));

  HttpResult no_roles = CreateUser({{"username", "someone"}, {"password", "long-enough"}});
  EXPECT_EQ(no_roles.status, 400);
  EXPECT_EQ(DetailPaths(no_roles), (std::set<std::string>{"roles"}));

  HttpResult login =
      server().Post("/api/v1/auth/login", {{"username", "someone"}, {"password", "long-enough"}});
  EXPECT_EQ(login.status, 401);
}

TEST_F(AdminOrgsUsers, OnlyAdminsCreateUsers) {
  HttpResult refused = CreateUser({{"username", "sneaky"},
                                   {"password", "sneaky-password"},
                                   {"roles", {{{"role", "admin"}, {"org", "leshan"}}}}},
                                  "jiajiang-reviewer");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.ErrorCode(), "forbidden");
  EXPECT_EQ(
      server()
          .Post("/api/v1/auth/login", {{"username", "sneaky"}, {"password", "sneaky-password"}})
          .status,
      401);
}

// A new unit and its new users work end to end: the unit's submitter
// reports, and a reviewer added at the county approves it.
TEST_F(AdminOrgsUsers, NewUnitAndUsersTakePartInTheFlow) {
  ASSERT_EQ(CreateOrg({{"code", "jiajiang-paper"},
                       {"name", "夹江县造纸厂工会"},
                       {"level", "unit"},
                       {"parent", "jiajiang"}})
                .status,
            201);
  ASSERT_EQ(CreateUser({{"username", "paper-submitter"},
                        {"password", "paper-password"},
                        {"roles", {{{"role", "submitter"}, {"org", "jiajiang-paper"}}}}})
                .status,
            201);
  ASSERT_EQ(CreateUser({{"username", "jiajiang-reviewer2"},
                        {"password", "review-password"},
                        {"roles", {{{"role", "reviewer"}, {"org", "jiajiang"}}}}})
                .status,
            201);
  std::string submitter = server().Login("paper-submitter", "paper-password");
  std::string reviewer = server().Login("jiajiang-reviewer2", "review-password");

  HttpResult created = CreateReportResult(submitter, "jiajiang-paper");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json.at("flow"), "key"), "report-county");
  int64_t id = Int(created.json, "id");
  AttachDocument(submitter, id);
  ActOk(submitter, id, "submit");
  boost::json::value approved = ActOk(reviewer, id, "approve");
  EXPECT_EQ(Str(approved, "stage"), "city_review");

  // The new unit's submitter does not see the other unit's reports.
  int64_t other = CreateReport(Token("jiajiang-submitter"), "jiajiang-ceramics");
  EXPECT_EQ(GetReport(submitter, other).status, 404);
}

TEST_F(AdminOrgsUsers, ReportsOfANewCityDirectUnitSkipTheCounty) {
  ASSERT_EQ(CreateOrg({{"code", "city-water"},
                       {"name", "乐山市自来水公司工会"},
                       {"level", "unit"},
                       {"parent", "leshan"}})
                .status,
            201);
  ASSERT_EQ(CreateUser({{"username", "water-submitter"},
                        {"password", "water-password"},
                        {"roles", {{{"role", "submitter"}, {"org", "city-water"}}}}})
                .status,
            201);
  std::string submitter = server().Login("water-submitter", "water-password");
  HttpResult created = CreateReportResult(submitter, "city-water");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json.at("flow"), "key"), "report-city-direct");
  int64_t id = Int(created.json, "id");
  AttachDocument(submitter, id);
  EXPECT_EQ(Str(ActOk(submitter, id, "submit"), "stage"), "city_review");
}

// A county union reports for itself straight to the city.
TEST_F(AdminOrgsUsers, ACountyUnionsOwnReportGoesToTheCity) {
  ASSERT_EQ(CreateUser({{"username", "jiajiang-clerk"},
                        {"password", "clerk-password"},
                        {"roles", {{{"role", "submitter"}, {"org", "jiajiang"}}}}})
                .status,
            201);
  std::string clerk = server().Login("jiajiang-clerk", "clerk-password");
  HttpResult created = CreateReportResult(clerk, "jiajiang");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json.at("flow"), "key"), "report-city-direct");
  int64_t id = Int(created.json, "id");
  AttachDocument(clerk, id);
  EXPECT_EQ(Str(ActOk(clerk, id, "submit"), "stage"), "city_review");

  // A submitter at the county does not report for its units.
  HttpResult unit = CreateReportResult(clerk, "jiajiang-ceramics");
  EXPECT_EQ(unit.status, 403) << unit.body;
  EXPECT_EQ(unit.ErrorCode(), "forbidden");
}

TEST_F(AdminOrgsUsers, OrgListPages) {
  std::set<std::string> seen;
  std::string target = "/api/v1/orgs?limit=5";
  int pages = 0;
  for (; pages < 10; ++pages) {
    HttpResult page = server().Get(target, Token("voter1"));
    ASSERT_EQ(page.status, 200) << page.body;
    const boost::json::array& items = page.json.at("items").as_array();
    EXPECT_LE(items.size(), 5u);
    for (const boost::json::value& org : items) {
      EXPECT_TRUE(seen.insert(Str(org, "code")).second) << Str(org, "code");
    }
    if (page.json.at("next_cursor").is_null()) break;
    target = "/api/v1/orgs?limit=5&cursor=" + std::string(page.json.at("next_cursor").as_string());
  }
  // The city, 13 counties and the 3 demo units.
  EXPECT_EQ(seen.size(), 17u);
  EXPECT_EQ(pages + 1, 4);
  EXPECT_TRUE(seen.contains("leshan"));
  EXPECT_TRUE(seen.contains("city-transit"));
}

// Walks a list page by page with `limit`, and gives every name seen under `key`.
std::vector<std::string> WalkPages(TestServer& server, const std::string& path, size_t limit,
                                   const std::string& key, const std::string& token) {
  std::vector<std::string> seen;
  std::string target = path + "?limit=" + std::to_string(limit);
  for (int pages = 0; pages < 50; ++pages) {
    HttpResult page = server.Get(target, token);
    EXPECT_EQ(page.status, 200) << target << ": " << page.body;
    if (page.status != 200) break;
    const boost::json::array& items = page.json.at("items").as_array();
    EXPECT_LE(items.size(), limit) << target;
    for (const boost::json::value& item : items) {
      seen.push_back(item.at(key).is_string() ? std::string(item.at(key).as_string())
                                              : std::to_string(item.at(key).to_number<int64_t>()));
    }
    if (page.json.at("next_cursor").is_null()) break;
    target = path + "?limit=" + std::to_string(limit) +
             "&cursor=" + std::string(page.json.at("next_cursor").as_string());
  }
  return seen;
}

TEST_F(AdminOrgsUsers, EveryListPages) {
  for (const char* username : {"pager-a", "pager-b", "pager-c"}) {
    ASSERT_EQ(CreateUser({{"username", username},
                          {"password", "long-enough"},
                          {"roles", {{{"role", "voter"}, {"org", "leshan"}}}}})
                  .status,
              201);
  }
  HttpResult all_users = server().Get("/api/v1/users?limit=500", Token("admin"));
  ASSERT_EQ(all_users.status, 200) << all_users.body;
  const size_t user_count = all_users.json.at("items").as_array().size();
  std::vector<std::string> users =
      WalkPages(server(), "/api/v1/users", 2, "username", Token("admin"));
  EXPECT_EQ(users.size(), user_count);
  EXPECT_EQ(std::set<std::string>(users.begin(), users.end()).size(), user_count);

  std::vector<std::string> flows = WalkPages(server(), "/api/v1/flows", 2, "key", Token("voter1"));
  EXPECT_EQ(flows,
            (std::vector<std::string>{"commendation", "report-city-direct", "report-county"}));

  HttpResult flow = server().Get("/api/v1/flows/report-county", Token("admin"));
  boost::json::object definition = flow.json.as_object();
  definition.erase("version");
  ASSERT_EQ(server().Post("/api/v1/flows", definition, Token("admin")).status, 201);
  std::vector<std::string> versions =
      WalkPages(server(), "/api/v1/flows/report-county/versions", 1, "version", Token("voter1"));
  EXPECT_EQ(versions, (std::vector<std::string>{"1", "2"}));

  std::vector<std::string> campaigns =
      WalkPages(server(), "/api/v1/campaigns", 1, "key", Token("voter1"));
  EXPECT_EQ(campaigns, std::vector<std::string>{"leshan-2014"});

  for (const char* bad :
       {"/api/v1/users?limit=0", "/api/v1/flows?limit=501", "/api/v1/flows?cursor=%E4%B8%AD",
        "/api/v1/users?cursor=zz", "/api/v1/campaigns?limit=x",
        "/api/v1/flows/report-county/versions?cursor=-1"}) {
    HttpResult refused = server().Get(bad, Token("admin"));
    EXPECT_EQ(refused.status, 400) << bad << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "bad_request") << bad;
  }
}

}  // namespace
}  // namespace jingsai::testing
