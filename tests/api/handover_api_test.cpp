// Handing an item over (转办) over HTTP: a reviewer passes an item at their
// stage to another reviewer of the same organization, on the record; from
// then on only the assignee acts there.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "tests/api/flow_admin_fixture.h"

namespace jingsai::testing {
namespace {

class Handover : public FlowAdminTest {
 protected:
  void SetUp() override { CreateJiajiangReviewer("jiajiang-reviewer2"); }

  void ExpectRefused(const HttpResult& result, int status, const std::string& code,
                     const std::vector<std::string>& paths = {}) {
    EXPECT_EQ(result.status, status) << result.body;
    EXPECT_EQ(result.ErrorCode(), code) << result.body;
    EXPECT_EQ(ErrorPaths(result), paths) << result.body;
  }
};

TEST_F(Handover, TheAssigneeTakesOverTheItem) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  int64_t version = Int(Item(Token("admin"), id), "version");

  HttpResult handed = HandOver(Token("jiajiang-reviewer"), id, "jiajiang-reviewer2", "我出差一周");
  ASSERT_EQ(handed.status, 200) << handed.body;
  EXPECT_EQ(Str(handed.json, "assignee"), "jiajiang-reviewer2");
  EXPECT_EQ(Str(handed.json, "stage"), "county_review");
  EXPECT_EQ(Str(handed.json, "status"), "in_review");
  EXPECT_EQ(Int(handed.json, "version"), version + 1);
  EXPECT_EQ(handed.Header("etag"), "\"" + std::to_string(version + 1) + "\"");
  EXPECT_EQ(Str(Item(Token("jiajiang-submitter"), id), "assignee"), "jiajiang-reviewer2");

  boost::json::value row = LastHistoryRow(id);
  EXPECT_EQ(Str(row, "action"), "handover");
  EXPECT_EQ(Str(row, "actor"), "jiajiang-reviewer");
  EXPECT_EQ(Str(row, "from"), "county_review");
  EXPECT_EQ(Str(row, "to"), "county_review");
  EXPECT_EQ(Str(row, "comment"), "转办给 jiajiang-reviewer2：我出差一周");

  // The original reviewer no longer acts, nor sees it in their inbox.
  HttpResult refused = Act(Token("jiajiang-reviewer"), id, "approve");
  ExpectRefused(refused, 403, "forbidden");
  ExpectRefused(Act(Token("jiajiang-reviewer"), id, "return", "退回"), 403, "forbidden");
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), std::vector<int64_t>{});
  EXPECT_EQ(AllowedActionNames(Item(Token("jiajiang-reviewer"), id)), std::vector<std::string>{});

  // The assignee does.
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer2")), std::vector<int64_t>{id});
  EXPECT_EQ(AllowedActionNames(Item(Token("jiajiang-reviewer2"), id)),
            (std::vector<std::string>{"approve", "return"}));
  boost::json::value approved = ActOk(Token("jiajiang-reviewer2"), id, "approve");
  EXPECT_EQ(Str(approved, "stage"), "city_review");
  EXPECT_FALSE(approved.as_object().contains("assignee")) << approved;
  EXPECT_EQ(Str(LastHistoryRow(id), "actor"), "jiajiang-reviewer2");
}

TEST_F(Handover, HandedOverItemsDoNotCutTheInboxPageShort) {
  int64_t first = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "第一份");
  int64_t second = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "第二份");
  int64_t third = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "第三份");
  int64_t fourth = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "第四份");
  for (int64_t id : {first, second}) {
    ASSERT_EQ(HandOver(Token("jiajiang-reviewer"), id, "jiajiang-reviewer2").status, 200);
  }
  HttpResult page = server().Get("/api/v1/tasks?limit=1", Token("jiajiang-reviewer"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(ItemIds(page), std::vector<int64_t>{third});
  EXPECT_EQ(Str(page.json, "next_cursor"), std::to_string(third));
  HttpResult next = server().Get("/api/v1/tasks?limit=1&cursor=" + std::to_string(third),
                                 Token("jiajiang-reviewer"));
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(ItemIds(next), std::vector<int64_t>{fourth});
  EXPECT_TRUE(next.json.at("next_cursor").is_null()) << next.body;
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer2"), "?limit=2"), (std::vector<int64_t>{first, second}));
}

TEST_F(Handover, AHandoverWithoutCommentIsRecordedToo) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  HttpResult handed = HandOver(Token("jiajiang-reviewer"), id, "jiajiang-reviewer2");
  ASSERT_EQ(handed.status, 200) << handed.body;
  EXPECT_EQ(Str(LastHistoryRow(id), "comment"), "转办给 jiajiang-reviewer2");
}

