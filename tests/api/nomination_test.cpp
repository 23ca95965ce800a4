// Nominations: who may nominate whom, on what basis, and how a nomination
// moves from `nominated` through city screening to the vote.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/api/commendation_fixture.h"

namespace jingsai::testing {
namespace {

using NominationCreate = CommendationTest;
using NominationActions = CommendationTest;
using NominationRead = CommendationTest;

TEST_F(NominationCreate, CountyReviewerNominatesUnitOfItsCounty) {
  const int64_t report = ApprovedReportOf("jiajiang-ceramics");
  HttpResult created = Nominate("jiajiang-reviewer",
                                UnitNomination("jiajiang-ceramics", {report}, "班组竞赛成效显著"));
  ASSERT_EQ(created.status, 201) << created.body;
  const boost::json::value& item = created.json;
  const int64_t id = Int(item, "id");
  EXPECT_GT(id, 0);
  EXPECT_EQ(created.Header("location"), NominationPath(id));
  EXPECT_EQ(created.Header("etag"), "\"1\"");
  EXPECT_EQ(Str(item, "kind"), "nomination");
  EXPECT_EQ(Str(item, "campaign"), "leshan-2014");
  EXPECT_EQ(Str(item, "org"), "jiajiang-ceramics");
  EXPECT_EQ(Str(item, "stage"), "nominated");
  EXPECT_EQ(Str(item, "status"), "draft");
  EXPECT_EQ(Int(item, "version"), 1);
  EXPECT_EQ(Str(item, "title"), "先进单位：夹江县建筑陶瓷有限公司工会");
  EXPECT_EQ(Str(item.at("flow"), "key"), "commendation");
  EXPECT_EQ(item.at("data"),
            (boost::json::value{
                {"kind", "unit"}, {"basis", {report}}, {"citation", "班组竞赛成效显著"}}));
}

TEST_F(NominationCreate, CityReviewerNominatesIndividualAnywhere) {
  const int64_t report = ApprovedReportOf("shizhong-power");
  const boost::json::object person{{"name", "张建国"}, {"position", "变电运维班班长"}};
  HttpResult created = Nominate(
      "city-reviewer", IndividualNomination("shizhong-power", person, {report}, "技术革新 12 项"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json, "stage"), "nominated");
  EXPECT_EQ(Str(created.json, "org"), "shizhong-power");
  EXPECT_EQ(Str(created.json, "title"), "先进个人：张建国（乐山市中区电力公司工会）");
  EXPECT_EQ(created.json.at("data"), (boost::json::value{{"kind", "individual"},
                                                         {"basis", {report}},
                                                         {"citation", "技术革新 12 项"},
                                                         {"person", person}}));

  HttpResult direct =
      Nominate("city-reviewer", UnitNomination("city-transit", {ApprovedReportOf("city-transit")}));
  ASSERT_EQ(direct.status, 201) << direct.body;
  EXPECT_EQ(Str(direct.json, "stage"), "nominated");
  EXPECT_EQ(Str(direct.json.at("data"), "kind"), "unit");
}

TEST_F(NominationCreate, BasisMustBeApprovedReportsOfTheSubtreeAndCampaign) {
  AddCampaign("leshan-2015");
  HttpResult other_campaign_report = server().Post("/api/v1/submissions",
                                                   {{"campaign", "leshan-2015"},
                                                    {"org", "jiajiang-ceramics"},
                                                    {"title", "2015年劳动竞赛情况报告"},
                                                    {"data", ValidReportData()}},
                                                   Token("jiajiang-submitter"));
  ASSERT_EQ(other_campaign_report.status, 201) << other_campaign_report.body;
  const int64_t other_campaign = Int(other_campaign_report.json, "id");
  AttachDocument(Token("jiajiang-submitter"), other_campaign);
  ActOk(Token("jiajiang-submitter"), other_campaign, "submit");
  ActOk(Token("jiajiang-reviewer"), other_campaign, "approve");
  ActOk(Token("city-reviewer"), other_campaign, "approve");
  ASSERT_EQ(Str(GetReport(Token("city-reviewer"), other_campaign).json, "status"), "approved");

  const int64_t in_review = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const int64_t other_subtree = ApprovedReportOf("shizhong-power");
  const int64_t good = ApprovedReportOf("jiajiang-ceramics");
  HttpResult refused = Nominate("jiajiang-reviewer",
                                UnitNomination("jiajiang-ceramics", {good, in_review, other_subtree,
                                                                     other_campaign, 987654}));
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "validation_failed");
  const boost::json::array& details = refused.json.at("error").at("details").as_array();
  ASSERT_EQ(details.size(), 4u) << refused.body;
  const std::vector<std::string> paths = {"basis[1]", "basis[2]", "basis[3]", "basis[4]"};
  for (size_t i = 0; i < details.size(); ++i) {
    EXPECT_EQ(Str(details[i], "path"), paths[i]);
    EXPECT_EQ(Str(details[i], "rule"), "nomination.basis");
    EXPECT_FALSE(Str(details[i], "message").empty());
  }

