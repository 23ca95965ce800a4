// CommendationTest: the API fixture for nominations, vote sessions and the
// published commendation list. On top of ApiTest it brings approved reports
// of each demo unit, nominations moved up to the vote, extra users (members
// with recusal ties, a second city reviewer), custom vote rules and the
// calls of a vote session.
//
// A nomination of a county unit is made by that county's reviewer and
// screened by `city-reviewer`; one of the city-direct unit is made and
// submitted by `city-reviewer` and screened by `city-reviewer2` (nobody
// approves their own item).
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "storage/definitions.h"
#include "tests/api/api_fixture.h"
#include "tests/support/test_server.h"
#include "workflows/builtin.h"

namespace jingsai::testing {

inline std::string NominationPath(int64_t id, const std::string& suffix = "") {
  return "/api/v1/nominations/" + std::to_string(id) + suffix;
}

inline std::string VotePath(int64_t id, const std::string& suffix = "") {
  return "/api/v1/votes/" + std::to_string(id) + suffix;
}

// The reviewer who nominates (and submits) for a demo unit.
inline std::string NominatorOf(const std::string& org) {
  if (org == "jiajiang-ceramics") return "jiajiang-reviewer";
  if (org == "shizhong-power") return "shizhong-reviewer";
  return "city-reviewer";
}

// The paths of the error's details, in order.
inline std::vector<std::string> DetailPaths(const HttpResult& result) {
  std::vector<std::string> paths;
  if (!result.json.is_object() || !result.json.as_object().contains("error")) return paths;
  const boost::json::value* details = result.json.at("error").as_object().if_contains("details");
  if (details == nullptr || !details->is_array()) return paths;
  for (const boost::json::value& detail : details->as_array()) paths.push_back(Str(detail, "path"));
  return paths;
}

// The result row of `nomination` in a closed session (an empty object when absent).
inline boost::json::object ResultOf(const boost::json::value& session, int64_t nomination) {
  for (const boost::json::value& row : session.at("results").as_array()) {
    if (Int(row, "nomination") == nomination) return row.as_object();
  }
  ADD_FAILURE() << "no result for nomination " << nomination;
  return {};
}

// The nomination ids of a closed session's "ties".
inline std::vector<int64_t> Ties(const boost::json::value& session) {
  std::vector<int64_t> ties;
  for (const boost::json::value& id : session.at("ties").as_array()) ties.push_back(id.as_int64());
  return ties;
}

// One ballot of a request: the nomination and the choice.
using Ballot = std::pair<int64_t, std::string>;

class CommendationTest : public ApiTest {
 protected:
  // A unit nomination body.
  static boost::json::object UnitNomination(
      const std::string& org, const std::vector<int64_t>& basis,
      const std::string& citation = "劳动竞赛组织有力，成效显著") {
    boost::json::array ids;
    for (int64_t id : basis) ids.push_back(id);
    return {{"campaign", kCampaign},
            {"kind", "unit"},
            {"org", org},
            {"basis", std::move(ids)},
            {"citation", citation}};
  }

  // An individual nomination body.
  static boost::json::object IndividualNomination(
      const std::string& org, const boost::json::object& person, const std::vector<int64_t>& basis,
      const std::string& citation = "技术革新成果突出") {
    boost::json::object body = UnitNomination(org, basis, citation);
    body["kind"] = "individual";
    body["person"] = person;
    return body;
  }

  HttpResult Nominate(const std::string& user, const boost::json::object& body) {
    return server().Post("/api/v1/nominations", body, Token(user));
  }

  // Nominates and expects 201; returns the id (-1 otherwise).
  int64_t NominateOk(const std::string& user, const boost::json::object& body) {
    HttpResult created = Nominate(user, body);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? Int(created.json, "id") : -1;
  }

  HttpResult ActOnNomination(const std::string& user, int64_t id, const std::string& action,
                             const std::string& comment = "", const std::string& to = "") {
    boost::json::object body{{"action", action}};
    if (!comment.empty()) body["comment"] = comment;
    if (!to.empty()) body["to"] = to;
    return server().Post(NominationPath(id, "/actions"), body, Token(user));
  }