TEST_F(Handover, TheAssigneeMayHandItOnOrBack) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ASSERT_EQ(HandOver(Token("jiajiang-reviewer"), id, "jiajiang-reviewer2").status, 200);
  // The one who handed it over may not take it back themselves.
  ExpectRefused(HandOver(Token("jiajiang-reviewer"), id, "jiajiang-reviewer"), 403, "forbidden");
  HttpResult back = HandOver(Token("jiajiang-reviewer2"), id, "jiajiang-reviewer", "已回岗");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(Str(back.json, "assignee"), "jiajiang-reviewer");
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer2")), std::vector<int64_t>{});
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), std::vector<int64_t>{id});
  ExpectRefused(Act(Token("jiajiang-reviewer2"), id, "approve"), 403, "forbidden");
  EXPECT_EQ(Str(ActOk(Token("jiajiang-reviewer"), id, "approve"), "stage"), "city_review");
}

TEST_F(Handover, AssigneeLastsOnlyForTheStage) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ASSERT_EQ(HandOver(Token("jiajiang-reviewer"), id, "jiajiang-reviewer2").status, 200);
  boost::json::value returned = ActOk(Token("jiajiang-reviewer2"), id, "return", "请补充材料");
  EXPECT_EQ(Str(returned, "stage"), "draft");
  EXPECT_FALSE(returned.as_object().contains("assignee")) << returned;

  // Back at the county stage, either reviewer may act again.
  boost::json::value resubmitted = ActOk(Token("jiajiang-submitter"), id, "submit");
  EXPECT_FALSE(resubmitted.as_object().contains("assignee")) << resubmitted;
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), std::vector<int64_t>{id});
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer2")), std::vector<int64_t>{id});
  EXPECT_EQ(Str(ActOk(Token("jiajiang-reviewer"), id, "approve"), "stage"), "city_review");
}

TEST_F(Handover, TheSubmitterMayStillWithdraw) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ASSERT_EQ(HandOver(Token("jiajiang-reviewer"), id, "jiajiang-reviewer2").status, 200);
  boost::json::value withdrawn = ActOk(Token("jiajiang-submitter"), id, "withdraw");
  EXPECT_EQ(Str(withdrawn, "stage"), "draft");
  EXPECT_FALSE(withdrawn.as_object().contains("assignee")) << withdrawn;
}

TEST_F(Handover, TheReceiverMustBeAReviewerOfTheSameScope) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const std::string& token = Token("jiajiang-reviewer");
  // A reviewer of another county, the submitter, a city reviewer (who cannot
  // act at a county stage), oneself, and nobody.
  for (const char* to : {"shizhong-reviewer", "jiajiang-submitter", "city-reviewer",
                         "jiajiang-reviewer", "nobody-here"}) {
    SCOPED_TRACE(to);
    ExpectRefused(HandOver(token, id, to), 400, "bad_request", {"to"});
  }
  // A disabled reviewer cannot receive it either.
  ASSERT_EQ(PatchUser("jiajiang-reviewer2", {{"disabled", true}}, Token("admin")).status, 200);
  ExpectRefused(HandOver(token, id, "jiajiang-reviewer2"), 400, "bad_request", {"to"});

  // Nothing changed.
  boost::json::value item = Item(Token("admin"), id);
  EXPECT_FALSE(item.as_object().contains("assignee")) << item;
  EXPECT_EQ(Str(LastHistoryRow(id), "action"), "submit");
}