  // Nothing was created.
  HttpResult listed = server().Get("/api/v1/nominations", Token("city-reviewer"));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_TRUE(listed.json.at("items").as_array().empty()) << listed.body;
}

TEST_F(NominationCreate, EachBasisRefusalAlone) {
  const int64_t in_review = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  for (int64_t basis : {in_review, ApprovedReportOf("shizhong-power"), int64_t{987654}}) {
    HttpResult refused =
        Nominate("jiajiang-reviewer", UnitNomination("jiajiang-ceramics", {basis}));
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "validation_failed");
    EXPECT_EQ(DetailPaths(refused), std::vector<std::string>{"basis[0]"});
    EXPECT_EQ(Str(refused.json.at("error").at("details").at(0), "rule"), "nomination.basis");
  }
  // Another county's report reads as a missing one: the refusal does not
  // tell the nominator which numbers exist beyond what they may see.
  auto message = [this](int64_t basis) {
    HttpResult refused =
        Nominate("jiajiang-reviewer", UnitNomination("jiajiang-ceramics", {basis}));
    std::string text = Str(refused.json.at("error").at("details").at(0), "message");
    const std::string number = std::to_string(basis);
    return text.replace(text.find(number), number.size(), "N");
  };
  EXPECT_EQ(message(ApprovedReportOf("shizhong-power")), message(987654));
  // A report of a unit below the nominated county union is a valid basis.
  HttpResult county = Nominate("jiajiang-reviewer",
                               UnitNomination("jiajiang", {ApprovedReportOf("jiajiang-ceramics")}));
  EXPECT_EQ(county.status, 201) << county.body;
}

TEST_F(NominationCreate, TheCityFederationIsNobodysNominee) {
  const int64_t report = ApprovedReportOf("jiajiang-ceramics");
  HttpResult refused = Nominate("city-reviewer", UnitNomination("leshan", {report}));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(DetailPaths(refused), std::vector<std::string>{"org"});
}

TEST_F(NominationCreate, MissingOrMalformedFieldsAre400) {
  const int64_t report = ApprovedReportOf("jiajiang-ceramics");
  HttpResult no_person =
      Nominate("jiajiang-reviewer", UnitNomination("jiajiang-ceramics", {report}));
  ASSERT_EQ(no_person.status, 201) << no_person.body;

  boost::json::object individual = UnitNomination("jiajiang-ceramics", {report});
  individual["kind"] = "individual";
  HttpResult missing_person = Nominate("jiajiang-reviewer", individual);
  EXPECT_EQ(missing_person.status, 400) << missing_person.body;
  EXPECT_EQ(missing_person.ErrorCode(), "bad_request");
  EXPECT_EQ(DetailPaths(missing_person), std::vector<std::string>{"person"});

  HttpResult nameless =
      Nominate("jiajiang-reviewer",
               IndividualNomination("jiajiang-ceramics", {{"position", "窑炉班长"}}, {report}));
  EXPECT_EQ(nameless.status, 400) << nameless.body;
  EXPECT_EQ(nameless.ErrorCode(), "bad_request");
  EXPECT_EQ(DetailPaths(nameless), std::vector<std::string>{"person.name"});

  boost::json::object bad_kind = UnitNomination("jiajiang-ceramics", {report});
  bad_kind["kind"] = "team";
  bad_kind.erase("citation");
  bad_kind["basis"] = boost::json::array{};
  HttpResult several = Nominate("jiajiang-reviewer", bad_kind);
  EXPECT_EQ(several.status, 400) << several.body;
  EXPECT_EQ(several.ErrorCode(), "bad_request");
  const std::vector<std::string> paths = DetailPaths(several);
  EXPECT_EQ(std::set<std::string>(paths.begin(), paths.end()),
            (std::set<std::string>{"citation", "kind", "basis"}))
      << several.body;

  boost::json::object no_basis = UnitNomination("jiajiang-ceramics", {report});
  no_basis.erase("basis");
  HttpResult missing_basis = Nominate("jiajiang-reviewer", no_basis);
  EXPECT_EQ(missing_basis.status, 400) << missing_basis.body;
  EXPECT_EQ(DetailPaths(missing_basis), std::vector<std::string>{"basis"});
}

