// The validator registry: names, parameter checks, running several
// validators at once, and campaign.deadline.

#include "engine/validators.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "tests/engine/campaign_fixture.h"

namespace jingsai::engine {
namespace {

using test_support::BuiltinDeadline;
using test_support::Evidence;
using test_support::PathsOf;
using test_support::RulesOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kValidatorPath[] = "stages[0].actions.submit.validators[1]";

ValidatorRef Ref(std::string name, std::string_view params = "{}") {
  return ValidatorRef{std::move(name), boost::json::parse(params).as_object()};
}

TEST(ValidatorRegistry, KnowsTheFourValidators) {
  EXPECT_THAT(KnownValidators(),
              UnorderedElementsAre("report.complete", "report.consistent", "evidence.backs_claims",
                                   "campaign.deadline"));
  for (const std::string& name : KnownValidators()) EXPECT_TRUE(IsKnownValidator(name)) << name;
  EXPECT_FALSE(IsKnownValidator("report.completed"));
  EXPECT_FALSE(IsKnownValidator(""));
}

TEST(ValidatorParams, AcceptsKnownParamsOfTheRightType) {
  EXPECT_THAT(CheckValidatorParams(Ref("report.complete", R"({"min_narrative_chars": 50})"),
                                   kValidatorPath),
              IsEmpty());
  EXPECT_THAT(CheckValidatorParams(Ref("report.complete"), kValidatorPath), IsEmpty());
  EXPECT_THAT(CheckValidatorParams(Ref("evidence.backs_claims"), kValidatorPath), IsEmpty());
}

TEST(ValidatorParams, RejectsUnknownParamsWithTheirPaths) {
  EXPECT_THAT(
      PathsOf(CheckValidatorParams(
          Ref("report.complete", R"({"min_chars": 5, "min_narrative_chars": 5})"), kValidatorPath)),
      ElementsAre("stages[0].actions.submit.validators[1].params.min_chars"));
  EXPECT_THAT(PathsOf(CheckValidatorParams(
                  Ref("campaign.deadline", R"({"min_narrative_chars": 5})"), kValidatorPath)),
              ElementsAre("stages[0].actions.submit.validators[1].params.min_narrative_chars"));
}

TEST(ValidatorParams, RejectsWrongTypes) {
  for (std::string_view bad : {R"("20")", "-1", "1.5", "true", "null", "[20]"}) {
    std::string params = R"({"min_narrative_chars": )" + std::string(bad) + "}";
    EXPECT_THAT(PathsOf(CheckValidatorParams(Ref("report.complete", params), kValidatorPath)),
                ElementsAre("stages[0].actions.submit.validators[1].params.min_narrative_chars"))
        << bad;
  }
}

TEST(ValidatorParams, ReportsEveryBadParam) {
  EXPECT_THAT(PathsOf(CheckValidatorParams(
                  Ref("report.complete", R"({"a": 1, "b": 2, "min_narrative_chars": "x"})"), "v")),
              UnorderedElementsAre("v.params.a", "v.params.b", "v.params.min_narrative_chars"));
}

class RunValidatorsTest : public test_support::ValidatorTest {};

TEST_F(RunValidatorsTest, RunsInOrderAndConcatenatesEveryViolation) {
  evidence_ = {};
  data_ = boost::json::parse(R"({"indicators": {"proposals_submitted": 5,
      "proposals_implemented": 6}, "narrative": "太短"})");
  ValidationInput input{&campaign_, &data_, &evidence_, now_};
  std::vector<Detail> violations = RunValidators(
      {Ref("report.complete"), Ref("report.consistent"), Ref("evidence.backs_claims")}, input);
  EXPECT_THAT(PathsOf(violations),
              ElementsAre("data.narrative", "data.indicators.proposals_implemented", "evidence"));
  EXPECT_THAT(RulesOf(violations),
              ElementsAre("report.complete", "report.consistent", "evidence.backs_claims"));
}

TEST_F(RunValidatorsTest, NoValidatorsNoViolations) {
  ValidationInput input{&campaign_, &data_, &evidence_, now_};
  EXPECT_THAT(RunValidators({}, input), IsEmpty());
}

TEST_F(RunValidatorsTest, AnUnknownValidatorRefusesRatherThanPasses) {
  ValidationInput input{&campaign_, &data_, &evidence_, now_};
  EXPECT_THAT(RulesOf(RunValidators({Ref("no.such.rule")}, input)), ElementsAre("no.such.rule"));
}

class DeadlineValidator : public test_support::ValidatorTest {
 protected:
  std::vector<Detail> CheckAt(TimePoint now) {
    now_ = now;
    return Run("campaign.deadline", "{}");
  }
};

TEST_F(DeadlineValidator, RefusePolicyRefusesFromTheFirstLateInstant) {
  campaign_.late_policy = LatePolicy::kRefuse;
  std::vector<Detail> violations = CheckAt(BuiltinDeadline());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0],
            (Detail{"campaign", "已超过截止日期 2014-10-20，不再接受报送", "campaign.deadline"}));
  EXPECT_THAT(PathsOf(CheckAt(BuiltinDeadline() + std::chrono::hours{24 * 365})),
              ElementsAre("campaign"));
}

TEST_F(DeadlineValidator, RefusePolicyAcceptsUntilTheEndOfTheDeadlineDay) {
  campaign_.late_policy = LatePolicy::kRefuse;
  EXPECT_THAT(CheckAt(BuiltinDeadline() - std::chrono::seconds{1}), IsEmpty());
}

TEST_F(DeadlineValidator, FlagPolicyReportsNothing) {
  ASSERT_EQ(campaign_.late_policy, LatePolicy::kFlag);
  EXPECT_THAT(CheckAt(BuiltinDeadline() + std::chrono::hours{1}), IsEmpty());
}

TEST_F(DeadlineValidator, WithoutCampaignReportsOneViolation) {
  campaign_ptr_ = nullptr;
  std::vector<Detail> violations = CheckAt(BuiltinDeadline() - std::chrono::hours{1});
  ASSERT_THAT(PathsOf(violations), ElementsAre("campaign"));
  EXPECT_EQ(violations[0].rule, "campaign.deadline");
}

}  // namespace
}  // namespace jingsai::engine
