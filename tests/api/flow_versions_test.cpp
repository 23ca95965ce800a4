// Flow versions over HTTP: publishing a changed definition makes a new
// version that new items take while running items stay on theirs; a report
// may name another report flow; validation lists every problem at once.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "tests/api/flow_admin_fixture.h"

namespace jingsai::testing {
namespace {

class FlowVersions : public FlowAdminTest {
 protected:
  // report-county with the county stage retitled: version 2.
  void PublishRetitledCountyReview() {
    boost::json::object definition = Definition("report-county");
    StageIn(definition, "county_review")["title"] = "县级初审";
    HttpResult published = server().Post("/api/v1/flows", definition, Token("admin"));
    ASSERT_EQ(published.status, 201) << published.body;
    EXPECT_EQ(boost::json::serialize(published.json), R"({"key":"report-county","version":2})");
    EXPECT_EQ(published.Header("location"), "/api/v1/flows/report-county/versions/2");
  }

  HttpResult CreateOnFlow(const std::string& flow) {
    return server().Post("/api/v1/submissions",
                         {{"campaign", kCampaign},
                          {"org", "jiajiang-ceramics"},
                          {"title", "指定流程的报告"},
                          {"flow", flow},
                          {"data", ValidReportData()}},
                         Token("jiajiang-submitter"));
  }
};

// A report flow with one review, at the county: draft -> county_review -> approved.
boost::json::object FastReportFlow() {
  return boost::json::parse(R"({
    "key": "report-fast", "title": "快速报送（仅县级审核）", "subject": "report", "start": "draft",
    "stages": [
      {"id": "draft", "kind": "edit", "title": "填报", "actor": {"role": "submitter", "scope": "self"},
       "actions": {"submit": {"to": "county_review", "validators": ["report.complete"]}}},
      {"id": "county_review", "kind": "review", "title": "县级审核",
       "actor": {"role": "reviewer", "scope": "county"},
       "actions": {"approve": {"to": "approved"}, "return": {"to": ["draft"]}}},
      {"id": "approved", "kind": "end", "title": "已通过", "outcome": "approved"}
    ]})")
      .as_object();
}

// One definition with one of each kind of problem.
boost::json::object FlowWithEveryProblem() {
  return boost::json::parse(R"({
    "key": "broken-everywhere", "title": "处处有问题", "subject": "report", "start": "draft",
    "stages": [
      {"id": "draft", "kind": "edit", "title": "填报", "actor": {"role": "submitter", "scope": "self"},
       "actions": {"submit": {"to": "review", "validators": ["report.complete", "no.such.rule"]}}},
      {"id": "review", "kind": "review", "title": "审核",
       "actor": {"role": "reviewer", "scope": "province"},
       "approvals": {"mode": "all"}, "separate_from": ["ghost"],
       "actions": {"approve": {"to": "check"}, "return": {"to": ["check"]}}},
      {"id": "check", "kind": "edit", "title": "复核", "actor": {"role": "auditor", "scope": "city"},
       "approvals": {"mode": "all"},
       "actions": {"submit": {"to": "ballot"}, "withdraw": {"to": "nowhere"}}},
      {"id": "done", "kind": "end", "title": "完成", "outcome": "approved"},
      {"id": "orphan", "kind": "review", "title": "孤立", "actor": {"role": "reviewer", "scope": "city"},
       "actions": {"approve": {"to": "done"}}},
      {"id": "done", "kind": "end", "title": "又一个完成", "outcome": "approved"},
      {"id": "ballot", "kind": "vote", "title": "表决", "actor": {"role": "voter", "scope": "city"},
       "actions": {"pass": {"to": "done"}, "fail": {"to": "done"}}}
    ]})")
      .as_object();
}

TEST_F(FlowVersions, PublishingAChangedDefinitionMakesVersionTwo) {
  PublishRetitledCountyReview();

  HttpResult latest = server().Get("/api/v1/flows/report-county", Token("jiajiang-submitter"));
  ASSERT_EQ(latest.status, 200) << latest.body;
  EXPECT_EQ(Int(latest.json, "version"), 2);
  boost::json::object latest_definition = latest.json.as_object();
  EXPECT_EQ(Str(StageIn(latest_definition, "county_review"), "title"), "县级初审");

  HttpResult first =
      server().Get("/api/v1/flows/report-county/versions/1", Token("jiajiang-submitter"));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Int(first.json, "version"), 1);
  boost::json::object first_definition = first.json.as_object();
  EXPECT_EQ(Str(StageIn(first_definition, "county_review"), "title"), "县级审核");

  HttpResult second =
      server().Get("/api/v1/flows/report-county/versions/2", Token("jiajiang-submitter"));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json, latest.json);

  HttpResult versions = server().Get("/api/v1/flows/report-county/versions", Token("voter1"));
  ASSERT_EQ(versions.status, 200) << versions.body;
  std::vector<int64_t> numbers;
  for (const boost::json::value& version : versions.json.at("items").as_array()) {
    numbers.push_back(Int(version, "version"));
  }
  EXPECT_EQ(numbers, (std::vector<int64_t>{1, 2}));

  // The list shows the latest version of each flow.
  HttpResult flows = server().Get("/api/v1/flows", Token("voter1"));
  ASSERT_EQ(flows.status, 200) << flows.body;
  for (const boost::json::value& flow : flows.json.at("items").as_array()) {
    if (Str(flow, "key") != "report-county") continue;
    EXPECT_EQ(Int(flow, "version"), 2);
    EXPECT_EQ(Int(flow, "versions"), 2);
  }
}

