// ParseCampaign: the built-in 2014 plan, the deadline instant, and broken
// definitions reported problem by problem with their paths.

#include "engine/campaign.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "tests/engine/campaign_fixture.h"

namespace jingsai::engine {
namespace {

using test_support::BuiltinCampaign;
using test_support::BuiltinCampaignJson;
using test_support::BuiltinDeadline;
using test_support::PathsOf;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

constexpr std::string_view kSmallCampaign = R"({
  "key": "test", "title": "测试活动", "deadline": "2014-10-20", "timezone": "Asia/Shanghai",
  "late_policy": "refuse",
  "indicators": [
    {"key": "submitted", "label": "建议", "unit": "件", "target": 10},
    {"key": "implemented", "label": "已实施", "unit": "件"},
    {"key": "rate", "label": "实施率", "unit": "%", "numerator": "implemented",
     "denominator": "submitted", "target": 0.5}
  ],
  "competitions": [{"key": "team", "label": "班组竞赛"}]
})";

boost::json::object Small() { return boost::json::parse(kSmallCampaign).as_object(); }

boost::json::object& IndicatorAt(boost::json::object& campaign, std::size_t i) {
  return campaign["indicators"].as_array()[i].as_object();
}

// The problem paths of a campaign that must not parse; "<ok>" if it did.
std::vector<std::string> ProblemPaths(const boost::json::value& json) {
  Result<Campaign> result = ParseCampaign(json);
  if (result.ok()) return {"<ok>"};
  EXPECT_EQ(result.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(result.error().message, "活动定义有误");
  for (const Detail& detail : result.error().details) {
    EXPECT_FALSE(detail.message.empty()) << detail.path;
  }
  return PathsOf(result.error().details);
}

TEST(BuiltinCampaign, ParsesWithEveryIndicatorAndCompetition) {
  Result<Campaign> result = ParseCampaign(BuiltinCampaignJson());
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(PathsOf(result.error().details));
  const Campaign& campaign = result.value();
  EXPECT_EQ(campaign.key, "leshan-2014");
  EXPECT_EQ(campaign.title, "乐山市2014年劳动竞赛计划");
  EXPECT_EQ(campaign.indicators.size(), 33u);
  int rates = 0;
  for (const Indicator& indicator : campaign.indicators) rates += indicator.IsRate() ? 1 : 0;
  EXPECT_EQ(rates, 8);
  EXPECT_EQ(campaign.competitions.size(), 7u);
  EXPECT_EQ(campaign.late_policy, LatePolicy::kFlag);
  EXPECT_TRUE(campaign.source.is_object());
}

TEST(BuiltinCampaign, DeadlineIsStartOfTheNextDayInShanghai) {
  Campaign campaign = BuiltinCampaign();
  EXPECT_EQ(campaign.deadline_date, "2014-10-20");
  EXPECT_EQ(campaign.timezone, "Asia/Shanghai");
  EXPECT_EQ(campaign.deadline, BuiltinDeadline());
  EXPECT_FALSE(campaign.IsLate(BuiltinDeadline() - std::chrono::seconds{1}));
  EXPECT_TRUE(campaign.IsLate(BuiltinDeadline()));
}

TEST(BuiltinCampaign, RatesAreDerivedFromReportedCounts) {
  Campaign campaign = BuiltinCampaign();
  const Indicator* rate = campaign.FindIndicator("proposal_implementation_rate");
  ASSERT_NE(rate, nullptr);
  EXPECT_TRUE(rate->IsRate());
  EXPECT_FALSE(rate->reported);
  EXPECT_EQ(rate->numerator, "proposals_implemented");
  EXPECT_EQ(rate->denominator, "proposals_submitted");
  EXPECT_EQ(rate->target, 0.5);
  const Indicator* submitted = campaign.FindIndicator("proposals_submitted");
  ASSERT_NE(submitted, nullptr);
  EXPECT_TRUE(submitted->reported);
  EXPECT_FALSE(submitted->IsRate());
  EXPECT_EQ(submitted->target, 50000);
  EXPECT_EQ(submitted->label, "职工合理化建议");
  EXPECT_EQ(submitted->unit, "件");
  EXPECT_EQ(campaign.FindIndicator("proposals_implemented")->target, std::nullopt);
}

TEST(BuiltinCampaign, InnovationStudiosNeedOnePerCounty) {
  Campaign campaign = BuiltinCampaign();
  const Indicator* studios = campaign.FindIndicator("innovation_studios");
  ASSERT_NE(studios, nullptr);
  EXPECT_TRUE(studios->per_county_minimum);
  EXPECT_EQ(studios->target, 20);
  EXPECT_FALSE(campaign.FindIndicator("inventions")->per_county_minimum);
}

TEST(BuiltinCampaign, FindsIndicatorsAndCompetitionsByKey) {
  Campaign campaign = BuiltinCampaign();
  EXPECT_EQ(campaign.FindIndicator("no_such_indicator"), nullptr);
  EXPECT_TRUE(campaign.IsKnownCompetition("tech_innovation"));
  EXPECT_TRUE(campaign.IsKnownCompetition("team_competition"));
  EXPECT_FALSE(campaign.IsKnownCompetition("tech_innovations"));
  EXPECT_FALSE(campaign.IsKnownCompetition(""));
}

TEST(CampaignDeadline, UtcDeadlineIsMidnightUtcOfTheNextDay) {
  boost::json::object campaign = Small();
  campaign["timezone"] = "UTC";
  campaign["deadline"] = "2014-12-31";
  Result<Campaign> result = ParseCampaign(campaign);
  ASSERT_TRUE(result.ok());
  using namespace std::chrono;
  EXPECT_EQ(result->deadline, TimePoint{sys_days{year{2015} / January / 1}});
  EXPECT_EQ(result->late_policy, LatePolicy::kRefuse);
}

TEST(CampaignDeadline, ShanghaiDeadlineCrossesMonthAndLeapDay) {
  boost::json::object campaign = Small();
  campaign["deadline"] = "2016-02-29";
  Result<Campaign> result = ParseCampaign(campaign);
  ASSERT_TRUE(result.ok());
  using namespace std::chrono;
  EXPECT_EQ(result->deadline, TimePoint{sys_days{year{2016} / February / 29} + hours{16}});
}

TEST(CampaignDeadline, RejectsImpossibleAndMalformedDates) {
  for (std::string_view bad : {"2014-02-30", "2014-13-01", "2014-1-20", "20141020", "2014/10/20",
                               "2014-10-20T00:00", ""}) {
    boost::json::object campaign = Small();
    campaign["deadline"] = bad;
    EXPECT_THAT(ProblemPaths(campaign), ElementsAre("deadline")) << bad;
  }
}

TEST(CampaignDeadline, RejectsTimezonesOtherThanShanghaiAndUtc) {
  boost::json::object campaign = Small();
  campaign["timezone"] = "America/New_York";
  EXPECT_THAT(ProblemPaths(campaign), ElementsAre("timezone"));
  campaign["timezone"] = 8;
  EXPECT_THAT(ProblemPaths(campaign), ElementsAre("timezone"));
}

TEST(ParseCampaign, AcceptsTheSmallCampaign) {
  EXPECT_THAT(ProblemPaths(Small()), ElementsAre("<ok>"));
}

TEST(ParseCampaign, RejectsNonObject) {
  EXPECT_THAT(ProblemPaths(boost::json::parse("[1, 2]")), ElementsAre(""));
}

TEST(ParseCampaign, RequiresKeyTitleDeadlineTimezoneAndPolicy) {
  boost::json::object campaign = Small();
  for (std::string_view field : {"key", "title", "deadline", "timezone", "late_policy"}) {
    campaign.erase(field);
  }
  EXPECT_THAT(ProblemPaths(campaign),
              UnorderedElementsAre("key", "title", "deadline", "timezone", "late_policy"));
}

TEST(ParseCampaign, LatePolicyIsFlagOrRefuse) {
  boost::json::object campaign = Small();
  campaign["late_policy"] = "warn";
  EXPECT_THAT(ProblemPaths(campaign), ElementsAre("late_policy"));
}

TEST(ParseCampaign, ReportsEveryProblemWithItsPath) {
  boost::json::object campaign = Small();
  campaign.erase("title");
  campaign["deadline"] = "2014-02-30";
  campaign["late_policy"] = "sometimes";
  IndicatorAt(campaign, 0).erase("label");
  IndicatorAt(campaign, 0)["target"] = "many";
  campaign["indicators"].as_array().push_back(
      boost::json::parse(R"({"key": "implemented", "label": "重复", "unit": "件"})"));
  IndicatorAt(campaign, 2)["denominator"] = "no_such_indicator";  // unknown
  IndicatorAt(campaign, 2)["numerater"] = "implemented";          // typo
  campaign["competitions"].as_array().push_back(
      boost::json::parse(R"({"key": "team", "label": "重复"})"));
  campaign["competitions"].as_array().push_back(boost::json::parse(R"({"label": "无代码"})"));
  EXPECT_THAT(ProblemPaths(campaign),
              UnorderedElementsAre("title", "deadline", "late_policy", "indicators[0].label",
                                   "indicators[0].target", "indicators[3].key",
                                   "indicators[2].denominator", "indicators[2].numerater",
                                   "competitions[1].key", "competitions[2].key"));
}

TEST(ParseCampaign, RateNeedsBothNumeratorAndDenominator) {
  boost::json::object campaign = Small();
  IndicatorAt(campaign, 2).erase("denominator");
  EXPECT_THAT(ProblemPaths(campaign), ElementsAre("indicators[2].denominator"));
}

TEST(ParseCampaign, RateMustBeBuiltOnReportedCounts) {
  boost::json::object campaign = Small();
  campaign["indicators"].as_array().push_back(boost::json::parse(
      R"({"key": "rate2", "label": "比率的比率", "unit": "%", "numerator": "rate",
          "denominator": "rate2"})"));
  EXPECT_THAT(ProblemPaths(campaign),
              UnorderedElementsAre("indicators[3].numerator", "indicators[3].denominator"));
}

TEST(ParseCampaign, RateTargetIsAFractionNotAPercentage) {
  boost::json::object campaign = Small();
  IndicatorAt(campaign, 2)["target"] = 50;
  EXPECT_THAT(ProblemPaths(campaign), ElementsAre("indicators[2].target"));
}

TEST(ParseCampaign, IndicatorsAndCompetitionsMustBeArraysOfObjects) {
  boost::json::object campaign = Small();
  campaign["indicators"] = "all of them";
  campaign["competitions"] = boost::json::parse(R"([{"key": "ok", "label": "好"}, "team"])");
  EXPECT_THAT(ProblemPaths(campaign), UnorderedElementsAre("indicators", "competitions[1]"));
  campaign["indicators"] = boost::json::array{};
  EXPECT_THAT(ProblemPaths(campaign), UnorderedElementsAre("indicators", "competitions[1]"));
}

TEST(ParseCampaign, PerCountyMinimumMustBeANumber) {
  boost::json::object campaign = Small();
  IndicatorAt(campaign, 0)["per_county_minimum"] = "one";
  EXPECT_THAT(ProblemPaths(campaign), ElementsAre("indicators[0].per_county_minimum"));
  IndicatorAt(campaign, 0)["per_county_minimum"] = 1;
  Result<Campaign> result = ParseCampaign(campaign);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->indicators[0].per_county_minimum);
  EXPECT_FALSE(result->indicators[1].per_county_minimum);
}

}  // namespace
}  // namespace jingsai::engine
