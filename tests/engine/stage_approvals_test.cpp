// Apply at stages with practice rules: a review stage decided by several
// approvers (approvals all or ratio) and a stage separated from another one
// (separate_from). ApprovalRule::Needed is the arithmetic underneath.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/flow.h"
#include "engine/transition.h"
#include "tests/engine/flow_fixture.h"

namespace jingsai::engine {
namespace {

using test_support::CodeName;
using test_support::FlowFromText;
using test_support::kCity;
using test_support::kQianwei;
using test_support::kShizhong;
using test_support::kShizhongA;
using test_support::MakeActor;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ApprovalRule::Needed

ApprovalRule Rule(ApprovalMode mode, double ratio = 1.0) { return ApprovalRule{mode, ratio}; }

TEST(ApprovalRuleNeeded, AnyNeedsOne) {
  for (int64_t assigned : {1, 2, 3, 10}) {
    EXPECT_EQ(Rule(ApprovalMode::kAny).Needed(assigned), 1) << assigned;
  }
}

TEST(ApprovalRuleNeeded, AllNeedsEveryone) {
  for (int64_t assigned : {1, 2, 3, 10}) {
    EXPECT_EQ(Rule(ApprovalMode::kAll).Needed(assigned), assigned) << assigned;
  }
}

TEST(ApprovalRuleNeeded, RatioRoundsUp) {
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 2.0 / 3.0).Needed(3), 2);
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 0.6666666666666666).Needed(3), 2);
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 0.6).Needed(5), 3);
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 0.5).Needed(4), 2);
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 0.5).Needed(5), 3);
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 0.7).Needed(10), 7);
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 0.34).Needed(3), 2);
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 1.0).Needed(7), 7);
}

TEST(ApprovalRuleNeeded, RatioNeedsAtLeastOne) {
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 0.1).Needed(3), 1);
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 0.001).Needed(1), 1);
  EXPECT_EQ(Rule(ApprovalMode::kRatio, 0.5).Needed(1), 1);
}

TEST(ApprovalRuleNeeded, NoneNeededWhenNoOneIsAssigned) {
  for (ApprovalMode mode : {ApprovalMode::kAny, ApprovalMode::kAll, ApprovalMode::kRatio}) {
    EXPECT_EQ(Rule(mode, 0.5).Needed(0), 0);
  }
}

// A report flow whose county_review has the given approvals and whose
// city_review is separated from county_review.
std::string PanelFlowText(std::string_view approvals) {
  return R"({
    "key": "report-panel", "title": "测试报送（会签）", "subject": "report", "start": "draft",
    "stages": [
      {"id": "draft", "kind": "edit", "title": "填报",
       "actor": {"role": "submitter", "scope": "self"},
       "actions": {"submit": {"to": "county_review"}}},
      {"id": "county_review", "kind": "review", "title": "县级审核",
       "actor": {"role": "reviewer", "scope": "county"}, "approvals": )" +
         std::string(approvals) + R"(,
       "actions": {"approve": {"to": "city_review"}, "return": {"to": ["draft"]},
                   "withdraw": {"to": "draft", "actor": {"role": "submitter", "scope": "self"}}}},
      {"id": "city_review", "kind": "review", "title": "市级审核",
       "actor": {"role": "reviewer", "scope": "city"}, "separate_from": ["county_review"],
       "actions": {"approve": {"to": "approved"}, "return": {"to": ["county_review", "draft"]}}},
      {"id": "approved", "kind": "end", "outcome": "approved"}
    ]
  })";
}

// Items of 市中区甲单位 at county_review, decided by a panel of the county's
// reviewers.
class PanelFixture : public test_support::FlowFixture {
 protected:
  explicit PanelFixture(std::string_view approvals)
      : FlowFixture(FlowFromText(PanelFlowText(approvals))) {}

  Instance AtCountyReview(std::vector<int64_t> approvers) const {
    Instance item = NewItem(kShizhongA, unit_submitter_);
    item.stage = "county_review";
    item.status = "in_review";
    item.version = 2;
    item.decisions.approvers = std::move(approvers);
    return item;
  }