TEST_F(FlowVersions, ItemsKeepTheVersionTheyStartedOn) {
  int64_t draft = CreateReport(Token("jiajiang-submitter"), "jiajiang-ceramics", "旧版草稿");
  int64_t running = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "旧版审核中");
  PublishRetitledCountyReview();
  int64_t fresh = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "新版审核中");

  boost::json::value old_item = Item(Token("jiajiang-reviewer"), running);
  EXPECT_EQ(boost::json::serialize(old_item.at("flow")), R"({"key":"report-county","version":1})");
  EXPECT_EQ(Str(old_item, "stage_title"), "县级审核");
  boost::json::value new_item = Item(Token("jiajiang-reviewer"), fresh);
  EXPECT_EQ(boost::json::serialize(new_item.at("flow")), R"({"key":"report-county","version":2})");
  EXPECT_EQ(Str(new_item, "stage_title"), "县级初审");

  // A draft started on version 1 stays there when it is submitted later.
  AttachDocument(Token("jiajiang-submitter"), draft);
  boost::json::value submitted = ActOk(Token("jiajiang-submitter"), draft, "submit");
  EXPECT_EQ(Int(submitted.at("flow"), "version"), 1);
  EXPECT_EQ(Str(submitted, "stage_title"), "县级审核");

  // Both run to the end on their own versions.
  for (int64_t id : {running, fresh}) {
    ActOk(Token("jiajiang-reviewer"), id, "approve");
    boost::json::value approved = ActOk(Token("city-reviewer"), id, "approve");
    EXPECT_EQ(Str(approved, "stage"), "approved");
    EXPECT_EQ(Int(approved.at("flow"), "version"), id == running ? 1 : 2);
  }
}

TEST_F(FlowVersions, AReportMayNameAnotherReportFlow) {
  HttpResult published = server().Post("/api/v1/flows", FastReportFlow(), Token("admin"));
  ASSERT_EQ(published.status, 201) << published.body;
  EXPECT_EQ(boost::json::serialize(published.json), R"({"key":"report-fast","version":1})");

  HttpResult created = CreateOnFlow("report-fast");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(boost::json::serialize(created.json.at("flow")),
            R"({"key":"report-fast","version":1})");
  EXPECT_EQ(Str(created.json, "stage"), "draft");
  int64_t id = Int(created.json, "id");

  AttachDocument(Token("jiajiang-submitter"), id);
  EXPECT_EQ(Str(ActOk(Token("jiajiang-submitter"), id, "submit"), "stage"), "county_review");
  boost::json::value approved = ActOk(Token("jiajiang-reviewer"), id, "approve");
  EXPECT_EQ(Str(approved, "stage"), "approved");
  EXPECT_EQ(Str(approved, "status"), "approved");

  // A report without "flow" still takes the county flow.
  HttpResult plain = CreateReportResult(Token("jiajiang-submitter"), "jiajiang-ceramics");
  ASSERT_EQ(plain.status, 201) << plain.body;
  EXPECT_EQ(Str(plain.json.at("flow"), "key"), "report-county");
}

TEST_F(FlowVersions, ANamedFlowTakesItsLatestVersion) {
  ASSERT_EQ(Publish(FastReportFlow()), 1);
  boost::json::object second = FastReportFlow();
  second["title"] = "快速报送（第二版）";
  ASSERT_EQ(Publish(second), 2);
  HttpResult created = CreateOnFlow("report-fast");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(boost::json::serialize(created.json.at("flow")),
            R"({"key":"report-fast","version":2})");
}

TEST_F(FlowVersions, NamingAnUnknownOrNonReportFlowIsABadRequest) {
  for (const char* flow : {"no-such-flow", "commendation"}) {
    HttpResult refused = CreateOnFlow(flow);
    EXPECT_EQ(refused.status, 400) << flow << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "bad_request") << flow;
    EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{"flow"}) << refused.body;
  }
  HttpResult list = server().Get("/api/v1/submissions", Token("jiajiang-submitter"));
  EXPECT_EQ(ItemIds(list), std::vector<int64_t>{});
}

