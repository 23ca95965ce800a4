// Apply's refusals over the built-in report flows: each names its real cause
// with the right ErrorCode (transition.h lists the order of the checks).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "engine/transition.h"
#include "tests/engine/flow_fixture.h"

namespace jingsai::engine {
namespace {

using test_support::CodeName;
using test_support::kCity;
using test_support::kCityDirect;
using test_support::kShizhong;
using test_support::kShizhongA;
using test_support::MakeActor;
using test_support::PathsOf;
using test_support::RulesOf;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class ReportFlowRefusal : public test_support::FlowFixture {
 protected:
  ReportFlowRefusal() : FlowFixture("report-county.json") {}

  Instance Draft() const { return NewItem(kShizhongA, unit_submitter_); }
  Instance AtCountyReview() const { return Step(Draft(), unit_submitter_, "submit"); }
  Instance AtCityReview() const { return Step(AtCountyReview(), shizhong_reviewer_, "approve"); }
  Instance Approved() const { return Step(AtCityReview(), city_reviewer_, "approve"); }
};

class CityDirectRefusal : public test_support::FlowFixture {
 protected:
  CityDirectRefusal() : FlowFixture("report-city-direct.json") {}

  Instance AtCityReview() const {
    return Step(NewItem(kCityDirect, direct_submitter_), direct_submitter_, "submit");
  }
};

// 1. The action must be declared at the item's stage.

TEST_F(ReportFlowRefusal, ApproveInDraftIsInvalidAction) {
  EXPECT_EQ(CodeName(Do(Draft(), shizhong_reviewer_, "approve")), "invalid_action");
}

TEST_F(ReportFlowRefusal, SubmitInReviewIsInvalidAction) {
  EXPECT_EQ(CodeName(Do(AtCountyReview(), unit_submitter_, "submit")), "invalid_action");
}

TEST_F(ReportFlowRefusal, WithdrawAtCityReviewIsInvalidAction) {
  // Only county_review declares withdraw in this flow.
  EXPECT_EQ(CodeName(Do(AtCityReview(), unit_submitter_, "withdraw")), "invalid_action");
}

TEST_F(ReportFlowRefusal, NothingHappensAtTheEndStage) {
  Instance approved = Approved();
  for (const char* action : {"approve", "return", "withdraw", "submit"}) {
    EXPECT_EQ(CodeName(Do(approved, city_reviewer_, action, "意见")), "invalid_action") << action;
  }
}

TEST_F(ReportFlowRefusal, UnknownActionAndVoteOutcomesAreInvalidActions) {
  for (const char* action : {"delete", "pass", "fail", ""}) {
    EXPECT_EQ(CodeName(Do(AtCountyReview(), shizhong_reviewer_, action)), "invalid_action")
        << action;
  }
}

TEST_F(ReportFlowRefusal, UndeclaredActionIsInvalidEvenForAStranger) {
  // The action check comes first, so the refusal names the real cause.
  EXPECT_EQ(CodeName(Do(Draft(), qianwei_reviewer_, "approve")), "invalid_action");
}

// 2. The actor must hold the action's role at the resolved scope.

TEST_F(ReportFlowRefusal, ReviewerCannotSubmit) {
  Actor reviewer_of_unit = MakeActor(22, "unit_reviewer", {{"reviewer", kShizhongA}});
  EXPECT_EQ(CodeName(Do(Draft(), reviewer_of_unit, "submit")), "forbidden");
  EXPECT_EQ(CodeName(Do(Draft(), shizhong_reviewer_, "submit")), "forbidden");
}

TEST_F(ReportFlowRefusal, SubmitterCannotApprove) {
  Actor county_submitter = MakeActor(23, "county_clerk", {{"submitter", kShizhong}});
  EXPECT_EQ(CodeName(Do(AtCountyReview(), county_submitter, "approve")), "forbidden");
}

TEST_F(ReportFlowRefusal, SubmitterOfAnotherUnitCannotSubmit) {
  EXPECT_EQ(CodeName(Do(Draft(), other_unit_submitter_, "submit")), "forbidden");
}

TEST_F(ReportFlowRefusal, SubmitterOfParentOrgCannotSubmitForUnit) {
  // `self` means the item's own organization, not an ancestor of it.
  Actor county_submitter = MakeActor(23, "county_clerk", {{"submitter", kShizhong}});
  EXPECT_EQ(CodeName(Do(Draft(), county_submitter, "submit")), "forbidden");
}

TEST_F(ReportFlowRefusal, SubmitterOfAnotherUnitCannotWithdraw) {
  EXPECT_EQ(CodeName(Do(AtCountyReview(), other_unit_submitter_, "withdraw")), "forbidden");
}

TEST_F(ReportFlowRefusal, CountyReviewerCannotApproveOtherCounty) {
  EXPECT_EQ(CodeName(Do(AtCountyReview(), qianwei_reviewer_, "approve")), "forbidden");
  EXPECT_EQ(CodeName(Do(AtCountyReview(), qianwei_reviewer_, "return", "意见")), "forbidden");
}

TEST_F(ReportFlowRefusal, CityReviewerCannotActAtCountyStage) {
  EXPECT_EQ(CodeName(Do(AtCountyReview(), city_reviewer_, "approve")), "forbidden");
  EXPECT_EQ(CodeName(Do(AtCountyReview(), city_reviewer_, "return", "意见")), "forbidden");
}

TEST_F(ReportFlowRefusal, CountyReviewerCannotActAtCityStage) {
  EXPECT_EQ(CodeName(Do(AtCityReview(), shizhong_reviewer_, "approve")), "forbidden");
  EXPECT_EQ(CodeName(Do(AtCityReview(), shizhong_reviewer_, "return", "意见")), "forbidden");
}

TEST_F(ReportFlowRefusal, ForbiddenComesBeforeMissingComment) {
  EXPECT_EQ(CodeName(Do(AtCountyReview(), qianwei_reviewer_, "return")), "forbidden");
}

TEST_F(ReportFlowRefusal, ForbiddenComesBeforeValidation) {
  Instance draft = Draft();
  draft.data = boost::json::parse("{}");
  EXPECT_EQ(CodeName(Do(draft, other_unit_submitter_, "submit")), "forbidden");
}

// The submitter may not approve their own item, whatever roles they hold.

TEST_F(ReportFlowRefusal, SubmitterCannotApproveOwnItemAtCountyStage) {
  Actor both = MakeActor(50, "both", {{"submitter", kShizhongA}, {"reviewer", kShizhong}});
  Instance item = Step(NewItem(kShizhongA, both), both, "submit");
  EXPECT_EQ(CodeName(Do(item, both, "approve")), "forbidden");
  // Someone else with the very same roles may.
  Actor colleague = MakeActor(51, "colleague", both.roles);
  EXPECT_TRUE(Do(item, colleague, "approve").ok());
}

TEST_F(ReportFlowRefusal, SubmitterCannotApproveOwnItemAtCityStage) {
  Actor both = MakeActor(50, "both", {{"submitter", kShizhongA}, {"reviewer", kCity}});
  Instance item =
      Step(Step(NewItem(kShizhongA, both), both, "submit"), shizhong_reviewer_, "approve");
  EXPECT_EQ(CodeName(Do(item, both, "approve")), "forbidden");
  EXPECT_TRUE(Do(item, MakeActor(51, "colleague", both.roles), "approve").ok());
}

// 3. A return needs a comment and a target the stage allows.

TEST_F(ReportFlowRefusal, ReturnWithoutCommentIsBadRequestNamingComment) {
  Result<Transition> refused = Do(AtCountyReview(), shizhong_reviewer_, "return");
  ASSERT_EQ(CodeName(refused), "bad_request");
  EXPECT_THAT(PathsOf(refused.error().details), ElementsAre("comment"));
}

TEST_F(ReportFlowRefusal, ReturnWithBlankCommentIsBadRequest) {
  Result<Transition> refused = Do(AtCityReview(), city_reviewer_, "return", " \t\r\n ");
  ASSERT_EQ(CodeName(refused), "bad_request");
  EXPECT_THAT(PathsOf(refused.error().details), ElementsAre("comment"));
}

TEST_F(ReportFlowRefusal, ReturnWithOnlyIdeographicSpacesIsBadRequest) {
  // U+3000, the full-width space of Chinese input methods, is blank too.
  Result<Transition> refused = Do(AtCountyReview(), shizhong_reviewer_, "return", "\u3000\u3000");
  ASSERT_EQ(CodeName(refused), "bad_request");
  EXPECT_THAT(PathsOf(refused.error().details), ElementsAre("comment"));
}

TEST_F(ReportFlowRefusal, ReturnToStageNotAllowedIsInvalidAction) {
  EXPECT_EQ(CodeName(Do(AtCountyReview(), shizhong_reviewer_, "return", "意见", "city_review")),
            "invalid_action");
  EXPECT_EQ(CodeName(Do(AtCountyReview(), shizhong_reviewer_, "return", "意见", "approved")),
            "invalid_action");
  EXPECT_EQ(CodeName(Do(AtCityReview(), city_reviewer_, "return", "意见", "approved")),
            "invalid_action");
  EXPECT_EQ(CodeName(Do(AtCityReview(), city_reviewer_, "return", "意见", "nowhere")),
            "invalid_action");
}

TEST_F(ReportFlowRefusal, ApproveToAnUndeclaredTargetIsInvalidAction) {
  EXPECT_EQ(CodeName(Do(AtCountyReview(), shizhong_reviewer_, "approve", "", "approved")),
            "invalid_action");
}

// 4. Validators.

TEST_F(ReportFlowRefusal, SubmitFailingReportCompleteListsEveryViolation) {
  Instance draft = Draft();
  draft.data = boost::json::parse(R"({"indicators": {"proposals": 3, "inventions": -1,
                                                     "proposal_implementation_rate": 0.5},
                                      "competitions": ["no_such_competition"]})");
  Result<Transition> refused = Do(draft, unit_submitter_, "submit");
  ASSERT_EQ(CodeName(refused), "validation_failed");
  EXPECT_THAT(PathsOf(refused.error().details),
              UnorderedElementsAre("data.indicators.proposals", "data.indicators.inventions",
                                   "data.indicators.proposal_implementation_rate", "data.narrative",
                                   "data.competitions[0]"));
  EXPECT_THAT(RulesOf(refused.error().details), Each(std::string("report.complete")));
}

