// Handing an item over (转办) to another reviewer: Apply with an assignee,
// AwaitsActor (whose inbox the item is in) and CheckHandover (who may hand
// it to whom), at a review stage decided by one reviewer and at one decided
// by a panel.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
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

std::string StatusName(const Status& status) {
  if (status.ok()) return "<allowed>";
  switch (status.error().code) {
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kInvalidAction:
      return "invalid_action";
    default:
      return "other";
  }
}

std::vector<std::string> DetailPaths(const Status& status) {
  std::vector<std::string> paths;
  if (status.ok()) return paths;
  for (const Detail& detail : status.error().details) paths.push_back(detail.path);
  return paths;
}

// draft -> county_review -> city_review -> approved; county_review decided
// as `approvals` says.
std::string ReportFlowText(std::string_view approvals) {
  return R"({
    "key": "report-handover", "title": "测试报送", "subject": "report", "start": "draft",
    "stages": [
      {"id": "draft", "kind": "edit", "actor": {"role": "submitter", "scope": "self"},
       "actions": {"submit": {"to": "county_review"}}},
      {"id": "county_review", "kind": "review", "title": "县级审核",
       "actor": {"role": "reviewer", "scope": "county"}, "approvals": )" +
         std::string(approvals) + R"(,
       "actions": {"approve": {"to": "city_review"}, "return": {"to": ["draft"]},
                   "withdraw": {"to": "draft", "actor": {"role": "submitter", "scope": "self"}}}},
      {"id": "city_review", "kind": "review", "actor": {"role": "reviewer", "scope": "city"},
       "actions": {"approve": {"to": "approved"}, "return": {"to": ["county_review", "draft"]}}},
      {"id": "approved", "kind": "end", "outcome": "approved"}
    ]
  })";
}

class HandoverFixture : public test_support::FlowFixture {
 protected:
  explicit HandoverFixture(std::string_view approvals)
      : FlowFixture(FlowFromText(ReportFlowText(approvals))) {}

  Instance AtStage(std::string stage) const {
    Instance item = NewItem(kShizhongA, unit_submitter_);
    item.stage = std::move(stage);
    item.status = item.stage == "draft" ? "draft" : "in_review";
    item.version = 2;
    return item;
  }

  const Stage& StageOf(const Instance& item) const { return *flow_.FindStage(item.stage); }

  bool Awaits(const Instance& item, const Actor& actor) const {
    return AwaitsActor(StageOf(item), item, actor, orgs_);
  }

  std::string Handover(const Instance& item, const Actor& actor, const Actor& target) const {
    return StatusName(CheckHandover(flow_, orgs_, item, actor, target));
  }

  // shizhong_reviewer_ (20) and these are reviewers of 市中区总工会.
  Actor colleague_ = MakeActor(22, "sz_reviewer_2", {{"reviewer", kShizhong}});
  Actor third_ = MakeActor(23, "sz_reviewer_3", {{"reviewer", kShizhong}});
  Actor fourth_ = MakeActor(24, "sz_reviewer_4", {{"reviewer", kShizhong}});
};

// One reviewer decides county_review.
class SingleReviewer : public HandoverFixture {
 protected:
  SingleReviewer() : HandoverFixture(R"({"mode": "any"})") {}

  Instance HandedTo(const Actor& assignee) const {
    Instance item = AtStage("county_review");
    item.assignee = assignee.user_id;
    return item;
  }
};

// A panel of three decides county_review, all of them.
class ReviewPanel : public HandoverFixture {
 protected:
  ReviewPanel() : HandoverFixture(R"({"mode": "all"})") {}

  Instance Item() const {
    Instance item = AtStage("county_review");
    item.decisions.approvers = {20, 22, 23};
    return item;
  }
};

// Apply with an assignee

TEST_F(SingleReviewer, OnlyTheAssigneeDecides) {
  const Instance item = HandedTo(colleague_);
  EXPECT_EQ(CodeName(Do(item, shizhong_reviewer_, "approve")), "forbidden");
  EXPECT_EQ(CodeName(Do(item, shizhong_reviewer_, "return", "请补充")), "forbidden");
  EXPECT_EQ(CodeName(Do(item, third_, "approve")), "forbidden");
}

