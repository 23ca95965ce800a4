// report.complete and report.consistent against the built-in 2014 campaign.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/validators.h"
#include "tests/engine/campaign_fixture.h"

namespace jingsai::engine {
namespace {

using test_support::PathsOf;
using test_support::RulesOf;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// Twenty Chinese characters: 60 bytes of UTF-8.
constexpr std::string_view kTwentyChars = "一二三四五六七八九十一二三四五六七八九十";
constexpr std::string_view kNineteenChars = "一二三四五六七八九十一二三四五六七八九";

class ReportComplete : public test_support::ValidatorTest {
 protected:
  std::vector<Detail> Check(std::string_view data, std::string_view params = "{}") {
    return Run("report.complete", data, params);
  }
  std::vector<Detail> CheckNarrative(std::string_view narrative, std::string_view params = "{}") {
    boost::json::object data{{"indicators", {{"proposals_submitted", 1}}},
                             {"narrative", narrative}};
    return Check(boost::json::serialize(data), params);
  }
};

TEST_F(ReportComplete, AcceptsCountsNarrativeAndCompetitions) {
  EXPECT_THAT(Check(R"({"indicators": {"proposals_submitted": 1200, "proposals_implemented": 700,
                                       "workers_participating": 0, "innovation_studios": 2.0},
                      "competitions": ["tech_innovation", "team_competition"],
                      "narrative": "本单位全年组织开展劳动竞赛活动，职工参与踊跃，成效显著。"})"),
              IsEmpty());
}

TEST_F(ReportComplete, RefusesDataThatIsNotAnObject) {
  std::vector<Detail> violations = Check(R"(["proposals_submitted", 3])");
  ASSERT_THAT(PathsOf(violations), ElementsAre("data"));
  EXPECT_EQ(violations[0].rule, "report.complete");
}

TEST_F(ReportComplete, RefusesUnknownIndicator) {
  std::vector<Detail> violations = Check(
      R"({"indicators": {"proposals": 3}, "narrative": "一二三四五六七八九十一二三四五六七八九十"})");
  ASSERT_THAT(PathsOf(violations), ElementsAre("data.indicators.proposals"));
  EXPECT_THAT(violations[0].message, HasSubstr("proposals"));
}

TEST_F(ReportComplete, RefusesATypedRateBecauseRatesAreComputed) {
  std::vector<Detail> violations = Check(
      R"({"indicators": {"proposals_submitted": 10, "proposal_implementation_rate": 0.6},
          "narrative": "一二三四五六七八九十一二三四五六七八九十"})");
  ASSERT_THAT(PathsOf(violations), ElementsAre("data.indicators.proposal_implementation_rate"));
  EXPECT_THAT(violations[0].message, HasSubstr("计算"));
  EXPECT_THAT(violations[0].message, HasSubstr("不能直接填报"));
}

TEST_F(ReportComplete, CountsMustBeWholeNumbersNotBelowZero) {
  std::vector<Detail> violations = Check(
      R"({"indicators": {"inventions": -1, "tech_innovations": 1.5, "patent_applications": "3",
                         "advanced_methods": null, "skill_leaders": true,
                         "energy_supervisors": 40.0, "proposals_submitted": 18446744073709551615},
          "narrative": "一二三四五六七八九十一二三四五六七八九十"})");
  EXPECT_THAT(PathsOf(violations),
              UnorderedElementsAre(
                  "data.indicators.inventions", "data.indicators.tech_innovations",
                  "data.indicators.patent_applications", "data.indicators.advanced_methods",
                  "data.indicators.skill_leaders", "data.indicators.proposals_submitted"));
  EXPECT_THAT(RulesOf(violations), Each(std::string("report.complete")));
}

TEST_F(ReportComplete, CountsHaveAnUpperBoundThatTheMessageNames) {
  std::vector<Detail> violations = Check(
      R"({"indicators": {"inventions": 1000000000, "workers_participating": 5000000000000000000,
                         "tech_innovations": 1e20, "patent_applications": 1000000001},
          "narrative": "一二三四五六七八九十一二三四五六七八九十"})");
  EXPECT_THAT(PathsOf(violations), UnorderedElementsAre("data.indicators.workers_participating",
                                                        "data.indicators.tech_innovations",
                                                        "data.indicators.patent_applications"));
  for (const Detail& violation : violations) {
    EXPECT_THAT(violation.message, HasSubstr("不能超过 1000000000"));
  }
}

TEST_F(ReportComplete, RequiresANarrative) {
  EXPECT_THAT(PathsOf(Check(R"({"indicators": {"inventions": 1}})")),
              ElementsAre("data.narrative"));
  EXPECT_THAT(PathsOf(Check(R"({"indicators": {"inventions": 1}, "narrative": 42})")),
              ElementsAre("data.narrative"));
}