  // Each of `deciders` performs `action` in turn; every step must succeed.
  Instance Decide(Instance item, const std::vector<Actor>& deciders, const std::string& action) {
    for (const Actor& decider : deciders) {
      item = Step(item, decider, action, action == "return" ? "请补充材料" : "");
    }
    return item;
  }

  // 市中区总工会's reviewers: a panel of five, and one more who is not on it.
  Actor r1_ = shizhong_reviewer_;  // id 20
  Actor r2_ = MakeActor(22, "sz_reviewer_2", {{"reviewer", kShizhong}});
  Actor r3_ = MakeActor(23, "sz_reviewer_3", {{"reviewer", kShizhong}});
  Actor r4_ = MakeActor(24, "sz_reviewer_4", {{"reviewer", kShizhong}});
  Actor r5_ = MakeActor(25, "sz_reviewer_5", {{"reviewer", kShizhong}});
  Actor outsider_ = MakeActor(26, "sz_reviewer_6", {{"reviewer", kShizhong}});
};

class AllApprovals : public PanelFixture {
 protected:
  AllApprovals() : PanelFixture(R"({"mode": "all"})") {}

  Instance Item() const { return AtCountyReview({20, 22, 23}); }
};

class RatioApprovals : public PanelFixture {
 protected:
  RatioApprovals() : PanelFixture(R"({"mode": "ratio", "ratio": 0.6})") {}

  Instance Item() const { return AtCountyReview({20, 22, 23, 24, 25}); }
};

class TwoThirdsApprovals : public PanelFixture {
 protected:
  TwoThirdsApprovals() : PanelFixture(R"({"mode": "ratio", "ratio": 0.6666666666666666})") {}
};

TEST_F(AllApprovals, TheStageIsMultiApprover) {
  EXPECT_FALSE(IsMultiApprover(*flow_.FindStage("draft")));
  EXPECT_TRUE(IsMultiApprover(*flow_.FindStage("county_review")));
  EXPECT_FALSE(IsMultiApprover(*flow_.FindStage("city_review")));
}

TEST_F(AllApprovals, AnApprovalIsRecordedWhileOthersAreStillToDecide) {
  const Instance item = Item();
  Result<Transition> moved = Do(item, r1_, "approve", "同意");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  const Instance& next = moved->next;
  EXPECT_EQ(next.stage, "county_review");
  EXPECT_EQ(next.status, "in_review");
  EXPECT_EQ(next.version, item.version + 1);
  EXPECT_THAT(next.decisions.approvers, ElementsAre(20, 22, 23));
  EXPECT_THAT(next.decisions.approved, ElementsAre(20));
  EXPECT_THAT(next.decisions.returned, IsEmpty());
  EXPECT_EQ(moved->fact.action, "approve");
  EXPECT_EQ(moved->fact.from, "county_review");
  EXPECT_EQ(moved->fact.to, "county_review");
  EXPECT_EQ(moved->fact.comment, "同意");
}

TEST_F(AllApprovals, ApprovalsAccumulateInTheOrderGiven) {
  Instance next = Decide(Item(), {r3_, r1_}, "approve");
  EXPECT_EQ(next.stage, "county_review");
  EXPECT_EQ(next.version, Item().version + 2);
  EXPECT_THAT(next.decisions.approved, ElementsAre(23, 20));
}

TEST_F(AllApprovals, TheLastApprovalMovesTheItemOn) {
  const Instance item = Decide(Item(), {r1_, r2_}, "approve");
  Result<Transition> moved = Do(item, r3_, "approve");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "city_review");
  EXPECT_EQ(moved->next.status, "in_review");
  EXPECT_EQ(moved->next.version, item.version + 1);
  EXPECT_EQ(moved->next.decisions, StageDecisions{});
  EXPECT_EQ(moved->fact.from, "county_review");
  EXPECT_EQ(moved->fact.to, "city_review");
}

TEST_F(AllApprovals, OneReturnSendsTheItemBack) {
  const Instance item = Decide(Item(), {r1_}, "approve");
  Result<Transition> moved = Do(item, r2_, "return", "数据有误");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.status, "returned");
  EXPECT_EQ(moved->next.decisions, StageDecisions{});
  EXPECT_EQ(moved->fact.action, "return");
  EXPECT_EQ(moved->fact.to, "draft");
  EXPECT_EQ(moved->fact.comment, "数据有误");
}

