// Apply over the built-in report flows: every allowed move, the facts it
// records, statuses, versions and lateness. Refusals are in
// transition_refusals_test.cpp; editing and the inbox question in
// stage_actor_test.cpp.

#include "engine/transition.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/engine/flow_fixture.h"

namespace jingsai::engine {
namespace {

using test_support::kCityDirect;
using test_support::kShizhongA;
using test_support::kShizhongB;
using test_support::kWorkshop;

class ReportFlow : public test_support::FlowFixture {
 protected:
  ReportFlow() : FlowFixture("report-county.json") {}

  Instance Draft() const { return NewItem(kShizhongA, unit_submitter_); }
  Instance AtCountyReview() const { return Step(Draft(), unit_submitter_, "submit"); }
  Instance AtCityReview() const { return Step(AtCountyReview(), shizhong_reviewer_, "approve"); }
};

class CityDirectFlow : public test_support::FlowFixture {
 protected:
  CityDirectFlow() : FlowFixture("report-city-direct.json") {}

  Instance Draft() const { return NewItem(kCityDirect, direct_submitter_); }
  Instance AtCityReview() const { return Step(Draft(), direct_submitter_, "submit"); }
};

void ExpectFact(const Fact& fact, const std::string& action, const std::string& from,
                const std::string& to, const std::string& comment) {
  EXPECT_EQ(fact.action, action);
  EXPECT_EQ(fact.from, from);
  EXPECT_EQ(fact.to, to);
  EXPECT_EQ(fact.comment, comment);
}

TEST_F(ReportFlow, SubmitMovesDraftToCountyReview) {
  Result<Transition> moved = Do(Draft(), unit_submitter_, "submit");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "county_review");
  EXPECT_EQ(moved->next.status, "in_review");
  EXPECT_EQ(moved->next.version, 2);
  ExpectFact(moved->fact, "submit", "draft", "county_review", "");
}

TEST_F(ReportFlow, MoveKeepsIdentityAndData) {
  Instance draft = Draft();
  Instance next = Step(draft, unit_submitter_, "submit");
  EXPECT_EQ(next.id, draft.id);
  EXPECT_EQ(next.org_id, draft.org_id);
  EXPECT_EQ(next.created_by, draft.created_by);
  EXPECT_EQ(next.data, draft.data);
}

TEST_F(ReportFlow, CountyReviewerApprovesToCityReview) {
  Result<Transition> moved = Do(AtCountyReview(), shizhong_reviewer_, "approve");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "city_review");
  EXPECT_EQ(moved->next.status, "in_review");
  EXPECT_EQ(moved->next.version, 3);
  ExpectFact(moved->fact, "approve", "county_review", "city_review", "");
}

TEST_F(ReportFlow, CountyReviewerActsForEveryUnitOfItsCounty) {
  for (int64_t org : {kShizhongB, kWorkshop}) {
    Instance item =
        Step(NewItem(org, unit_submitter_), Actor{99, "unit", {{"submitter", org}}}, "submit");
    EXPECT_TRUE(Do(item, shizhong_reviewer_, "approve").ok()) << "org " << org;
  }
}

TEST_F(ReportFlow, CityReviewerApprovesToApproved) {
  Result<Transition> moved = Do(AtCityReview(), city_reviewer_, "approve");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "approved");
  EXPECT_EQ(moved->next.status, "approved");
  EXPECT_EQ(moved->next.version, 4);
  ExpectFact(moved->fact, "approve", "city_review", "approved", "");
}

TEST_F(ReportFlow, CountyReturnGoesBackToDraftWithComment) {
  Result<Transition> moved = Do(AtCountyReview(), shizhong_reviewer_, "return", "请补充佐证材料");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.status, "returned");
  EXPECT_EQ(moved->next.version, 3);
  ExpectFact(moved->fact, "return", "county_review", "draft", "请补充佐证材料");
}

TEST_F(ReportFlow, CityReturnDefaultsToCountyReview) {
  Result<Transition> moved = Do(AtCityReview(), city_reviewer_, "return", "数据需县级复核");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "county_review");
  EXPECT_EQ(moved->next.status, "in_review");
  ExpectFact(moved->fact, "return", "city_review", "county_review", "数据需县级复核");
}

TEST_F(ReportFlow, CityReturnGoesToDraftWhenAsked) {
  Result<Transition> moved =
      Do(AtCityReview(), city_reviewer_, "return", "经验材料过于简略", "draft");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.status, "returned");
  ExpectFact(moved->fact, "return", "city_review", "draft", "经验材料过于简略");
}

TEST_F(ReportFlow, CityReturnToCountyReviewWhenNamed) {
  Result<Transition> moved =
      Do(AtCityReview(), city_reviewer_, "return", "请复核", "county_review");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "county_review");
}

TEST_F(ReportFlow, SubmitterWithdrawsFromCountyReview) {
  Result<Transition> moved = Do(AtCountyReview(), unit_submitter_, "withdraw");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.status, "draft");
  EXPECT_EQ(moved->next.version, 3);
  ExpectFact(moved->fact, "withdraw", "county_review", "draft", "");
}

TEST_F(ReportFlow, ResubmitAfterReturnGoesBackToCountyReview) {
  Instance returned = Step(AtCountyReview(), shizhong_reviewer_, "return", "请补充");
  Result<Transition> moved = Do(returned, unit_submitter_, "submit");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "county_review");
  EXPECT_EQ(moved->next.status, "in_review");
}