TEST_F(ReportComplete, CountsCharactersNotBytes) {
  EXPECT_THAT(CheckNarrative(kTwentyChars), IsEmpty());
  std::vector<Detail> violations = CheckNarrative(kNineteenChars);
  ASSERT_THAT(PathsOf(violations), ElementsAre("data.narrative"));
  EXPECT_THAT(violations[0].message, HasSubstr("20"));
  EXPECT_THAT(violations[0].message, HasSubstr("19"));
}

TEST_F(ReportComplete, TrimsWhitespaceIncludingFullWidthSpaces) {
  std::string padded = "  \n\u3000" + std::string(kNineteenChars) + "\u3000\t ";
  EXPECT_THAT(PathsOf(CheckNarrative(padded)), ElementsAre("data.narrative"));
  EXPECT_THAT(PathsOf(CheckNarrative("\u3000\u3000  \n")), ElementsAre("data.narrative"));
  // Inner spaces are part of the text.
  EXPECT_THAT(CheckNarrative("一二三四五 六七八九十一二三四五六七八九"), IsEmpty());
}

TEST_F(ReportComplete, MinNarrativeCharsParamOverridesTheDefault) {
  EXPECT_THAT(CheckNarrative("短文本五字", R"({"min_narrative_chars": 5})"), IsEmpty());
  EXPECT_THAT(PathsOf(CheckNarrative("短文本四", R"({"min_narrative_chars": 5})")),
              ElementsAre("data.narrative"));
  EXPECT_THAT(PathsOf(CheckNarrative(kTwentyChars, R"({"min_narrative_chars": 21})")),
              ElementsAre("data.narrative"));
}

TEST_F(ReportComplete, CompetitionsMustBeUniqueKnownKeys) {
  std::vector<Detail> violations = Check(
      R"({"competitions": ["key_projects", "ecology", "bridges", "ecology", 7],
          "narrative": "一二三四五六七八九十一二三四五六七八九十"})");
  EXPECT_THAT(PathsOf(violations),
              ElementsAre("data.competitions[2]", "data.competitions[3]", "data.competitions[4]"));
  EXPECT_THAT(PathsOf(Check(R"({"competitions": "ecology",
                               "narrative": "一二三四五六七八九十一二三四五六七八九十"})")),
              ElementsAre("data.competitions"));
}

TEST_F(ReportComplete, CompetitionsAloneAreEnough) {
  EXPECT_THAT(Check(R"({"competitions": ["service_windows"],
                       "narrative": "一二三四五六七八九十一二三四五六七八九十"})"),
              IsEmpty());
}

TEST_F(ReportComplete, RequiresAtLeastOneIndicatorOrCompetition) {
  EXPECT_THAT(PathsOf(Check(R"({"indicators": {}, "competitions": [],
                               "narrative": "一二三四五六七八九十一二三四五六七八九十"})")),
              ElementsAre("data"));
  EXPECT_THAT(PathsOf(Check(R"({"narrative": "一二三四五六七八九十一二三四五六七八九十"})")),
              ElementsAre("data"));
}

TEST_F(ReportComplete, ReportsEveryViolationAtOnce) {
  std::vector<Detail> violations = Check(
      R"({"indicators": {"inventions": -3}, "competitions": ["nowhere"], "narrative": "太短"})");
  EXPECT_THAT(PathsOf(violations), UnorderedElementsAre("data.indicators.inventions",
                                                        "data.competitions[0]", "data.narrative"));
  EXPECT_THAT(RulesOf(violations), Each(std::string("report.complete")));
}

TEST_F(ReportComplete, WithoutCampaignReportsOneViolation) {
  campaign_ptr_ = nullptr;
  std::vector<Detail> violations = Check(R"({"indicators": {"inventions": -3}})");
  ASSERT_THAT(PathsOf(violations), ElementsAre("campaign"));
  EXPECT_EQ(violations[0].rule, "report.complete");
}

class ReportConsistent : public test_support::ValidatorTest {
 protected:
  std::vector<Detail> Check(std::string_view indicators) {
    return Run("report.consistent", R"({"indicators": )" + std::string(indicators) + "}");
  }
};

TEST_F(ReportConsistent, AcceptsPartsWithinTheirWholes) {
  EXPECT_THAT(Check(R"({"proposals_submitted": 100, "proposals_implemented": 100,
                        "workers_total": 500, "workers_in_competition": 400,
                        "enterprises_total": 30, "nonpublic_enterprises": 20,
                        "nonpublic_enterprises_competing": 20, "skill_contest_enterprises": 3})"),
              IsEmpty());
}

