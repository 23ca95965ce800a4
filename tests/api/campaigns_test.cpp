// Campaigns: the built-in 2014 plan with its indicators, targets, deadline
// and late policy, and the late flag a report gets from it.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <set>

#include "engine/time_format.h"
#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

using namespace std::chrono_literals;

class Campaigns : public ApiTest {};

TEST_F(Campaigns, ListsTheBuiltInCampaign) {
  HttpResult list = server().Get("/api/v1/campaigns", Token("jiajiang-submitter"));
  ASSERT_EQ(list.status, 200) << list.body;
  const boost::json::array& items = list.json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(Str(items[0], "key"), "leshan-2014");
  EXPECT_EQ(Str(items[0], "title"), "乐山市2014年劳动竞赛计划");
  EXPECT_EQ(Str(items[0], "deadline"), "2014-10-20");
  EXPECT_TRUE(list.json.at("next_cursor").is_null());
}

TEST_F(Campaigns, CampaignCarriesIndicatorsTargetsDeadlineAndPolicy) {
  HttpResult campaign = server().Get("/api/v1/campaigns/leshan-2014", Token("voter2"));
  ASSERT_EQ(campaign.status, 200) << campaign.body;
  EXPECT_EQ(Str(campaign.json, "deadline"), "2014-10-20");
  EXPECT_EQ(Str(campaign.json, "timezone"), "Asia/Shanghai");
  EXPECT_EQ(Str(campaign.json, "late_policy"), "flag");
  // The end of 20 October in Shanghai (UTC+8).
  EXPECT_EQ(engine::ParseTime(Str(campaign.json, "deadline_at")),
            engine::ParseTime("2014-10-20T16:00:00Z"))
      << Str(campaign.json, "deadline_at");

  std::map<std::string, boost::json::value> targets;
  for (const boost::json::value& indicator : campaign.json.at("indicators").as_array()) {
    const boost::json::value* target = indicator.as_object().if_contains("target");
    targets[Str(indicator, "key")] = target == nullptr ? nullptr : *target;
  }
  for (const char* key :
       {"above_scale_participation_rate", "workers_participating", "unit_coverage_rate",
        "worker_participation_rate", "nonpublic_coverage_rate", "proposals_submitted",
        "proposals_implemented", "proposal_implementation_rate", "tech_innovations", "inventions",
        "patent_applications", "advanced_methods", "skill_contest_participants",
        "skill_contest_enterprise_rate", "job_training_enterprise_rate", "chief_employee_pilots",
        "skill_leaders", "innovation_studios", "energy_supervisors"}) {
    EXPECT_TRUE(targets.contains(key)) << key;
  }
  EXPECT_EQ(targets["proposals_submitted"].to_number<double>(), 50000);
  EXPECT_EQ(targets["workers_participating"].to_number<double>(), 300000);
  EXPECT_EQ(targets["above_scale_participation_rate"].to_number<double>(), 0.9);
  EXPECT_EQ(targets["innovation_studios"].to_number<double>(), 20);
  EXPECT_TRUE(targets["proposals_implemented"].is_null());

  std::set<std::string> competitions;
  for (const boost::json::value& competition : campaign.json.at("competitions").as_array()) {
    competitions.insert(Str(competition, "key"));
  }
  EXPECT_TRUE(competitions.contains("tech_innovation"));
  EXPECT_TRUE(competitions.contains("team_competition"));
}

TEST_F(Campaigns, UnknownCampaignIsNotFound) {
  HttpResult missing = server().Get("/api/v1/campaigns/leshan-2099", Token("voter2"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.ErrorCode(), "not_found");
}

TEST_F(Campaigns, ReportWithUnknownIndicatorOrCompetitionIsRefusedOnSubmit) {
  const std::string& token = Token("jiajiang-submitter");
  boost::json::object data = ValidReportData();
  data["indicators"].as_object()["happiness"] = 3;
  data["indicators"].as_object()["proposal_implementation_rate"] = 0.6;
  data["competitions"] = {"tech_innovation", "chess"};
  int64_t id = CreateReport(token, "jiajiang-ceramics", "报告", data);
  AttachDocument(token, id);
  HttpResult refused = Act(token, id, "submit");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "validation_failed");
  std::set<std::string> paths;
  for (const boost::json::value& detail : refused.json.at("error").at("details").as_array()) {
    paths.insert(Str(detail, "path"));
    EXPECT_EQ(Str(detail, "rule"), "report.complete");
  }
  EXPECT_EQ(paths, (std::set<std::string>{"data.indicators.happiness",
                                          "data.indicators.proposal_implementation_rate",
                                          "data.competitions[1]"}));
  EXPECT_EQ(Str(GetReport(token, id).json, "stage"), "draft");
}

class CampaignDeadline : public ApiTest {
 protected:
  CampaignDeadline() : ApiTest(TestServer::Options::OnClockAt("2014-10-20T10:00:00Z")) {}

  int64_t Draft() {
    const std::string& token = Token("jiajiang-submitter");
    int64_t id = CreateReport(token, "jiajiang-ceramics");
    AttachDocument(token, id);
    return id;
  }
};

TEST_F(CampaignDeadline, ReportSubmittedOnTheLastDayIsNotLate) {
  int64_t id = Draft();
  server().Advance(6h - 1s);  // 2014-10-20 23:59:59 in Shanghai
  boost::json::value submitted = ActOk(Token("jiajiang-submitter"), id, "submit");
  EXPECT_EQ(submitted.at("late"), boost::json::value(false));
  EXPECT_EQ(engine::ParseTime(Str(submitted, "submitted_at")),
            engine::ParseTime("2014-10-20T15:59:59Z"));
}

TEST_F(CampaignDeadline, ReportSubmittedAfterTheDeadlineIsFlaggedLate) {
  int64_t id = Draft();
  server().Advance(6h + 1s);
  boost::json::value submitted = ActOk(Token("jiajiang-submitter"), id, "submit");
  EXPECT_EQ(Str(submitted, "stage"), "county_review");
  EXPECT_EQ(submitted.at("late"), boost::json::value(true));
  EXPECT_EQ(GetReport(Token("city-reviewer"), id).json.at("late"), boost::json::value(true));
}

TEST_F(CampaignDeadline, ResubmittingLateKeepsTheFirstSubmission) {
  int64_t id = Draft();
  ActOk(Token("jiajiang-submitter"), id, "submit");
  ActOk(Token("jiajiang-reviewer"), id, "return", "请补充");
  server().Advance(7h);
  boost::json::value resubmitted = ActOk(Token("jiajiang-submitter"), id, "submit");
  EXPECT_EQ(resubmitted.at("late"), boost::json::value(false));
  EXPECT_EQ(engine::ParseTime(Str(resubmitted, "submitted_at")),
            engine::ParseTime("2014-10-20T10:00:00Z"));
}

}  // namespace
}  // namespace jingsai::testing
