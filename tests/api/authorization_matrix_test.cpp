// The authorization matrix: for every route the router knows and every kind
// of caller, the exact status the API answers. Each row builds the state its
// call needs (a draft report of jiajiang-ceramics, a nomination at city
// screening, an open vote session with voter1 as a member, ...) and a request
// that is valid for the authorized caller, so the caller is the only variable.
//
// Callers, relative to items of jiajiang-ceramics (a unit of the county
// jiajiang): anonymous, the unit's submitter, a submitter of another unit, the
// county's reviewer, a reviewer of another county, the city reviewer, a voter
// and the admin. Items a caller may not see answer 404; visible but not
// allowed answers 403.
//
// A row runs on a fresh server: the refused callers first, all on one state;
// then each allowed caller, the first on that same state and every further
// one on a fresh state unless the row is repeatable (a success leaves the
// state as it was for the next caller).
//
// A route without a row, or a row without a route, fails the suite.
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/api/api_fixture.h"
#include "tests/api/commendation_fixture.h"
#include "tests/support/test_server.h"
#include "workflows/builtin.h"

namespace jingsai::testing {
namespace {

enum class Role {
  kAnonymous,
  kUnitSubmitter,
  kOtherSubmitter,
  kCountyReviewer,
  kOtherReviewer,
  kCityReviewer,
  kVoter,
  kAdmin,
};

constexpr std::array kRoles = {Role::kAnonymous,      Role::kUnitSubmitter, Role::kOtherSubmitter,
                               Role::kCountyReviewer, Role::kOtherReviewer, Role::kCityReviewer,
                               Role::kVoter,          Role::kAdmin};

// The user who plays the role ("" for anonymous).
std::string UserOf(Role role) {
  switch (role) {
    case Role::kAnonymous:
      return "";
    case Role::kUnitSubmitter:
      return "jiajiang-submitter";
    case Role::kOtherSubmitter:
      return "shizhong-submitter";
    case Role::kCountyReviewer:
      return "jiajiang-reviewer";
    case Role::kOtherReviewer:
      return "shizhong-reviewer";
    case Role::kCityReviewer:
      return "city-reviewer";
    case Role::kVoter:
      return "voter1";
    case Role::kAdmin:
      return "admin";
  }
  return "";
}

std::string RoleName(Role role) { return role == Role::kAnonymous ? "anonymous" : UserOf(role); }

// One expected status per role, in the order of kRoles:
// {anonymous, unit submitter, other submitter, county reviewer,
//  other reviewer, city reviewer, voter, admin}.
using Expect = std::array<int, kRoles.size()>;

// What a row's setup leaves for its call.
struct State {
  int64_t report = -1;      // a report of jiajiang-ceramics
  int64_t nomination = -1;  // a unit nomination of jiajiang-ceramics
  int64_t vote = -1;        // a vote session
  int64_t evidence = -1;    // an evidence id of `report`
  std::string sha256;       // that evidence's hash
  std::string name;         // a fresh name for what the call creates
  int64_t version = -1;     // a flow version
  boost::json::value body;  // a prepared request body
};

// The request of a row, apart from its method and the caller's token.
struct Call {
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
};

Call Bare(std::string target) { return {std::move(target), "", {}}; }

Call Json(std::string target, const boost::json::value& body) {
  return {std::move(target), boost::json::serialize(body), {}};
}

class AuthorizationMatrixTest;

struct Row {
  std::string method;
  std::string pattern;
  std::function<void(AuthorizationMatrixTest&, State&)> setup;
  std::function<Call(const State&)> call;
  Expect expect;
  // A success leaves the state fit for the next allowed caller.
  bool repeatable = false;
};

void PrintTo(const Row& row, std::ostream* out) { *out << row.method << " " << row.pattern; }

std::string RowName(const ::testing::TestParamInfo<Row>& info) {
  std::string name = info.param.method + "_";
  for (char c : info.param.pattern) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (keep) {
      name += c;
    } else if (name.back() != '_') {
      name += '_';
    }
  }
  while (name.back() == '_') name.pop_back();
  return name;
}

// The routes that answer without a token.
const std::set<std::string>& PublicPatterns() {
  static const std::set<std::string> patterns = {"/healthz", "/api/v1/openapi.json",
                                                 "/api/v1/auth/login", "/admin", "/admin/{file}"};
  return patterns;
}

boost::json::value BuiltinFlow(std::string_view name) {
  for (const workflows::EmbeddedFile& file : workflows::BuiltinFiles()) {
    if (file.name == name) return boost::json::parse(file.contents);
  }
  ADD_FAILURE() << "no built-in file " << name;
  return nullptr;
}

std::string ErrorCodeFor(int status) {
  switch (status) {
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    default:
      return "";
  }
}

class AuthorizationMatrixTest : public CommendationTest, public ::testing::WithParamInterface<Row> {
 public:
  static std::vector<Row> Table();