TEST_F(SingleReviewer, TheAssigneesApprovalMovesOnAndClearsTheAssignee) {
  Result<Transition> moved = Do(HandedTo(colleague_), colleague_, "approve");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "city_review");
  EXPECT_FALSE(moved->next.assignee.has_value());
}

TEST_F(SingleReviewer, TheAssigneesReturnClearsTheAssignee) {
  Result<Transition> moved = Do(HandedTo(colleague_), colleague_, "return", "请补充佐证材料");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_EQ(moved->next.status, "returned");
  EXPECT_FALSE(moved->next.assignee.has_value());
}

TEST_F(SingleReviewer, TheSubmitterMayStillWithdraw) {
  Result<Transition> moved = Do(HandedTo(colleague_), unit_submitter_, "withdraw");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->next.stage, "draft");
  EXPECT_FALSE(moved->next.assignee.has_value());
}

TEST_F(SingleReviewer, AnAssigneeStillNeedsTheStagesRole) {
  EXPECT_EQ(CodeName(Do(HandedTo(city_reviewer_), city_reviewer_, "approve")), "forbidden");
}

TEST_F(SingleReviewer, AnAssigneeMayNotApproveTheirOwnItem) {
  Instance item = HandedTo(colleague_);
  item.created_by = colleague_.user_id;
  EXPECT_EQ(CodeName(Do(item, colleague_, "approve")), "forbidden");
}

// AwaitsActor

TEST_F(SingleReviewer, TheItemAwaitsEveryReviewerOfTheStage) {
  const Instance item = AtStage("county_review");
  EXPECT_TRUE(Awaits(item, shizhong_reviewer_));
  EXPECT_TRUE(Awaits(item, colleague_));
  EXPECT_FALSE(Awaits(item, qianwei_reviewer_));
  EXPECT_FALSE(Awaits(item, city_reviewer_));
  EXPECT_FALSE(Awaits(item, unit_submitter_));
}

TEST_F(SingleReviewer, AHandedOverItemAwaitsOnlyTheAssignee) {
  const Instance item = HandedTo(colleague_);
  EXPECT_TRUE(Awaits(item, colleague_));
  EXPECT_FALSE(Awaits(item, shizhong_reviewer_));
  EXPECT_FALSE(Awaits(item, third_));
}

TEST_F(ReviewPanel, TheItemAwaitsTheUndecidedApprovers) {
  Instance item = Item();
  item.decisions.approved = {22};
  EXPECT_TRUE(Awaits(item, shizhong_reviewer_));
  EXPECT_TRUE(Awaits(item, third_));
  EXPECT_FALSE(Awaits(item, colleague_));  // decided
  EXPECT_FALSE(Awaits(item, fourth_));     // not on the panel
  EXPECT_FALSE(Awaits(item, qianwei_reviewer_));
  item.decisions.returned = {23};
  EXPECT_FALSE(Awaits(item, third_));
}

TEST_F(ReviewPanel, WithoutAssignedApproversTheItemAwaitsEveryReviewer) {
  const Instance item = AtStage("county_review");
  EXPECT_TRUE(Awaits(item, fourth_));
  EXPECT_TRUE(Awaits(item, shizhong_reviewer_));
}

// CheckHandover at a stage decided by one reviewer

TEST_F(SingleReviewer, AReviewerHandsOverToAColleague) {
  EXPECT_EQ(Handover(AtStage("county_review"), shizhong_reviewer_, colleague_), "<allowed>");
}

TEST_F(SingleReviewer, OnlyReviewStagesAreHandedOver) {
  EXPECT_EQ(Handover(AtStage("draft"), unit_submitter_,
                     MakeActor(13, "sz_a_clerk_2", {{"submitter", kShizhongA}})),
            "invalid_action");
  EXPECT_EQ(Handover(AtStage("approved"), shizhong_reviewer_, colleague_), "invalid_action");
}

TEST_F(SingleReviewer, OnlyTheStagesReviewerHandsOver) {
  const Instance item = AtStage("county_review");
  EXPECT_EQ(Handover(item, city_reviewer_, colleague_), "forbidden");
  EXPECT_EQ(Handover(item, qianwei_reviewer_, colleague_), "forbidden");
  EXPECT_EQ(Handover(item, unit_submitter_, colleague_), "forbidden");
}

