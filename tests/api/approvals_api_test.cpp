// Stage practice over HTTP: several approvers at a review stage (approvals
// "all" or "ratio"), and separation of duties between stages.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "tests/api/flow_admin_fixture.h"

namespace jingsai::testing {
namespace {

class Approvals : public FlowAdminTest {
 protected:
  // The item's approvals block, serialized ("" when it has none).
  std::string ApprovalsOf(const boost::json::value& item) {
    const boost::json::value* approvals = item.as_object().if_contains("approvals");
    return approvals ? boost::json::serialize(*approvals) : "";
  }

  static std::string Panel(int needed, const std::vector<std::string>& approvers,
                           const std::vector<std::string>& approved = {},
                           const std::vector<std::string>& returned = {}) {
    auto list = [](const std::vector<std::string>& names) {
      boost::json::array array;
      for (const std::string& name : names) array.push_back(boost::json::value(name));
      return array;
    };
    return boost::json::serialize(boost::json::object{{"needed", needed},
                                                      {"approvers", list(approvers)},
                                                      {"approved", list(approved)},
                                                      {"returned", list(returned)}});
  }
};

TEST_F(Approvals, InModeAllEveryApproverMustApprove) {
  CreateJiajiangReviewer("jiajiang-reviewer2");
  ASSERT_EQ(PublishCountyWith("county_review", "approvals", {{"mode", "all"}}), 2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const std::vector<std::string> panel{"jiajiang-reviewer", "jiajiang-reviewer2"};
  EXPECT_EQ(ApprovalsOf(Item(Token("jiajiang-submitter"), id)), Panel(2, panel));
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), std::vector<int64_t>{id});
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer2")), std::vector<int64_t>{id});

  HttpResult first = Act(Token("jiajiang-reviewer"), id, "approve");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Str(first.json, "stage"), "county_review");
  EXPECT_EQ(Str(first.json, "status"), "in_review");
  EXPECT_EQ(ApprovalsOf(first.json), Panel(2, panel, {"jiajiang-reviewer"}));
  boost::json::value row = LastHistoryRow(id);
  EXPECT_EQ(Str(row, "action"), "approve");
  EXPECT_EQ(Str(row, "from"), "county_review");
  EXPECT_EQ(Str(row, "to"), "county_review");

  // The approver who decided is done with it; the other still has it.
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), std::vector<int64_t>{});
  EXPECT_EQ(AllowedActionNames(Item(Token("jiajiang-reviewer"), id)), std::vector<std::string>{});
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer2")), std::vector<int64_t>{id});
  // Nothing reaches the city yet.
  EXPECT_EQ(Tasks(Token("city-reviewer")), std::vector<int64_t>{});

  // Deciding twice is refused.
  HttpResult twice = Act(Token("jiajiang-reviewer"), id, "approve");
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(twice.ErrorCode(), "invalid_action");
  HttpResult change_of_mind = Act(Token("jiajiang-reviewer"), id, "return", "改变主意");
  EXPECT_EQ(change_of_mind.status, 409) << change_of_mind.body;
  EXPECT_EQ(change_of_mind.ErrorCode(), "invalid_action");

  HttpResult second = Act(Token("jiajiang-reviewer2"), id, "approve");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Str(second.json, "stage"), "city_review");
  EXPECT_EQ(ApprovalsOf(second.json), "");
  EXPECT_EQ(Tasks(Token("city-reviewer")), std::vector<int64_t>{id});
  EXPECT_EQ(Str(ActOk(Token("city-reviewer"), id, "approve"), "stage"), "approved");
}

TEST_F(Approvals, InModeAllOneReturnSendsItBackAtOnce) {
  CreateJiajiangReviewer("jiajiang-reviewer2");
  CreateJiajiangReviewer("jiajiang-reviewer3");
  ASSERT_EQ(PublishCountyWith("county_review", "approvals", {{"mode", "all"}}), 2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const std::vector<std::string> panel{"jiajiang-reviewer", "jiajiang-reviewer2",
                                       "jiajiang-reviewer3"};
  EXPECT_EQ(ApprovalsOf(Item(Token("admin"), id)), Panel(3, panel));

  EXPECT_EQ(Str(ActOk(Token("jiajiang-reviewer"), id, "approve"), "stage"), "county_review");
  boost::json::value returned = ActOk(Token("jiajiang-reviewer2"), id, "return", "数据有误");
  EXPECT_EQ(Str(returned, "stage"), "draft");
  EXPECT_EQ(Str(returned, "status"), "returned");
  EXPECT_EQ(ApprovalsOf(returned), "");
  boost::json::value row = LastHistoryRow(id);
  EXPECT_EQ(Str(row, "action"), "return");
  EXPECT_EQ(Str(row, "from"), "county_review");
  EXPECT_EQ(Str(row, "to"), "draft");
  EXPECT_EQ(Str(row, "comment"), "数据有误");
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer3")), std::vector<int64_t>{});

  // On resubmission the panel starts over.
  boost::json::value resubmitted = ActOk(Token("jiajiang-submitter"), id, "submit");
  EXPECT_EQ(ApprovalsOf(resubmitted), Panel(3, panel));
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), std::vector<int64_t>{id});
}