 protected:
  std::string FreshName(const std::string& prefix) {
    return "matrix-" + prefix + "-" + std::to_string(++serial_);
  }

  // A draft report of jiajiang-ceramics, no evidence yet.
  void DraftReport(State& state) {
    state.report = CreateReport(Token("jiajiang-submitter"), "jiajiang-ceramics");
  }

  // A draft report of jiajiang-ceramics with one document attached.
  void DraftWithEvidence(State& state) {
    DraftReport(state);
    HttpResult attached = AttachDocument(Token("jiajiang-submitter"), state.report);
    state.evidence = Int(attached.json, "id");
    state.sha256 = Str(attached.json, "sha256");
  }

  // A report of jiajiang-ceramics waiting at county review.
  void ReportAtCountyReview(State& state) {
    state.report = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  }

  // A unit nomination of jiajiang-ceramics at `nominated`, made by its county's reviewer.
  void Nominated(State& state) {
    state.nomination =
        NominateOk("jiajiang-reviewer",
                   UnitNomination("jiajiang-ceramics", {ApprovedReportOf("jiajiang-ceramics")}));
  }

  // That nomination submitted to city screening.
  void AtCityScreening(State& state) {
    Nominated(state);
    ActOnNominationOk("jiajiang-reviewer", state.nomination, "submit");
  }

  // A nomination in `vote`, in no session yet.
  void InVote(State& state) { state.nomination = UnitInVote("jiajiang-ceramics"); }

  // An open session over a nomination in `vote`, with voter1..voter3 as members.
  void OpenSession(State& state) {
    InVote(state);
    state.vote = OpenVoteOk({"voter1", "voter2", "voter3"});
  }

  // A nomination that passed the vote and is on public notice.
  void OnPublicNotice(State& state) {
    HttpResult published = server().Post(
        "/api/v1/flows", ExampleFlow("commendation-with-notice.json"), Token("admin"));
    ASSERT_EQ(published.status, 201) << published.body;
    OpenSession(state);
    CastOk("voter1", state.vote, {{state.nomination, "for"}});
    CastOk("voter2", state.vote, {{state.nomination, "for"}});
    CloseOk(state.vote);
    EXPECT_EQ(StageOf(state.nomination), "public_notice");
  }

  // Creates the user (demo password) unless this test already did.
  void EnsureUser(const std::string& username, const std::string& role, const std::string& org) {
    if (!created_users_.insert(username).second) return;
    CreateUserOk(username, {{{"role", role}, {"org", org}}});
  }

  // Publishes the built-in report-county flow again; returns the new version.
  int64_t RepublishReportCounty() {
    HttpResult published =
        server().Post("/api/v1/flows", BuiltinFlow("report-county.json"), Token("admin"));
    EXPECT_EQ(published.status, 201) << published.body;
    return Int(published.json, "version");
  }

  State Prepare(const Row& row) {
    State state;
    if (row.setup) row.setup(*this, state);
    return state;
  }

  void Check(const Row& row, Role role, const State& state) {
    const int expected = row.expect[static_cast<size_t>(role)];
    const std::string user = UserOf(role);
    const std::string token = user.empty() ? "" : Token(user);
    const Call call = row.call(state);
    HttpResult result = server().Request(row.method, call.target, call.body, token, call.headers);
    EXPECT_EQ(result.status, expected)
        << row.method << " " << call.target << " as " << RoleName(role) << ": " << result.body;
    const std::string code = ErrorCodeFor(expected);
    if (result.status == expected && !code.empty()) {
      EXPECT_EQ(result.ErrorCode(), code)
          << row.method << " " << call.target << " as " << RoleName(role) << ": " << result.body;
    }
  }