TEST_F(NominationCreate, OnlyReviewersOfTheNomineesCountyOrTheCity) {
  const int64_t report = ApprovedReportOf("jiajiang-ceramics");
  const boost::json::object body = UnitNomination("jiajiang-ceramics", {report});

  HttpResult other_county = Nominate("shizhong-reviewer", body);
  EXPECT_EQ(other_county.status, 403) << other_county.body;
  EXPECT_EQ(other_county.ErrorCode(), "forbidden");

  HttpResult submitter = Nominate("jiajiang-submitter", body);
  EXPECT_EQ(submitter.status, 403) << submitter.body;
  EXPECT_EQ(submitter.ErrorCode(), "forbidden");

  HttpResult voter = Nominate("voter1", body);
  EXPECT_EQ(voter.status, 403) << voter.body;
  EXPECT_EQ(voter.ErrorCode(), "forbidden");

  // A county reviewer does not nominate a city-direct unit.
  HttpResult city_direct = Nominate(
      "jiajiang-reviewer", UnitNomination("city-transit", {ApprovedReportOf("city-transit")}));
  EXPECT_EQ(city_direct.status, 403) << city_direct.body;
  EXPECT_EQ(city_direct.ErrorCode(), "forbidden");

  HttpResult anonymous = server().Post("/api/v1/nominations", body);
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(anonymous.ErrorCode(), "unauthenticated");

  HttpResult listed = server().Get("/api/v1/nominations", Token("city-reviewer"));
  EXPECT_TRUE(listed.json.at("items").as_array().empty()) << listed.body;
}

TEST_F(NominationActions, SubmitScreenAndReturn) {
  const int64_t id =
      NominateOk("jiajiang-reviewer",
                 UnitNomination("jiajiang-ceramics", {ApprovedReportOf("jiajiang-ceramics")}));

  // At `nominated` only the reviewer of the nominee's county acts.
  HttpResult city_submit = ActOnNomination("city-reviewer", id, "submit");
  EXPECT_EQ(city_submit.status, 403) << city_submit.body;
  EXPECT_EQ(city_submit.ErrorCode(), "forbidden");
  HttpResult early_approve = ActOnNomination("jiajiang-reviewer", id, "approve");
  EXPECT_EQ(early_approve.status, 409) << early_approve.body;
  EXPECT_EQ(early_approve.ErrorCode(), "invalid_action");

  HttpResult submitted = ActOnNomination("jiajiang-reviewer", id, "submit");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(Str(submitted.json, "stage"), "city_screening");
  EXPECT_EQ(Str(submitted.json, "status"), "in_review");
  EXPECT_EQ(Int(submitted.json, "version"), 2);

  HttpResult county_approve = ActOnNomination("jiajiang-reviewer", id, "approve");
  EXPECT_EQ(county_approve.status, 403) << county_approve.body;
  EXPECT_EQ(county_approve.ErrorCode(), "forbidden");

  HttpResult no_comment = ActOnNomination("city-reviewer", id, "return");
  EXPECT_EQ(no_comment.status, 400) << no_comment.body;
  EXPECT_EQ(no_comment.ErrorCode(), "bad_request");
  EXPECT_EQ(DetailPaths(no_comment), std::vector<std::string>{"comment"});

  HttpResult returned = ActOnNomination("city-reviewer", id, "return", "请补充先进事迹材料");
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(Str(returned.json, "stage"), "nominated");
  EXPECT_EQ(Str(returned.json, "status"), "returned");

  ActOnNominationOk("jiajiang-reviewer", id, "submit");
  HttpResult approved = ActOnNomination("city-reviewer", id, "approve");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Str(approved.json, "stage"), "vote");
  EXPECT_EQ(Str(approved.json, "status"), "in_vote");
  EXPECT_EQ(Int(approved.json, "version"), 5);
  EXPECT_TRUE(approved.json.at("allowed_actions").as_array().empty()) << approved.body;

  // Nobody passes or fails a nomination by hand: only a vote session does.
  for (const char* user : {"voter1", "city-reviewer"}) {
    for (const char* action : {"pass", "fail"}) {
      HttpResult by_hand = ActOnNomination(user, id, action);
      EXPECT_EQ(by_hand.status, 409) << user << " " << action << ": " << by_hand.body;
      EXPECT_EQ(by_hand.ErrorCode(), "invalid_action");
    }
  }
  EXPECT_EQ(StageOf(id), "vote");
}