TEST_F(AllApprovals, AReturnStillNeedsAComment) {
  EXPECT_EQ(CodeName(Do(Item(), r1_, "return")), "bad_request");
}

TEST_F(AllApprovals, AReviewerOutsideThePanelIsForbidden) {
  EXPECT_EQ(CodeName(Do(Item(), outsider_, "approve")), "forbidden");
  EXPECT_EQ(CodeName(Do(Item(), outsider_, "return", "不同意")), "forbidden");
}

TEST_F(AllApprovals, TheStagesRoleIsStillRequired) {
  // On the panel by id, but not a reviewer of this county.
  Actor qianwei = MakeActor(22, "qw_reviewer_2", {{"reviewer", kQianwei}});
  EXPECT_EQ(CodeName(Do(Item(), qianwei, "approve")), "forbidden");
  Actor city = MakeActor(22, "city_reviewer_2", {{"reviewer", kCity}});
  EXPECT_EQ(CodeName(Do(Item(), city, "approve")), "forbidden");
}

TEST_F(AllApprovals, AnApproverDecidesOnlyOnce) {
  const Instance approved = Decide(Item(), {r1_}, "approve");
  EXPECT_EQ(CodeName(Do(approved, r1_, "approve")), "invalid_action");
  EXPECT_EQ(CodeName(Do(approved, r1_, "return", "改主意了")), "invalid_action");
}

TEST_F(AllApprovals, AReturnedDecisionIsFinalToo) {
  // Under ratio a return may be recorded without moving the item.
  Instance item = AtCountyReview({20, 22, 23});
  item.decisions.returned = {22};
  EXPECT_EQ(CodeName(Do(item, r2_, "approve")), "invalid_action");
  EXPECT_EQ(CodeName(Do(item, r2_, "return", "再退")), "invalid_action");
}

TEST_F(AllApprovals, WithoutAssignedApproversOneApprovalIsEnough) {
  const Instance item = AtCountyReview({});
  Result<Transition> moved = Do(item, outsider_, "approve");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "city_review");
  EXPECT_EQ(moved->next.decisions, StageDecisions{});

  Result<Transition> returned = Do(item, r1_, "return", "请补充");
  ASSERT_TRUE(returned.ok()) << returned.error().message;
  EXPECT_EQ(returned->next.stage, "draft");
}

TEST_F(AllApprovals, TheSubmitterMayWithdrawDuringThePanel) {
  const Instance item = Decide(Item(), {r1_}, "approve");
  Result<Transition> moved = Do(item, unit_submitter_, "withdraw");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.status, "draft");
  EXPECT_EQ(moved->next.decisions, StageDecisions{});
  EXPECT_EQ(moved->fact.to, "draft");
}

TEST_F(AllApprovals, NoOneApprovesTheirOwnItem) {
  // Even when the caller left the creator on the panel.
  Instance item = AtCountyReview({20, 22, 23});
  item.created_by = r2_.user_id;
  EXPECT_EQ(CodeName(Do(item, r2_, "approve")), "forbidden");
  EXPECT_TRUE(Do(item, r1_, "approve").ok());
}

TEST_F(RatioApprovals, ApprovalsMoveTheItemOnceTheShareIsReached) {
  // 0.6 of 5: three approvals.
  Instance item = Decide(Item(), {r1_, r2_}, "approve");
  EXPECT_EQ(item.stage, "county_review");
  EXPECT_THAT(item.decisions.approved, ElementsAre(20, 22));
  Result<Transition> moved = Do(item, r5_, "approve");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "city_review");
  EXPECT_EQ(moved->next.decisions, StageDecisions{});
}