 private:
  int serial_ = 0;
  std::set<std::string> created_users_;
};

using Fixture = AuthorizationMatrixTest;

// Statuses by role: {anonymous, unit submitter, other submitter, county
// reviewer, other reviewer, city reviewer, voter, admin}.
constexpr Expect Everyone(int status) {
  return {status, status, status, status, status, status, status, status};
}
constexpr Expect SignedIn(int status) {
  return {401, status, status, status, status, status, status, status};
}
constexpr Expect AdminOnly(int status) { return {401, 403, 403, 403, 403, 403, 403, status}; }
// Whoever sees jiajiang-ceramics (its submitter, its county, the city).
constexpr Expect SeersOfTheUnit(int status) {
  return {401, status, 404, status, 404, status, status, status};
}

std::vector<Row> AuthorizationMatrixTest::Table() {
  const auto report = [](const State& s, const std::string& suffix = "") {
    return SubmissionPath(s.report, suffix);
  };
  const auto nomination = [](const State& s, const std::string& suffix = "") {
    return NominationPath(s.nomination, suffix);
  };
  const auto vote = [](const State& s, const std::string& suffix = "") {
    return VotePath(s.vote, suffix);
  };
  const auto none = [](Fixture&, State&) {};
  const auto draft = [](Fixture& t, State& s) { t.DraftReport(s); };
  const auto with_evidence = [](Fixture& t, State& s) { t.DraftWithEvidence(s); };
  const auto at_county_review = [](Fixture& t, State& s) { t.ReportAtCountyReview(s); };
  const auto nominated = [](Fixture& t, State& s) { t.Nominated(s); };
  const auto at_screening = [](Fixture& t, State& s) { t.AtCityScreening(s); };
  const auto open_session = [](Fixture& t, State& s) { t.OpenSession(s); };

  return {
      // System and identity.
      {"GET", "/healthz", none, [](const State&) { return Bare("/healthz"); }, Everyone(200), true},
      {"GET", "/api/v1/openapi.json", none,
       [](const State&) { return Bare("/api/v1/openapi.json"); }, Everyone(200), true},
      // The web app's files: public, since the page itself signs in through the API.
      {"GET", "/admin", none, [](const State&) { return Bare("/admin/"); }, Everyone(200), true},
      {"GET", "/admin/{file}", none, [](const State&) { return Bare("/admin/app.js"); },
       Everyone(200), true},
      {"POST", "/api/v1/auth/login", none,
       [](const State&) {
         return Json("/api/v1/auth/login",
                     {{"username", "jiajiang-submitter"}, {"password", "jingsai-demo"}});
       },
       Everyone(200), true},
      {"POST", "/api/v1/auth/logout", none,
       [](const State&) { return Bare("/api/v1/auth/logout"); }, SignedIn(204), true},
      {"GET", "/api/v1/me", none, [](const State&) { return Bare("/api/v1/me"); }, SignedIn(200),
       true},

      // Users.
      {"GET", "/api/v1/users", none, [](const State&) { return Bare("/api/v1/users"); },
       AdminOnly(200), true},
      {"POST", "/api/v1/users", [](Fixture& t, State& s) { s.name = t.FreshName("user"); },
       [](const State& s) {
         return Json("/api/v1/users",
                     {{"username", s.name},
                      {"password", "jingsai-demo"},
                      {"display_name", "矩阵测试用户"},
                      {"roles", {{{"role", "submitter"}, {"org", "jiajiang-ceramics"}}}}});
       },
       AdminOnly(201)},
      {"PATCH", "/api/v1/users/{username}", none,
       [](const State&) {
         return Json("/api/v1/users/voter3", {{"display_name", "评审委员三（已更名）"}});
       },
       AdminOnly(200), true},
      // A user reads their own record; only an admin reads another's.
      {"GET",
       "/api/v1/users/{username}",
       none,
       [](const State&) { return Bare("/api/v1/users/jiajiang-submitter"); },
       {401, 200, 403, 403, 403, 403, 403, 200},
       true},

      // Organizations.
      {"GET", "/api/v1/orgs", none, [](const State&) { return Bare("/api/v1/orgs"); },
       SignedIn(200), true},
      {"POST", "/api/v1/orgs", [](Fixture& t, State& s) { s.name = t.FreshName("org"); },
       [](const State& s) {
         return Json("/api/v1/orgs", {{"code", s.name},
                                      {"name", "夹江县矩阵测试公司工会"},
                                      {"level", "unit"},
                                      {"parent", "jiajiang"}});
       },
       AdminOnly(201)},
      {"GET", "/api/v1/orgs/{code}", none,
       [](const State&) { return Bare("/api/v1/orgs/jiajiang-ceramics"); }, SignedIn(200), true},

      // Flows.
      {"GET", "/api/v1/flows", none, [](const State&) { return Bare("/api/v1/flows"); },
       SignedIn(200), true},
      {"POST", "/api/v1/flows",
       [](Fixture& t, State& s) {
         s.body = BuiltinFlow("report-county.json");
         s.body.as_object()["key"] = t.FreshName("flow");
       },
       [](const State& s) { return Json("/api/v1/flows", s.body); }, AdminOnly(201), true},
      {"POST", "/api/v1/flows/validate",
       [](Fixture&, State& s) { s.body = BuiltinFlow("report-county.json"); },
       [](const State& s) { return Json("/api/v1/flows/validate", s.body); }, AdminOnly(200), true},
      {"GET", "/api/v1/flows/{key}", none,
       [](const State&) { return Bare("/api/v1/flows/report-county"); }, SignedIn(200), true},
      {"GET", "/api/v1/flows/{key}/versions", none,
       [](const State&) { return Bare("/api/v1/flows/report-county/versions"); }, SignedIn(200),
       true},
      {"GET", "/api/v1/flows/{key}/versions/{version}", none,
       [](const State&) { return Bare("/api/v1/flows/report-county/versions/1"); }, SignedIn(200),
       true},
      // Moves a draft on version 1 to a republished version.
      {"POST", "/api/v1/flows/{key}/migrations",
       [](Fixture& t, State& s) {
         t.DraftReport(s);
         s.version = t.RepublishReportCounty();
       },
       [](const State& s) {
         return Json("/api/v1/flows/report-county/migrations",
                     {{"from_version", 1},
                      {"to_version", s.version},
                      {"mapping",
                       {{"draft", "draft"},
                        {"county_review", "county_review"},
                        {"city_review", "city_review"}}}});
       },
       AdminOnly(200), true},

      // Campaigns and the published list.
      {"GET", "/api/v1/campaigns", none, [](const State&) { return Bare("/api/v1/campaigns"); },
       SignedIn(200), true},
      {"GET", "/api/v1/campaigns/{key}", none,
       [](const State&) { return Bare("/api/v1/campaigns/leshan-2014"); }, SignedIn(200), true},
      {"GET", "/api/v1/campaigns/{key}/progress", none,
       [](const State&) { return Bare("/api/v1/campaigns/leshan-2014/progress"); }, SignedIn(200),
       true},
      {"GET", "/api/v1/campaigns/{key}/commendations", none,
       [](const State&) { return Bare("/api/v1/campaigns/leshan-2014/commendations"); },
       SignedIn(200), true},

      // Reports.
      {"POST",
       "/api/v1/submissions",
       none,
       [](const State&) {
         return Json("/api/v1/submissions", {{"campaign", kCampaign},
                                             {"org", "jiajiang-ceramics"},
                                             {"title", "2014年劳动竞赛情况报告"},
                                             {"data", ValidReportData()}});
       },
       {401, 201, 403, 403, 403, 403, 403, 403},
       true},
      // Lists show each caller what they may see.
      {"GET", "/api/v1/submissions", draft,
       [](const State&) { return Bare("/api/v1/submissions"); }, SignedIn(200), true},
      {"GET", "/api/v1/submissions/{id}", draft, [=](const State& s) { return Bare(report(s)); },
       SeersOfTheUnit(200), true},
      {"PATCH",
       "/api/v1/submissions/{id}",
       draft,
       [=](const State& s) {
         return Json(report(s), {{"title", "2014年劳动竞赛情况报告（修订）"}});
       },
       {401, 200, 404, 403, 404, 403, 403, 403},
       true},
      // Approve at county review: the county's reviewer only.
      {"POST",
       "/api/v1/submissions/{id}/actions",
       at_county_review,
       [=](const State& s) {
         return Json(report(s, "/actions"), {{"action", "approve"}});
       },
       {401, 403, 404, 200, 404, 403, 403, 403}},
      {"GET", "/api/v1/submissions/{id}/history", draft,
       [=](const State& s) { return Bare(report(s, "/history")); }, SeersOfTheUnit(200), true},
      {"GET", "/api/v1/submissions/{id}/changes", draft,
       [=](const State& s) { return Bare(report(s, "/changes")); }, SeersOfTheUnit(200), true},
      // Hand over at county review to a second reviewer of the county.
      {"POST",
       "/api/v1/submissions/{id}/handover",
       [](Fixture& t, State& s) {
         t.EnsureUser("jiajiang-reviewer2", "reviewer", "jiajiang");
         t.ReportAtCountyReview(s);
       },
       [=](const State& s) {
         return Json(report(s, "/handover"), {{"to", "jiajiang-reviewer2"}, {"comment", "出差"}});
       },
       {401, 403, 404, 200, 404, 403, 403, 403}},

      // Evidence.
      {"POST",
       "/api/v1/submissions/{id}/evidence",
       draft,
       [=](const State& s) {
         return Call{report(s, "/evidence?kind=document&filename=matrix.pdf"),
                     PdfBytes("matrix"),
                     {{"Content-Type", "application/pdf"}}};
       },
       {401, 201, 404, 403, 404, 403, 403, 403},
       true},
      {"GET", "/api/v1/submissions/{id}/evidence", with_evidence,
       [=](const State& s) { return Bare(report(s, "/evidence")); }, SeersOfTheUnit(200), true},
      {"GET", "/api/v1/submissions/{id}/evidence/{evidence_id}", with_evidence,
       [=](const State& s) { return Bare(report(s, "/evidence/" + std::to_string(s.evidence))); },
       SeersOfTheUnit(200), true},
      {"DELETE",
       "/api/v1/submissions/{id}/evidence/{evidence_id}",
       with_evidence,
       [=](const State& s) { return Bare(report(s, "/evidence/" + std::to_string(s.evidence))); },
       {401, 204, 404, 403, 404, 403, 403, 403}},
      {"GET", "/api/v1/evidence/{sha256}", with_evidence,
       [](const State& s) { return Bare("/api/v1/evidence/" + s.sha256); }, SeersOfTheUnit(200),
       true},

      // The inbox.
      {"GET", "/api/v1/tasks", at_county_review, [](const State&) { return Bare("/api/v1/tasks"); },
       SignedIn(200), true},

      // Nominations: by the nominee's county reviewer or a city reviewer.
      {"POST",
       "/api/v1/nominations",
       [](Fixture& t, State& s) { s.report = t.ApprovedReportOf("jiajiang-ceramics"); },
       [](const State& s) {
         return Json("/api/v1/nominations", UnitNomination("jiajiang-ceramics", {s.report}));
       },
       {401, 403, 403, 201, 403, 201, 403, 403},
       true},
      {"GET", "/api/v1/nominations", nominated,
       [](const State&) { return Bare("/api/v1/nominations"); }, SignedIn(200), true},
      {"GET", "/api/v1/nominations/{id}", nominated,
       [=](const State& s) { return Bare(nomination(s)); }, SeersOfTheUnit(200), true},
      // Approve at city screening: city reviewers only.
      {"POST",
       "/api/v1/nominations/{id}/actions",
       at_screening,
       [=](const State& s) {
         return Json(nomination(s, "/actions"), {{"action", "approve"}});
       },
       {401, 403, 404, 403, 404, 200, 403, 403}},
      {"GET", "/api/v1/nominations/{id}/history", nominated,
       [=](const State& s) { return Bare(nomination(s, "/history")); }, SeersOfTheUnit(200), true},
      // Anyone who sees the nomination may object while it is on notice.
      {"POST", "/api/v1/nominations/{id}/objections",
       [](Fixture& t, State& s) { t.OnPublicNotice(s); },
       [=](const State& s) {
         return Json(nomination(s, "/objections"), {{"reason", "该单位材料与实际不符"}});
       },
       SeersOfTheUnit(201), true},
      // Hand over at city screening to a second city reviewer.
      {"POST",
       "/api/v1/nominations/{id}/handover",
       [](Fixture& t, State& s) {
         t.EnsureSecondCityReviewer();
         t.AtCityScreening(s);
       },
       [=](const State& s) {
         return Json(nomination(s, "/handover"), {{"to", "city-reviewer2"}});
       },
       {401, 403, 404, 403, 404, 200, 403, 403}},

      // Votes: city reviewers and admins run sessions; members cast ballots.
      {"POST",
       "/api/v1/votes",
       [](Fixture& t, State& s) { t.InVote(s); },
       [](const State&) {
         return Json("/api/v1/votes", {{"campaign", kCampaign},
                                       {"title", "市级劳动竞赛先进评审表决"},
                                       {"members", {"voter1", "voter2", "voter3"}}});
       },
       {401, 403, 403, 403, 403, 201, 403, 201}},
      {"GET", "/api/v1/votes", open_session, [](const State&) { return Bare("/api/v1/votes"); },
       SignedIn(200), true},
      // Only those who run sessions and the members read one; to anyone
      // else it does not exist (their list of sessions does not show it).
      {"GET",
       "/api/v1/votes/{id}",
       open_session,
       [=](const State& s) { return Bare(vote(s)); },
       {401, 404, 404, 404, 404, 200, 200, 200},
       true},
      {"POST",
       "/api/v1/votes/{id}/ballots",
       open_session,
       [=](const State& s) {
         return Json(vote(s, "/ballots"),
                     {{"ballots", {{{"nomination", s.nomination}, {"choice", "for"}}}}});
       },
       {401, 403, 403, 403, 403, 403, 200, 403},
       true},
      {"POST",
       "/api/v1/votes/{id}/close",
       open_session,
       [=](const State& s) { return Json(vote(s, "/close"), boost::json::object{}); },
       {401, 403, 403, 403, 403, 200, 403, 200}},
  };
}

TEST_P(AuthorizationMatrixTest, EachCallerGetsTheStatusOfTheTable) {
  const Row& row = GetParam();
  std::vector<Role> refused;
  std::vector<Role> allowed;
  for (Role role : kRoles) {
    (row.expect[static_cast<size_t>(role)] < 300 ? allowed : refused).push_back(role);
  }
  const State shared = Prepare(row);
  ASSERT_FALSE(HasFatalFailure()) << "setup of " << row.method << " " << row.pattern;
  for (Role role : refused) Check(row, role, shared);
  bool shared_used = false;
  for (Role role : allowed) {
    if (row.repeatable || !shared_used) {
      Check(row, role, shared);
      shared_used = true;
    } else {
      Check(row, role, Prepare(row));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AuthorizationMatrix, AuthorizationMatrixTest,
                         ::testing::ValuesIn(AuthorizationMatrixTest::Table()), RowName);

using RouteKey = std::pair<std::string, std::string>;

// Every route the router knows has exactly one row, and every row a route:
// adding an endpoint without stating who may call it fails here.
TEST(AuthorizationMatrixTable, HasOneRowForEveryRouteAndNoOther) {
  TestServer server;
  std::set<RouteKey> routes;
  for (const api::RouteInfo& route : server.app().router().Routes()) {
    routes.insert({route.method, route.pattern});
  }
  std::set<RouteKey> rows;
  for (const Row& row : AuthorizationMatrixTest::Table()) {
    EXPECT_TRUE(rows.insert({row.method, row.pattern}).second)
        << "two rows for " << row.method << " " << row.pattern;
  }
  for (const auto& [method, pattern] : routes) {
    EXPECT_TRUE(rows.contains({method, pattern}))
        << "the authorization matrix has no row for " << method << " " << pattern;
  }
  for (const auto& [method, pattern] : rows) {
    EXPECT_TRUE(routes.contains({method, pattern}))
        << "the authorization matrix names a route the router does not know: " << method << " "
        << pattern;
  }
}

// The table itself keeps the rule that only health, the OpenAPI file, login
// and the web app's static files answer without a token.
TEST(AuthorizationMatrixTable, AnonymousCallersAreRefusedOutsideThePublicRoutes) {
  for (const Row& row : AuthorizationMatrixTest::Table()) {
    const int anonymous = row.expect[static_cast<size_t>(Role::kAnonymous)];
    if (PublicPatterns().contains(row.pattern)) {
      EXPECT_EQ(anonymous, 200) << row.method << " " << row.pattern;
    } else {
      EXPECT_EQ(anonymous, 401) << row.method << " " << row.pattern;
    }
  }
}

}  // namespace
}  // namespace jingsai::testing