TEST_F(NominationActions, TheReportDeadlineDoesNotMakeANominationLate) {
  // The campaign's deadline is for reports: a report submitted now is late,
  // a nomination sent on to the city after it is not.
  const int64_t report = ApprovedReportOf("jiajiang-ceramics");
  ASSERT_TRUE(GetReport(Token("city-reviewer"), report).json.at("late").as_bool());
  const int64_t id = NominateOk("jiajiang-reviewer", UnitNomination("jiajiang-ceramics", {report}));
  HttpResult submitted = ActOnNomination("jiajiang-reviewer", id, "submit");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_FALSE(submitted.json.at("late").as_bool()) << submitted.body;
  HttpResult read = server().Get(NominationPath(id), Token("city-reviewer"));
  EXPECT_FALSE(read.json.at("late").as_bool()) << read.body;
}

TEST_F(NominationActions, CityDirectUnitIsSubmittedByTheCity) {
  EnsureSecondCityReviewer();
  const int64_t id = NominateOk("city-reviewer",
                                UnitNomination("city-transit", {ApprovedReportOf("city-transit")}));
  ActOnNominationOk("city-reviewer", id, "submit");
  EXPECT_EQ(StageOf(id), "city_screening");
  HttpResult screened = ActOnNomination("city-reviewer2", id, "approve");
  ASSERT_EQ(screened.status, 200) << screened.body;
  EXPECT_EQ(Str(screened.json, "stage"), "vote");
}

TEST_F(NominationRead, ListByCampaignAndStageAndVisibility) {
  const int64_t jiajiang_in_vote = UnitInVote("jiajiang-ceramics");
  const int64_t shizhong_nominated = NominateOk(
      "shizhong-reviewer", UnitNomination("shizhong-power", {ApprovedReportOf("shizhong-power")}));
  const int64_t jiajiang_nominated = NominateOk(
      "jiajiang-reviewer", IndividualNomination("jiajiang-ceramics", {{"name", "李秀英"}},
                                                {ApprovedReportOf("jiajiang-ceramics")}));

  auto listed = [&](const std::string& user, const std::string& query) {
    HttpResult result = server().Get("/api/v1/nominations" + query, Token(user));
    EXPECT_EQ(result.status, 200) << query << ": " << result.body;
    std::vector<int64_t> ids;
    if (result.status != 200) return ids;
    EXPECT_TRUE(result.json.at("next_cursor").is_null());
    for (const boost::json::value& item : result.json.at("items").as_array()) {
      EXPECT_EQ(Str(item, "kind"), "nomination");
      ids.push_back(Int(item, "id"));
    }
    return ids;
  };
  EXPECT_EQ(listed("city-reviewer", "?campaign=leshan-2014"),
            (std::vector<int64_t>{jiajiang_nominated, shizhong_nominated, jiajiang_in_vote}));
  EXPECT_EQ(listed("city-reviewer", "?campaign=leshan-2014&stage=vote"),
            std::vector<int64_t>{jiajiang_in_vote});
  EXPECT_EQ(listed("voter1", "?campaign=leshan-2014&stage=nominated"),
            (std::vector<int64_t>{jiajiang_nominated, shizhong_nominated}));
  EXPECT_EQ(listed("jiajiang-reviewer", "?campaign=leshan-2014"),
            (std::vector<int64_t>{jiajiang_nominated, jiajiang_in_vote}));
  EXPECT_EQ(listed("shizhong-reviewer", ""), std::vector<int64_t>{shizhong_nominated});
  EXPECT_TRUE(listed("city-reviewer", "?campaign=leshan-2015").empty());
  // Reports are not nominations.
  EXPECT_EQ(listed("city-reviewer", "?stage=approved"), std::vector<int64_t>{});
}