TEST_F(SingleReviewer, OnlyTheAssigneeHandsOnAgain) {
  const Instance item = HandedTo(colleague_);
  EXPECT_EQ(Handover(item, shizhong_reviewer_, third_), "forbidden");
  EXPECT_EQ(Handover(item, colleague_, third_), "<allowed>");
  EXPECT_EQ(Handover(item, colleague_, shizhong_reviewer_), "<allowed>");
}

TEST_F(SingleReviewer, TheTargetMustReviewAtTheSameOrganization) {
  const Instance item = AtStage("county_review");
  for (const Actor& target :
       {qianwei_reviewer_, city_reviewer_, unit_submitter_,
        MakeActor(50, "sz_voter", {{"voter", kShizhong}}),
        MakeActor(51, "qw_reviewer_2", {{"reviewer", kQianwei}, {"voter", kShizhong}})}) {
    SCOPED_TRACE(target.username);
    Status status = CheckHandover(flow_, orgs_, item, shizhong_reviewer_, target);
    EXPECT_EQ(StatusName(status), "bad_request");
    EXPECT_THAT(DetailPaths(status), ElementsAre("to"));
  }
}

TEST_F(SingleReviewer, NotToOneself) {
  Status status =
      CheckHandover(flow_, orgs_, AtStage("county_review"), shizhong_reviewer_, shizhong_reviewer_);
  EXPECT_EQ(StatusName(status), "bad_request");
  EXPECT_THAT(DetailPaths(status), ElementsAre("to"));
}

TEST_F(SingleReviewer, NotToTheItemsCreator) {
  Instance item = AtStage("county_review");
  item.created_by = colleague_.user_id;
  Status status = CheckHandover(flow_, orgs_, item, shizhong_reviewer_, colleague_);
  EXPECT_EQ(StatusName(status), "bad_request");
  EXPECT_THAT(DetailPaths(status), ElementsAre("to"));
}

TEST_F(SingleReviewer, ACityStageIsHandedOverAmongCityReviewers) {
  const Instance item = AtStage("city_review");
  const Actor city_colleague = MakeActor(31, "city_reviewer_2", {{"reviewer", kCity}});
  EXPECT_EQ(Handover(item, city_reviewer_, city_colleague), "<allowed>");
  EXPECT_EQ(Handover(item, city_reviewer_, shizhong_reviewer_), "bad_request");
  EXPECT_EQ(Handover(item, shizhong_reviewer_, colleague_), "forbidden");
}

// CheckHandover at a stage decided by a panel

TEST_F(ReviewPanel, AnUndecidedApproverHandsOverToAReviewerOffThePanel) {
  EXPECT_EQ(Handover(Item(), shizhong_reviewer_, fourth_), "<allowed>");
}

TEST_F(ReviewPanel, OnlyApproversHandOver) {
  EXPECT_EQ(Handover(Item(), fourth_, MakeActor(25, "sz_reviewer_5", {{"reviewer", kShizhong}})),
            "forbidden");
}

TEST_F(ReviewPanel, ADecidedApproverNoLongerHandsOver) {
  Instance item = Item();
  item.decisions.approved = {20};
  EXPECT_EQ(Handover(item, shizhong_reviewer_, fourth_), "invalid_action");
  item.decisions = {{20, 22, 23}, {}, {20}};
  EXPECT_EQ(Handover(item, shizhong_reviewer_, fourth_), "invalid_action");
}

TEST_F(ReviewPanel, NotToAnotherApprover) {
  Status status = CheckHandover(flow_, orgs_, Item(), shizhong_reviewer_, colleague_);
  EXPECT_EQ(StatusName(status), "bad_request");
  EXPECT_THAT(DetailPaths(status), ElementsAre("to"));
}

TEST_F(ReviewPanel, TheTargetMustStillReviewAtTheSameOrganization) {
  Status status = CheckHandover(flow_, orgs_, Item(), shizhong_reviewer_, qianwei_reviewer_);
  EXPECT_EQ(StatusName(status), "bad_request");
  EXPECT_THAT(DetailPaths(status), ElementsAre("to"));
}

TEST_F(ReviewPanel, WithoutAssignedApproversAnyReviewerHandsOver) {
  EXPECT_EQ(Handover(AtStage("county_review"), fourth_, colleague_), "<allowed>");
}

}  // namespace
}  // namespace jingsai::engine