TEST_F(ReportFlowRefusal, SubmitOfEmptyReportIsRefused) {
  Instance draft = Draft();
  draft.data = boost::json::parse("{}");
  Result<Transition> refused = Do(draft, unit_submitter_, "submit");
  ASSERT_EQ(CodeName(refused), "validation_failed");
  EXPECT_THAT(refused.error().details, ::testing::Not(IsEmpty()));
}

TEST_F(ReportFlowRefusal, ValidatorsDoNotGuardActionsThatDeclareNone) {
  // A report that no longer passes report.complete can still be returned.
  Instance item = AtCountyReview();
  item.data = boost::json::parse("{}");
  EXPECT_TRUE(Do(item, shizhong_reviewer_, "return", "请重新填报").ok());
}

// The city-direct flow.

TEST_F(CityDirectRefusal, CountyReviewerCannotApprove) {
  EXPECT_EQ(CodeName(Do(AtCityReview(), shizhong_reviewer_, "approve")), "forbidden");
  EXPECT_EQ(CodeName(Do(AtCityReview(), qianwei_reviewer_, "approve")), "forbidden");
}

TEST_F(CityDirectRefusal, ReturnToCountyReviewIsInvalidAction) {
  EXPECT_EQ(CodeName(Do(AtCityReview(), city_reviewer_, "return", "意见", "county_review")),
            "invalid_action");
}

TEST_F(CityDirectRefusal, ReturnWithoutCommentIsBadRequest) {
  Result<Transition> refused = Do(AtCityReview(), city_reviewer_, "return");
  ASSERT_EQ(CodeName(refused), "bad_request");
  EXPECT_THAT(PathsOf(refused.error().details), ElementsAre("comment"));
}

TEST_F(CityDirectRefusal, SubmitterCannotApproveOwnItem) {
  Actor both = MakeActor(60, "both", {{"submitter", kCityDirect}, {"reviewer", kCity}});
  Instance item = Step(NewItem(kCityDirect, both), both, "submit");
  EXPECT_EQ(CodeName(Do(item, both, "approve")), "forbidden");
}

}  // namespace
}  // namespace jingsai::engine