TEST_F(Approvals, InModeRatioAShareOfTheApproversDecides) {
  CreateJiajiangReviewer("jiajiang-reviewer2");
  CreateJiajiangReviewer("jiajiang-reviewer3");
  ASSERT_EQ(PublishCountyWith("county_review", "approvals", {{"mode", "ratio"}, {"ratio", 0.6}}),
            2);
  const std::vector<std::string> panel{"jiajiang-reviewer", "jiajiang-reviewer2",
                                       "jiajiang-reviewer3"};
  int64_t approved = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "两人通过");
  EXPECT_EQ(ApprovalsOf(Item(Token("admin"), approved)), Panel(2, panel));
  boost::json::value first = ActOk(Token("jiajiang-reviewer"), approved, "approve");
  EXPECT_EQ(Str(first, "stage"), "county_review");
  EXPECT_EQ(ApprovalsOf(first), Panel(2, panel, {"jiajiang-reviewer"}));
  boost::json::value second = ActOk(Token("jiajiang-reviewer3"), approved, "approve");
  EXPECT_EQ(Str(second, "stage"), "city_review");

  // A return leaves it while two approvals remain possible; a second one does not.
  int64_t returned = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "两人退回");
  boost::json::value one = ActOk(Token("jiajiang-reviewer"), returned, "return", "材料不全");
  EXPECT_EQ(Str(one, "stage"), "county_review");
  EXPECT_EQ(ApprovalsOf(one), Panel(2, panel, {}, {"jiajiang-reviewer"}));
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), std::vector<int64_t>{});
  boost::json::value two = ActOk(Token("jiajiang-reviewer2"), returned, "return", "同意退回");
  EXPECT_EQ(Str(two, "stage"), "draft");
  EXPECT_EQ(Str(two, "status"), "returned");
}

TEST_F(Approvals, ThePanelIsFixedWhenTheItemEntersTheStage) {
  CreateJiajiangReviewer("jiajiang-reviewer2");
  ASSERT_EQ(PublishCountyWith("county_review", "approvals", {{"mode", "all"}}), 2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  CreateJiajiangReviewer("jiajiang-late");
  HttpResult outsider = Act(Token("jiajiang-late"), id, "approve");
  EXPECT_EQ(outsider.status, 403) << outsider.body;
  EXPECT_EQ(outsider.ErrorCode(), "forbidden");
  EXPECT_EQ(Tasks(Token("jiajiang-late")), std::vector<int64_t>{});
  EXPECT_EQ(ApprovalsOf(Item(Token("admin"), id)),
            Panel(2, {"jiajiang-reviewer", "jiajiang-reviewer2"}));
}

TEST_F(Approvals, TheCreatorIsNotOnThePanel) {
  CreateUser("jiajiang-both", {{"submitter", "jiajiang-ceramics"}, {"reviewer", "jiajiang"}});
  CreateJiajiangReviewer("jiajiang-reviewer2");
  ASSERT_EQ(PublishCountyWith("county_review", "approvals", {{"mode", "all"}}), 2);
  int64_t id = SubmittedReport("jiajiang-both", "jiajiang-ceramics");
  EXPECT_EQ(ApprovalsOf(Item(Token("admin"), id)),
            Panel(2, {"jiajiang-reviewer", "jiajiang-reviewer2"}));
  HttpResult own = Act(Token("jiajiang-both"), id, "approve");
  EXPECT_EQ(own.status, 403) << own.body;
  EXPECT_EQ(own.ErrorCode(), "forbidden");
}

TEST_F(Approvals, AHandoverPassesTheSeatOnThePanel) {
  CreateJiajiangReviewer("jiajiang-reviewer2");
  ASSERT_EQ(PublishCountyWith("county_review", "approvals", {{"mode", "all"}}), 2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  CreateJiajiangReviewer("jiajiang-reviewer3");

  // Not to someone already on the panel.
  HttpResult seated = HandOver(Token("jiajiang-reviewer"), id, "jiajiang-reviewer2");
  EXPECT_EQ(seated.status, 400) << seated.body;
  EXPECT_EQ(ErrorPaths(seated), std::vector<std::string>{"to"});

  HttpResult handed = HandOver(Token("jiajiang-reviewer"), id, "jiajiang-reviewer3");
  ASSERT_EQ(handed.status, 200) << handed.body;
  EXPECT_EQ(ApprovalsOf(handed.json), Panel(2, {"jiajiang-reviewer2", "jiajiang-reviewer3"}));
  EXPECT_EQ(Str(LastHistoryRow(id), "action"), "handover");
  HttpResult gone = Act(Token("jiajiang-reviewer"), id, "approve");
  EXPECT_EQ(gone.status, 403) << gone.body;
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), std::vector<int64_t>{});

  EXPECT_EQ(Str(ActOk(Token("jiajiang-reviewer2"), id, "approve"), "stage"), "county_review");
  // Who has decided may no longer hand over.
  HttpResult decided = HandOver(Token("jiajiang-reviewer2"), id, "jiajiang-reviewer");
  EXPECT_EQ(decided.status, 409) << decided.body;
  EXPECT_EQ(decided.ErrorCode(), "invalid_action");
  EXPECT_EQ(Str(ActOk(Token("jiajiang-reviewer3"), id, "approve"), "stage"), "city_review");
}