TEST_F(Handover, MalformedBodiesAreBadRequests) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const std::string& token = Token("jiajiang-reviewer");
  ExpectRefused(server().Post(SubmissionPath(id, "/handover"), {{"comment", "缺少对象"}}, token),
                400, "bad_request", {"to"});
  ExpectRefused(server().Post(SubmissionPath(id, "/handover"), {{"to", 7}}, token), 400,
                "bad_request", {"to"});
  HttpResult not_json = server().Request("POST", SubmissionPath(id, "/handover"), "{to:", token,
                                         {{"Content-Type", "application/json"}});
  EXPECT_EQ(not_json.status, 400) << not_json.body;
  EXPECT_EQ(not_json.ErrorCode(), "bad_request");
}

TEST_F(Handover, OnlyAReviewItemIsHandedOver) {
  int64_t draft = CreateReport(Token("jiajiang-submitter"), "jiajiang-ceramics");
  ExpectRefused(HandOver(Token("jiajiang-reviewer"), draft, "jiajiang-reviewer2"), 409,
                "invalid_action");
  int64_t approved = ApprovedCountyReport();
  ExpectRefused(HandOver(Token("jiajiang-reviewer"), approved, "jiajiang-reviewer2"), 409,
                "invalid_action");
}

TEST_F(Handover, OnlyTheStagesActorHandsOver) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  // The city reviewer sees the item but does not act at the county stage.
  ExpectRefused(HandOver(Token("city-reviewer"), id, "jiajiang-reviewer2"), 403, "forbidden");
  // Neither does the submitter.
  ExpectRefused(HandOver(Token("jiajiang-submitter"), id, "jiajiang-reviewer2"), 403, "forbidden");
  // Another county's reviewer does not even see it.
  ExpectRefused(HandOver(Token("shizhong-reviewer"), id, "jiajiang-reviewer2"), 404, "not_found");
  ExpectRefused(HandOver(Token("jiajiang-reviewer"), 99999, "jiajiang-reviewer2"), 404,
                "not_found");
  HttpResult anonymous = server().Post(SubmissionPath(id, "/handover"), {{"to", "x"}});
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.ErrorCode(), "unauthenticated");
  EXPECT_FALSE(Item(Token("admin"), id).as_object().contains("assignee"));
}

TEST_F(Handover, WhoMayNotActLearnsNothingAboutUsers) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  // Whether or not the receiver exists, the answer is the same refusal.
  ExpectRefused(HandOver(Token("city-reviewer"), id, "nobody-here"), 403, "forbidden");
  ExpectRefused(HandOver(Token("city-reviewer"), id, "jiajiang-reviewer2"), 403, "forbidden");
}

TEST_F(Handover, IfMatchGuardsAgainstAStaleView) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  int64_t version = Int(Item(Token("admin"), id), "version");
  HttpResult stale = server().Post(SubmissionPath(id, "/handover"), {{"to", "jiajiang-reviewer2"}},
                                   Token("jiajiang-reviewer"),
                                   {{"If-Match", "\"" + std::to_string(version - 1) + "\""}});
  ExpectRefused(stale, 412, "version_mismatch");
  HttpResult current = server().Post(SubmissionPath(id, "/handover"),
                                     {{"to", "jiajiang-reviewer2"}}, Token("jiajiang-reviewer"),
                                     {{"If-Match", "\"" + std::to_string(version) + "\""}});
  EXPECT_EQ(current.status, 200) << current.body;
}

TEST_F(Handover, CityStageItemsAreHandedToAnotherCityReviewer) {
  CreateUser("city-reviewer2", {{"reviewer", "leshan"}});
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ActOk(Token("jiajiang-reviewer"), id, "approve");
  // A county reviewer is not a city-stage actor.
  ExpectRefused(HandOver(Token("city-reviewer"), id, "jiajiang-reviewer2"), 400, "bad_request",
                {"to"});
  HttpResult handed = HandOver(Token("city-reviewer"), id, "city-reviewer2");
  ASSERT_EQ(handed.status, 200) << handed.body;
  ExpectRefused(Act(Token("city-reviewer"), id, "approve"), 403, "forbidden");
  EXPECT_EQ(Str(ActOk(Token("city-reviewer2"), id, "approve"), "stage"), "approved");
}

}  // namespace
}  // namespace jingsai::testing