TEST_F(ReportConsistent, ImplementedCannotExceedSubmitted) {
  std::vector<Detail> violations =
      Check(R"({"proposals_submitted": 100, "proposals_implemented": 101})");
  ASSERT_THAT(PathsOf(violations), ElementsAre("data.indicators.proposals_implemented"));
  EXPECT_EQ(violations[0].rule, "report.consistent");
  EXPECT_THAT(violations[0].message, HasSubstr("101"));
  EXPECT_THAT(violations[0].message, HasSubstr("100"));
}

TEST_F(ReportConsistent, EveryRateNumeratorStaysWithinItsDenominator) {
  EXPECT_THAT(PathsOf(Check(R"({"above_scale_enterprises": 5,
                               "above_scale_enterprises_participating": 6,
                               "units_total": 9, "units_competing": 10,
                               "nonpublic_workers": 1, "nonpublic_workers_participating": 2,
                               "enterprises_total": 4, "job_training_enterprises": 5})")),
              UnorderedElementsAre("data.indicators.above_scale_enterprises_participating",
                                   "data.indicators.units_competing",
                                   "data.indicators.nonpublic_workers_participating",
                                   "data.indicators.job_training_enterprises"));
}

TEST_F(ReportConsistent, NumeratorWithoutDenominatorCannotBeRated) {
  std::vector<Detail> violations = Check(R"({"units_competing": 3, "workers_total": 10})");
  ASSERT_THAT(PathsOf(violations), ElementsAre("data.indicators.units_competing"));
  EXPECT_THAT(violations[0].message, HasSubstr("企事业单位数"));
}

TEST_F(ReportConsistent, DenominatorAloneIsFine) {
  EXPECT_THAT(Check(R"({"units_total": 3, "proposals_submitted": 10})"), IsEmpty());
}

TEST_F(ReportConsistent, WorkersInCompetitionWithinWorkersTotal) {
  EXPECT_THAT(PathsOf(Check(R"({"workers_total": 10, "workers_in_competition": 11})")),
              ElementsAre("data.indicators.workers_in_competition"));
}

TEST_F(ReportConsistent, NonpublicEnterprisesWithinTheirWholes) {
  EXPECT_THAT(PathsOf(Check(R"({"nonpublic_enterprises": 10,
                               "nonpublic_enterprises_competing": 11})")),
              ElementsAre("data.indicators.nonpublic_enterprises_competing"));
  EXPECT_THAT(PathsOf(Check(R"({"enterprises_total": 10, "nonpublic_enterprises": 11})")),
              ElementsAre("data.indicators.nonpublic_enterprises"));
}

TEST_F(ReportConsistent, PersonTimesHaveNoCap) {
  EXPECT_THAT(Check(R"({"workers_total": 10, "workers_in_competition": 10,
                        "workers_participating": 5000, "skill_contest_participants": 9000})"),
              IsEmpty());
}

TEST_F(ReportConsistent, LeavesShapeProblemsToReportComplete) {
  EXPECT_THAT(Check(R"({"proposals_submitted": "100", "proposals_implemented": 101})"), IsEmpty());
  EXPECT_THAT(Run("report.consistent", "[]"), IsEmpty());
}

TEST_F(ReportConsistent, FollowsTheCampaignsOwnRates) {
  Result<Campaign> custom = ParseCampaign(boost::json::parse(R"({
    "key": "custom", "title": "自定", "deadline": "2015-01-01", "timezone": "UTC",
    "late_policy": "flag", "competitions": [],
    "indicators": [
      {"key": "trained", "label": "参训", "unit": "人"},
      {"key": "staff", "label": "职工", "unit": "人"},
      {"key": "training_rate", "label": "参训率", "unit": "%", "numerator": "trained",
       "denominator": "staff"},
      {"key": "proposals_submitted", "label": "建议", "unit": "件"},
      {"key": "proposals_implemented", "label": "已实施", "unit": "件"}
    ]})"));
  ASSERT_TRUE(custom.ok());
  campaign_ = std::move(custom).value();
  EXPECT_THAT(PathsOf(Check(R"({"trained": 5, "staff": 4})")),
              ElementsAre("data.indicators.trained"));
  EXPECT_THAT(PathsOf(Check(R"({"trained": 5})")), ElementsAre("data.indicators.trained"));
  // Fixed containments still hold, but without a rate a lone part is fine.
  EXPECT_THAT(PathsOf(Check(R"({"proposals_submitted": 1, "proposals_implemented": 2})")),
              ElementsAre("data.indicators.proposals_implemented"));
  EXPECT_THAT(Check(R"({"proposals_implemented": 2})"), IsEmpty());
}

TEST_F(ReportConsistent, WithoutCampaignReportsOneViolation) {
  campaign_ptr_ = nullptr;
  std::vector<Detail> violations = Check(R"({"proposals_submitted": 1})");
  ASSERT_THAT(PathsOf(violations), ElementsAre("campaign"));
  EXPECT_EQ(violations[0].rule, "report.consistent");
}

}  // namespace
}  // namespace jingsai::engine