TEST_F(ReportFlow, EveryMoveAddsOneToTheVersion) {
  Instance item = Draft();
  struct Move {
    const Actor* actor;
    std::string action;
    std::string comment;
  };
  const Move moves[] = {{&unit_submitter_, "submit", ""},    {&unit_submitter_, "withdraw", ""},
                        {&unit_submitter_, "submit", ""},    {&shizhong_reviewer_, "approve", ""},
                        {&city_reviewer_, "return", "退回"}, {&shizhong_reviewer_, "approve", ""},
                        {&city_reviewer_, "approve", ""}};
  int64_t expected = 1;
  for (const Move& move : moves) {
    item = Step(item, *move.actor, move.action, move.comment);
    EXPECT_EQ(item.version, ++expected) << move.action;
  }
  EXPECT_EQ(item.stage, "approved");
}

TEST_F(ReportFlow, StatusForNamesEachKindOfStage) {
  EXPECT_EQ(StatusFor(flow_, "draft", "create"), "draft");
  EXPECT_EQ(StatusFor(flow_, "draft", "return"), "returned");
  EXPECT_EQ(StatusFor(flow_, "draft", "withdraw"), "draft");
  EXPECT_EQ(StatusFor(flow_, "county_review", "submit"), "in_review");
  EXPECT_EQ(StatusFor(flow_, "city_review", "approve"), "in_review");
  EXPECT_EQ(StatusFor(flow_, "approved", "approve"), "approved");
}

// Lateness: the built-in campaign's last on-time instant is 2014-10-20
// 23:59:59.999 in Shanghai; lateness is judged once, on the first submit.

TEST_F(ReportFlow, SubmitBeforeDeadlineIsNotLate) {
  now_ = test_support::BuiltinDeadline() - std::chrono::milliseconds{1};
  Instance next = Step(Draft(), unit_submitter_, "submit");
  EXPECT_FALSE(next.late);
  ASSERT_TRUE(next.first_submitted_at.has_value());
  EXPECT_EQ(*next.first_submitted_at, now_);
}

TEST_F(ReportFlow, FirstSubmitAtOrAfterDeadlineIsLate) {
  for (TimePoint at : {test_support::BuiltinDeadline(),
                       test_support::BuiltinDeadline() + std::chrono::hours{24 * 3}}) {
    now_ = at;
    Instance next = Step(Draft(), unit_submitter_, "submit");
    EXPECT_TRUE(next.late);
    EXPECT_EQ(next.first_submitted_at, at);
  }
}

TEST_F(ReportFlow, ResubmitAfterDeadlineKeepsOnTimeJudgement) {
  Instance submitted = Step(Draft(), unit_submitter_, "submit");
  const TimePoint first = now_;
  Instance returned = Step(submitted, shizhong_reviewer_, "return", "请补充");
  now_ = test_support::BuiltinDeadline() + std::chrono::hours{48};
  Instance resubmitted = Step(returned, unit_submitter_, "submit");
  EXPECT_FALSE(resubmitted.late);
  EXPECT_EQ(resubmitted.first_submitted_at, first);
}

TEST_F(ReportFlow, ResubmitStaysLateWhenFirstSubmitWasLate) {
  now_ = test_support::BuiltinDeadline() + std::chrono::hours{1};
  const TimePoint first = now_;
  Instance withdrawn = Step(Step(Draft(), unit_submitter_, "submit"), unit_submitter_, "withdraw");
  EXPECT_TRUE(withdrawn.late);
  now_ = first + std::chrono::hours{1};
  Instance resubmitted = Step(withdrawn, unit_submitter_, "submit");
  EXPECT_TRUE(resubmitted.late);
  EXPECT_EQ(resubmitted.first_submitted_at, first);
}

TEST_F(ReportFlow, ReviewAfterDeadlineDoesNotMakeItemLate) {
  Instance submitted = Step(Draft(), unit_submitter_, "submit");
  now_ = test_support::BuiltinDeadline() + std::chrono::hours{24};
  Instance approved =
      Step(Step(submitted, shizhong_reviewer_, "approve"), city_reviewer_, "approve");
  EXPECT_FALSE(approved.late);
  EXPECT_EQ(approved.first_submitted_at, submitted.first_submitted_at);
}

TEST_F(CityDirectFlow, SubmitGoesStraightToCityReview) {
  Result<Transition> moved = Do(Draft(), direct_submitter_, "submit");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "city_review");
  EXPECT_EQ(moved->next.status, "in_review");
  EXPECT_EQ(moved->next.version, 2);
  ExpectFact(moved->fact, "submit", "draft", "city_review", "");
}

TEST_F(CityDirectFlow, CityReviewerApproves) {
  Result<Transition> moved = Do(AtCityReview(), city_reviewer_, "approve");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "approved");
  EXPECT_EQ(moved->next.status, "approved");
  EXPECT_EQ(moved->next.version, 3);
  ExpectFact(moved->fact, "approve", "city_review", "approved", "");
}

TEST_F(CityDirectFlow, CityReviewerReturnsToDraft) {
  Result<Transition> moved = Do(AtCityReview(), city_reviewer_, "return", "请补充照片");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.status, "returned");
  ExpectFact(moved->fact, "return", "city_review", "draft", "请补充照片");
}

TEST_F(CityDirectFlow, SubmitterWithdrawsFromCityReview) {
  Result<Transition> moved = Do(AtCityReview(), direct_submitter_, "withdraw");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.status, "draft");
  ExpectFact(moved->fact, "withdraw", "city_review", "draft", "");
}

TEST_F(CityDirectFlow, LateFirstSubmitIsFlagged) {
  now_ = test_support::BuiltinDeadline() + std::chrono::minutes{5};
  EXPECT_TRUE(Step(Draft(), direct_submitter_, "submit").late);
}

}  // namespace
}  // namespace jingsai::engine