  void ActOnNominationOk(const std::string& user, int64_t id, const std::string& action) {
    HttpResult result = ActOnNomination(user, id, action);
    EXPECT_EQ(result.status, 200) << user << " " << action << " on " << id << ": " << result.body;
  }

  // An approved report of a demo unit, made once per test and org.
  int64_t ApprovedReportOf(const std::string& org) {
    auto found = approved_.find(org);
    if (found != approved_.end()) return found->second;
    int64_t id = -1;
    if (org == "jiajiang-ceramics") {
      id = ApprovedCountyReport();
    } else if (org == "shizhong-power") {
      id = SubmittedReport("shizhong-submitter", org);
      ActOk(Token("shizhong-reviewer"), id, "approve");
      ActOk(Token("city-reviewer"), id, "approve");
    } else {
      id = SubmittedReport("transit-submitter", org);
      ActOk(Token("city-reviewer"), id, "approve");
    }
    return approved_.emplace(org, id).first->second;
  }

  // Creates a user with the demo password (so Token() logs them in).
  HttpResult CreateUser(const std::string& username, const boost::json::array& roles) {
    return server().Post("/api/v1/users",
                         {{"username", username},
                          {"password", "jingsai-demo"},
                          {"display_name", username},
                          {"roles", roles}},
                         Token("admin"));
  }

  void CreateUserOk(const std::string& username, const boost::json::array& roles) {
    HttpResult created = CreateUser(username, roles);
    ASSERT_EQ(created.status, 201) << created.body;
  }

  // Adds a campaign like the built-in one under another key, as if loaded
  // at start-up (there is no endpoint that creates campaigns).
  void AddCampaign(const std::string& key) {
    boost::json::value campaign;
    for (const workflows::EmbeddedFile& file : workflows::BuiltinFiles()) {
      if (file.name == "leshan-2014.json") campaign = boost::json::parse(file.contents);
    }
    ASSERT_TRUE(campaign.is_object());
    campaign.as_object()["key"] = key;
    campaign.as_object()["title"] = "乐山市劳动竞赛计划（" + key + "）";
    api::App& app = server().app();
    engine::Status added = app.writer().RunSync([&](storage::Database& db) -> engine::Status {
      if (engine::Status status = storage::InsertCampaign(db, key, boost::json::serialize(campaign),
                                                          "2015-03-01T00:00:00+08:00");
          !status.ok()) {
        return status;
      }
      return app.catalog().Load(db);
    });
    ASSERT_TRUE(added.ok()) << added.error().message;
  }

  // A second city reviewer, to screen what `city-reviewer` nominated.
  void EnsureSecondCityReviewer() {
    if (second_reviewer_) return;
    CreateUserOk("city-reviewer2", {{{"role", "reviewer"}, {"org", "leshan"}}});
    second_reviewer_ = true;
  }

  // Moves a nomination from `nominated` through screening into `vote`.
  void MoveToVote(int64_t id, const std::string& org) {
    ActOnNominationOk(NominatorOf(org), id, "submit");
    if (NominatorOf(org) == "city-reviewer") {
      EnsureSecondCityReviewer();
      ActOnNominationOk("city-reviewer2", id, "approve");
    } else {
      ActOnNominationOk("city-reviewer", id, "approve");
    }
  }

  // A unit nomination of `org`, resting on its approved report, now in `vote`.
  int64_t UnitInVote(const std::string& org, const std::string& citation = "劳动竞赛组织有力") {
    int64_t id =
        NominateOk(NominatorOf(org), UnitNomination(org, {ApprovedReportOf(org)}, citation));
    MoveToVote(id, org);
    return id;
  }

  // An individual nomination of `org`, now in `vote`.
  int64_t IndividualInVote(const std::string& org, const boost::json::object& person,
                           const std::string& citation = "技术革新成果突出") {
    int64_t id = NominateOk(NominatorOf(org),
                            IndividualNomination(org, person, {ApprovedReportOf(org)}, citation));
    MoveToVote(id, org);
    return id;
  }