TEST_F(NominationRead, GetOneAndWhoMaySeeIt) {
  const int64_t id = NominateOk(
      "jiajiang-reviewer",
      UnitNomination("jiajiang-ceramics", {ApprovedReportOf("jiajiang-ceramics")}, "陶瓷窑炉节能"));
  HttpResult got = server().Get(NominationPath(id), Token("jiajiang-reviewer"));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Int(got.json, "id"), id);
  EXPECT_EQ(Str(got.json, "stage"), "nominated");
  EXPECT_EQ(Str(got.json.at("data"), "citation"), "陶瓷窑炉节能");
  EXPECT_EQ(got.Header("etag"), "\"1\"");
  ASSERT_EQ(got.json.at("allowed_actions").as_array().size(), 1u) << got.body;
  EXPECT_EQ(Str(got.json.at("allowed_actions").at(0), "action"), "submit");

  EXPECT_EQ(server().Get(NominationPath(id), Token("voter2")).status, 200);
  EXPECT_EQ(server().Get(NominationPath(id), Token("jiajiang-submitter")).status, 200);
  HttpResult hidden = server().Get(NominationPath(id), Token("shizhong-reviewer"));
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_EQ(hidden.ErrorCode(), "not_found");
  HttpResult unknown = server().Get(NominationPath(987654), Token("city-reviewer"));
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(unknown.ErrorCode(), "not_found");
  HttpResult as_report = server().Get(SubmissionPath(id), Token("city-reviewer"));
  EXPECT_EQ(as_report.status, 404) << as_report.body;
  HttpResult anonymous = server().Get(NominationPath(id));
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(anonymous.ErrorCode(), "unauthenticated");
}

TEST_F(NominationRead, HistoryRecordsEveryStepInAChain) {
  const int64_t id =
      NominateOk("jiajiang-reviewer",
                 UnitNomination("jiajiang-ceramics", {ApprovedReportOf("jiajiang-ceramics")}));
  ActOnNominationOk("jiajiang-reviewer", id, "submit");
  ASSERT_EQ(ActOnNomination("city-reviewer", id, "return", "事迹不够具体").status, 200);
  ActOnNominationOk("jiajiang-reviewer", id, "submit");
  ActOnNominationOk("city-reviewer", id, "approve");

  const boost::json::array rows = NominationHistory(id);
  struct Step {
    const char* action;
    const char* actor;
    const char* from;  // nullptr: none
    const char* to;
  };
  const std::vector<Step> expected = {
      {"create", "jiajiang-reviewer", nullptr, "nominated"},
      {"submit", "jiajiang-reviewer", "nominated", "city_screening"},
      {"return", "city-reviewer", "city_screening", "nominated"},
      {"submit", "jiajiang-reviewer", "nominated", "city_screening"},
      {"approve", "city-reviewer", "city_screening", "vote"},
  };
  ASSERT_EQ(rows.size(), expected.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(Int(rows[i], "seq"), static_cast<int64_t>(i) + 1);
    EXPECT_EQ(Str(rows[i], "action"), expected[i].action);
    EXPECT_EQ(Str(rows[i], "actor"), expected[i].actor);
    if (expected[i].from == nullptr) {
      EXPECT_TRUE(rows[i].at("from").is_null());
    } else {
      EXPECT_EQ(Str(rows[i], "from"), expected[i].from);
    }
    EXPECT_EQ(Str(rows[i], "to"), expected[i].to);
    EXPECT_EQ(Str(rows[i], "hash").size(), 64u);
    if (i > 0) {
      EXPECT_EQ(Str(rows[i], "prev_hash"), Str(rows[i - 1], "hash"));
    }
  }
  EXPECT_EQ(Str(rows[2], "comment"), "事迹不够具体");
}

}  // namespace
}  // namespace jingsai::testing