TEST_F(Approvals, WithoutApprovalsOneReviewerDecides) {
  CreateJiajiangReviewer("jiajiang-reviewer2");
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  EXPECT_EQ(ApprovalsOf(Item(Token("admin"), id)), "");
  EXPECT_EQ(Str(ActOk(Token("jiajiang-reviewer2"), id, "approve"), "stage"), "city_review");
}

class SeparationOfDuties : public FlowAdminTest {
 protected:
  void SetUp() override {
    // One person who reviews for the county and for the city.
    CreateUser("dual-reviewer", {{"reviewer", "jiajiang"}, {"reviewer", "leshan"}});
  }
};

TEST_F(SeparationOfDuties, WhoActedAtTheCountyDoesNotActAtTheCity) {
  ASSERT_EQ(PublishCountyWith("city_review", "separate_from", boost::json::array{"county_review"}),
            2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  EXPECT_EQ(Str(ActOk(Token("dual-reviewer"), id, "approve"), "stage"), "city_review");

  for (const char* action : {"approve", "return"}) {
    HttpResult refused = Act(Token("dual-reviewer"), id, action, "意见");
    EXPECT_EQ(refused.status, 403) << action << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "forbidden") << action;
  }
  // Their inbox and the item's allowed actions do not offer what they may not do.
  EXPECT_EQ(Tasks(Token("dual-reviewer")), std::vector<int64_t>{});
  EXPECT_EQ(Tasks(Token("city-reviewer")), std::vector<int64_t>{id});
  HttpResult seen = server().Get(SubmissionPath(id), Token("dual-reviewer"));
  EXPECT_TRUE(seen.json.at("allowed_actions").as_array().empty()) << seen.body;
  seen = server().Get(SubmissionPath(id), Token("city-reviewer"));
  EXPECT_EQ(seen.json.at("allowed_actions").as_array().size(), 2u) << seen.body;

  boost::json::value approved = ActOk(Token("city-reviewer"), id, "approve");
  EXPECT_EQ(Str(approved, "stage"), "approved");
}

TEST_F(SeparationOfDuties, AnotherCountyReviewerLeavesTheDualReviewerFree) {
  ASSERT_EQ(PublishCountyWith("city_review", "separate_from", boost::json::array{"county_review"}),
            2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ActOk(Token("jiajiang-reviewer"), id, "approve");
  EXPECT_EQ(Tasks(Token("dual-reviewer")), std::vector<int64_t>{id});
  EXPECT_EQ(Str(ActOk(Token("dual-reviewer"), id, "approve"), "stage"), "approved");
}

TEST_F(SeparationOfDuties, TheItemIsNotHandedToSomeoneWhoMayNotActOnIt) {
  ASSERT_EQ(PublishCountyWith("city_review", "separate_from", boost::json::array{"county_review"}),
            2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ActOk(Token("dual-reviewer"), id, "approve");
  HttpResult refused = HandOver(Token("city-reviewer"), id, "dual-reviewer");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "bad_request");
  EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{"to"});
  EXPECT_FALSE(Item(Token("admin"), id).as_object().contains("assignee"));
}

TEST_F(SeparationOfDuties, WhoMayNotActIsNoApproverOfAPanel) {
  // Every city reviewer must approve, except who acted at the county.
  CreateUser("city-reviewer2", {{"reviewer", "leshan"}});
  boost::json::object definition = Definition("report-county");
  StageIn(definition, "city_review")["separate_from"] = boost::json::array{"county_review"};
  StageIn(definition, "city_review")["approvals"] = {{"mode", "all"}};
  ASSERT_EQ(Publish(definition), 2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  boost::json::value at_city = ActOk(Token("dual-reviewer"), id, "approve");
  EXPECT_EQ(Str(at_city, "stage"), "city_review");
  const boost::json::array& approvers = at_city.at("approvals").at("approvers").as_array();
  EXPECT_EQ(approvers, (boost::json::array{"city-reviewer", "city-reviewer2"})) << at_city;
  // So the two who may act complete it; it does not wait for the one who may not.
  ActOk(Token("city-reviewer"), id, "approve");
  EXPECT_EQ(Str(ActOk(Token("city-reviewer2"), id, "approve"), "stage"), "approved");
}

TEST_F(SeparationOfDuties, WithoutTheRuleOnePersonMayActAtBothStages) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ActOk(Token("dual-reviewer"), id, "approve");
  EXPECT_EQ(Str(ActOk(Token("dual-reviewer"), id, "approve"), "stage"), "approved");
}

}  // namespace
}  // namespace jingsai::testing