  // Publishes a new version of the `commendation` flow whose vote stage has
  // `rules`; nominations created afterwards start on it.
  void PublishVoteRules(const boost::json::object& rules) {
    HttpResult latest = server().Get("/api/v1/flows/commendation", Token("admin"));
    ASSERT_EQ(latest.status, 200) << latest.body;
    boost::json::object flow = latest.json.as_object();
    flow.erase("version");
    for (boost::json::value& stage : flow.at("stages").as_array()) {
      if (Str(stage, "kind") == "vote") stage.as_object()["rules"] = rules;
    }
    HttpResult published = server().Post("/api/v1/flows", flow, Token("admin"));
    ASSERT_EQ(published.status, 201) << published.body;
  }

  HttpResult OpenVote(const std::string& user, const std::vector<std::string>& members,
                      const std::string& title = "市级劳动竞赛先进评审表决") {
    boost::json::array names;
    for (const std::string& member : members) names.push_back(boost::json::string(member));
    return server().Post("/api/v1/votes",
                         {{"campaign", kCampaign}, {"title", title}, {"members", std::move(names)}},
                         Token(user));
  }

  // Opens a session as `city-reviewer`; returns its id (-1 on failure).
  int64_t OpenVoteOk(const std::vector<std::string>& members = {"voter1", "voter2", "voter3"}) {
    HttpResult opened = OpenVote("city-reviewer", members);
    EXPECT_EQ(opened.status, 201) << opened.body;
    return opened.status == 201 ? Int(opened.json, "id") : -1;
  }

  HttpResult Cast(const std::string& user, int64_t session, const std::vector<Ballot>& ballots) {
    boost::json::array list;
    for (const auto& [nomination, choice] : ballots) {
      list.push_back({{"nomination", nomination}, {"choice", choice}});
    }
    return server().Post(VotePath(session, "/ballots"), {{"ballots", std::move(list)}},
                         Token(user));
  }

  void CastOk(const std::string& user, int64_t session, const std::vector<Ballot>& ballots) {
    HttpResult cast = Cast(user, session, ballots);
    EXPECT_EQ(cast.status, 200) << user << ": " << cast.body;
  }

  HttpResult Close(int64_t session, const std::string& user = "city-reviewer") {
    return server().Post(VotePath(session, "/close"), boost::json::object{}, Token(user));
  }

  // Closes as `city-reviewer` and expects 200; returns the closed session.
  boost::json::value CloseOk(int64_t session) {
    HttpResult closed = Close(session);
    EXPECT_EQ(closed.status, 200) << closed.body;
    return closed.json;
  }

  HttpResult GetVote(int64_t session, const std::string& user = "city-reviewer") {
    return server().Get(VotePath(session), Token(user));
  }

  // The nomination as the city reviewer sees it.
  boost::json::value Nomination(int64_t id) {
    HttpResult result = server().Get(NominationPath(id), Token("city-reviewer"));
    EXPECT_EQ(result.status, 200) << result.body;
    return result.json;
  }

  std::string StageOf(int64_t id) { return Str(Nomination(id), "stage"); }

  // The nomination's history rows, as the city reviewer sees them.
  boost::json::array NominationHistory(int64_t id) {
    HttpResult result = server().Get(NominationPath(id, "/history"), Token("city-reviewer"));
    EXPECT_EQ(result.status, 200) << result.body;
    return result.status == 200 ? result.json.at("items").as_array() : boost::json::array{};
  }

  // The actions of the history rows, in order.
  std::vector<std::string> HistoryActions(int64_t id) {
    std::vector<std::string> actions;
    for (const boost::json::value& row : NominationHistory(id))
      actions.push_back(Str(row, "action"));
    return actions;
  }

 private:
  std::map<std::string, int64_t> approved_;
  bool second_reviewer_ = false;
};

}  // namespace jingsai::testing