TEST_F(FlowVersions, ValidateListsEveryProblemWithItsPath) {
  HttpResult invalid =
      server().Post("/api/v1/flows/validate", FlowWithEveryProblem(), Token("admin"));
  ASSERT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_EQ(invalid.ErrorCode(), "invalid_flow");
  EXPECT_EQ(ErrorPaths(invalid), (std::vector<std::string>{
                                     "stages[0].actions.submit.validators[1]",  // unknown validator
                                     "stages[1].actor.scope",                   // unknown scope
                                     "stages[2].actor.role",                    // unknown role
                                     "stages[2].approvals",             // approvals, not a review
                                     "stages[6].kind",                  // a vote in a report flow
                                     "stages[6].rules",                 // vote stage without rules
                                     "stages[5].id",                    // duplicate id
                                     "stages[2].actions.withdraw.to",   // unknown target
                                     "stages[4]",                       // unreachable
                                     "stages[1].actions.return.to[0]",  // return to a later stage
                                     "stages[1].separate_from[0]",      // unknown stage
                                 }))
      << invalid.body;
  for (const boost::json::value& detail : invalid.json.at("error").at("details").as_array()) {
    EXPECT_FALSE(Str(detail, "message").empty()) << detail;
  }
  const boost::json::array& details = invalid.json.at("error").at("details").as_array();
  auto message_at = [&details](const std::string& path) {
    for (const boost::json::value& detail : details) {
      if (Str(detail, "path") == path) return Str(detail, "message");
    }
    return std::string();
  };
  EXPECT_NE(message_at("stages[0].actions.submit.validators[1]").find("no.such.rule"),
            std::string::npos);
  EXPECT_NE(message_at("stages[1].actor.scope").find("province"), std::string::npos);
  EXPECT_NE(message_at("stages[2].actor.role").find("auditor"), std::string::npos);
  EXPECT_NE(message_at("stages[2].actions.withdraw.to").find("nowhere"), std::string::npos);
  EXPECT_NE(message_at("stages[5].id").find("done"), std::string::npos);
  EXPECT_NE(message_at("stages[4]").find("orphan"), std::string::npos);
  EXPECT_NE(message_at("stages[1].separate_from[0]").find("ghost"), std::string::npos);

  // Publishing the same definition is refused with the same problems, and stores nothing.
  HttpResult refused = server().Post("/api/v1/flows", FlowWithEveryProblem(), Token("admin"));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.ErrorCode(), "invalid_flow");
  EXPECT_EQ(ErrorPaths(refused), ErrorPaths(invalid));
  EXPECT_EQ(server().Get("/api/v1/flows/broken-everywhere", Token("admin")).status, 404);
}

TEST_F(FlowVersions, ValidateAcceptsStageOptionsOnTheRightStages) {
  boost::json::object definition = Definition("report-county");
  StageIn(definition, "county_review")["approvals"] = {{"mode", "ratio"}, {"ratio", 0.6}};
  StageIn(definition, "county_review")["due"] = {{"days", 3}};
  StageIn(definition, "city_review")["separate_from"] = boost::json::array{"county_review"};
  StageIn(definition, "city_review")["due"] = {{"hours", 36}};
  HttpResult valid = server().Post("/api/v1/flows/validate", definition, Token("admin"));
  ASSERT_EQ(valid.status, 200) << valid.body;
  EXPECT_EQ(boost::json::serialize(valid.json), R"({"valid":true})");
}

TEST_F(FlowVersions, ValidateNamesBadStageOptions) {
  boost::json::object definition = Definition("report-county");
  StageIn(definition, "county_review")["approvals"] = {{"mode", "ratio"}, {"ratio", 1.5}};
  StageIn(definition, "county_review")["due"] = {{"weeks", 1}};
  StageIn(definition, "city_review")["separate_from"] =
      boost::json::array{"city_review", "approved"};
  StageIn(definition, "city_review")["approvals"] = {{"mode", "most"}};
  StageIn(definition, "approved")["due"] = {{"days", 1}};
  HttpResult invalid = server().Post("/api/v1/flows/validate", definition, Token("admin"));
  ASSERT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_EQ(invalid.ErrorCode(), "invalid_flow");
  EXPECT_EQ(ErrorPaths(invalid), (std::vector<std::string>{
                                     "stages[1].approvals.ratio",
                                     "stages[1].due.weeks",
                                     "stages[1].due",
                                     "stages[2].approvals.mode",
                                     "stages[3].due",
                                     "stages[2].separate_from[0]",
                                     "stages[2].separate_from[1]",
                                 }))
      << invalid.body;
}

TEST_F(FlowVersions, OnlyAdminsValidateOrPublish) {
  boost::json::object definition = Definition("report-county");
  for (const char* path : {"/api/v1/flows/validate", "/api/v1/flows"}) {
    HttpResult refused = server().Post(path, definition, Token("jiajiang-reviewer"));
    EXPECT_EQ(refused.status, 403) << path;
    EXPECT_EQ(refused.ErrorCode(), "forbidden") << path;
    HttpResult anonymous = server().Post(path, definition);
    EXPECT_EQ(anonymous.status, 401) << path;
    EXPECT_EQ(anonymous.ErrorCode(), "unauthenticated") << path;
  }
  EXPECT_EQ(Int(server().Get("/api/v1/flows/report-county", Token("admin")).json, "version"), 1);
}

}  // namespace
}  // namespace jingsai::testing