TEST_F(RatioApprovals, ReturnsAreRecordedWhileTheShareIsStillReachable) {
  Instance item = Decide(Item(), {r1_, r2_}, "return");
  EXPECT_EQ(item.stage, "county_review");
  EXPECT_EQ(item.status, "in_review");
  EXPECT_EQ(item.version, Item().version + 2);
  EXPECT_THAT(item.decisions.returned, ElementsAre(20, 22));
  EXPECT_THAT(item.decisions.approved, IsEmpty());

  // The third return leaves two possible approvals of the three needed.
  Result<Transition> moved = Do(item, r3_, "return", "多数不同意");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.status, "returned");
  EXPECT_EQ(moved->next.decisions, StageDecisions{});
  EXPECT_EQ(moved->fact.to, "draft");
}

TEST_F(RatioApprovals, ARecordedReturnKeepsItsComment) {
  Result<Transition> moved = Do(Item(), r4_, "return", "附件不清晰");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->fact.action, "return");
  EXPECT_EQ(moved->fact.from, "county_review");
  EXPECT_EQ(moved->fact.to, "county_review");
  EXPECT_EQ(moved->fact.comment, "附件不清晰");
  EXPECT_THAT(moved->next.decisions.returned, ElementsAre(24));
}

TEST_F(RatioApprovals, TheDecidingVoteOfASplitPanelApproves) {
  Instance item = Decide(Decide(Item(), {r1_, r2_}, "approve"), {r3_, r4_}, "return");
  EXPECT_EQ(item.stage, "county_review");
  Result<Transition> moved = Do(item, r5_, "approve");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "city_review");
}

TEST_F(RatioApprovals, TheDecidingVoteOfASplitPanelReturns) {
  Instance item = Decide(Decide(Item(), {r1_, r2_}, "approve"), {r3_, r4_}, "return");
  Result<Transition> moved = Do(item, r5_, "return", "不同意");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.decisions, StageDecisions{});
}

TEST_F(RatioApprovals, AReviewerOutsideThePanelIsForbidden) {
  EXPECT_EQ(CodeName(Do(Item(), outsider_, "approve")), "forbidden");
}

TEST_F(TwoThirdsApprovals, TwoOfThreeApprovalsAreEnough) {
  Instance item = Decide(AtCountyReview({20, 22, 23}), {r1_}, "approve");
  EXPECT_EQ(item.stage, "county_review");
  Result<Transition> moved = Do(item, r3_, "approve");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "city_review");
}

TEST_F(TwoThirdsApprovals, TwoOfThreeReturnsSendTheItemBack) {
  Instance item = Decide(AtCountyReview({20, 22, 23}), {r1_}, "return");
  EXPECT_EQ(item.stage, "county_review");
  Result<Transition> moved = Do(item, r2_, "return", "不同意");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
}

// A return given to someone other than the stage's reviewers (here the city
// administrator) is not one of the panel's decisions: it moves the item at
// once and is never counted towards the rule.
class PanelWithAdminReturn : public test_support::FlowFixture {
 protected:
  PanelWithAdminReturn()
      : FlowFixture(FlowFromText(R"({
    "key": "report-admin-return", "title": "测试报送", "subject": "report", "start": "draft",
    "stages": [
      {"id": "draft", "kind": "edit", "actor": {"role": "submitter", "scope": "self"},
       "actions": {"submit": {"to": "county_review"}}},
      {"id": "county_review", "kind": "review", "actor": {"role": "reviewer", "scope": "county"},
       "approvals": {"mode": "ratio", "ratio": 0.6},
       "actions": {"approve": {"to": "approved"},
                   "return": {"to": ["draft"], "actor": {"role": "admin", "scope": "city"}}}},
      {"id": "approved", "kind": "end", "outcome": "approved"}
    ]
  })")) {}

  Instance Item() const {
    Instance item = NewItem(kShizhongA, unit_submitter_);
    item.stage = "county_review";
    item.status = "in_review";
    item.decisions.approvers = {20, 22, 23, 24, 25};
    item.decisions.approved = {22};
    return item;
  }

  Actor admin_ = MakeActor(1, "admin", {{"admin", kCity}});
};

TEST_F(PanelWithAdminReturn, TheAdministratorsReturnMovesTheItemAtOnce) {
  Result<Transition> moved = Do(Item(), admin_, "return", "活动取消，退回重报");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.decisions, StageDecisions{});
  EXPECT_EQ(moved->fact.to, "draft");
}

TEST_F(PanelWithAdminReturn, ThePanelStillDecidesTheApproval) {
  // 0.6 of 5: the second approval is recorded, the third moves the item.
  Instance item = Step(Item(), shizhong_reviewer_, "approve");
  EXPECT_EQ(item.stage, "county_review");
  EXPECT_THAT(item.decisions.approved, ElementsAre(22, 20));
  Result<Transition> moved =
      Do(item, MakeActor(24, "sz_reviewer_4", {{"reviewer", kShizhong}}), "approve");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "approved");
}

// Separation of duties: city_review is separate from county_review.

class Separation : public PanelFixture {
 protected:
  Separation() : PanelFixture(R"({"mode": "any"})") {}

  Instance AtCityReview() const {
    Instance item = NewItem(kShizhongA, unit_submitter_);
    item.stage = "city_review";
    item.status = "in_review";
    item.version = 3;
    return item;
  }

  Result<Transition> DoActed(const Instance& item, const Actor& actor, const std::string& action,
                             const std::map<std::string, std::set<int64_t>>* acted,
                             const std::string& comment = "") const {
    TransitionContext context{&flow_, &orgs_, &campaign_, &evidence_, now_, acted};
    return Apply(context, item, Command{action, comment, ""}, actor);
  }

  // Reviewer both of 市中区总工会 and of the city.
  Actor both_levels_ =
      MakeActor(40, "dual_reviewer", {{"reviewer", kShizhong}, {"reviewer", kCity}});
};

TEST_F(Separation, WhoActedAtTheSeparatedStageMayNotActHere) {
  const std::map<std::string, std::set<int64_t>> acted = {{"draft", {10}},
                                                          {"county_review", {20, 40}}};
  EXPECT_EQ(CodeName(DoActed(AtCityReview(), both_levels_, "approve", &acted)), "forbidden");
  EXPECT_EQ(CodeName(DoActed(AtCityReview(), both_levels_, "return", &acted, "请复核")),
            "forbidden");
}

TEST_F(Separation, AnotherReviewerMayAct) {
  const std::map<std::string, std::set<int64_t>> acted = {{"county_review", {20, 40}}};
  Result<Transition> moved = DoActed(AtCityReview(), city_reviewer_, "approve", &acted);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "approved");
}

TEST_F(Separation, ActingAtAStageNotNamedDoesNotCount) {
  const std::map<std::string, std::set<int64_t>> acted = {{"draft", {40}}, {"county_review", {20}}};
  EXPECT_TRUE(DoActed(AtCityReview(), both_levels_, "approve", &acted).ok());
}

TEST_F(Separation, NoHistoryMeansNoCheck) {
  EXPECT_TRUE(DoActed(AtCityReview(), both_levels_, "approve", nullptr).ok());
  const std::map<std::string, std::set<int64_t>> none;
  EXPECT_TRUE(DoActed(AtCityReview(), both_levels_, "approve", &none).ok());
}

TEST_F(Separation, AStageWithoutSeparateFromIgnoresHistory) {
  Instance item = AtCityReview();
  item.stage = "county_review";
  const std::map<std::string, std::set<int64_t>> acted = {{"county_review", {40}},
                                                          {"city_review", {40}}};
  EXPECT_TRUE(DoActed(item, both_levels_, "approve", &acted).ok());
}

TEST_F(Separation, TheStagesRoleIsCheckedFirst) {
  // A county reviewer who never acted is still not a city reviewer.
  const std::map<std::string, std::set<int64_t>> acted = {{"county_review", {20}}};
  EXPECT_EQ(CodeName(DoActed(AtCityReview(), r2_, "approve", &acted)), "forbidden");
}

TEST_F(Separation, SelfApprovalIsRefusedWithoutAnySeparation) {
  Instance item = AtCityReview();
  item.created_by = city_reviewer_.user_id;
  EXPECT_EQ(CodeName(DoActed(item, city_reviewer_, "approve", nullptr)), "forbidden");
}

}  // namespace
}  // namespace jingsai::engine
