// Flows over HTTP: reading the built-in flows, checking a definition, and
// publishing a new version that new items use while running items stay put.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

class FlowsApi : public ApiTest {
 protected:
  // The latest definition of `key` as published, without its version.
  boost::json::object Definition(const std::string& key) {
    HttpResult flow = server().Get("/api/v1/flows/" + key, Token("admin"));
    EXPECT_EQ(flow.status, 200) << flow.body;
    boost::json::object definition = flow.json.as_object();
    definition.erase("version");
    return definition;
  }
};

std::vector<std::string> StageIds(const boost::json::value& flow) {
  std::vector<std::string> ids;
  for (const boost::json::value& stage : flow.at("stages").as_array()) {
    ids.push_back(Str(stage, "id"));
  }
  return ids;
}

// A small flow with two problems: an unknown target and an unknown validator.
boost::json::object BrokenFlow() {
  return {{"key", "broken"},
          {"title", "有问题的流程"},
          {"subject", "report"},
          {"start", "draft"},
          {"stages",
           {{{"id", "draft"},
             {"kind", "edit"},
             {"title", "填报"},
             {"actor", {{"role", "submitter"}, {"scope", "self"}}},
             {"actions", {{"submit", {{"to", "nowhere"}, {"validators", {"no.such.rule"}}}}}}},
            {{"id", "done"}, {"kind", "end"}, {"title", "完成"}, {"outcome", "approved"}}}}};
}

TEST_F(FlowsApi, ListsTheBuiltInFlows) {
  HttpResult flows = server().Get("/api/v1/flows", Token("jiajiang-submitter"));
  ASSERT_EQ(flows.status, 200) << flows.body;
  std::map<std::string, int64_t> versions;
  for (const boost::json::value& flow : flows.json.at("items").as_array()) {
    versions[Str(flow, "key")] = Int(flow, "version");
  }
  EXPECT_EQ(versions, (std::map<std::string, int64_t>{
                          {"report-county", 1}, {"report-city-direct", 1}, {"commendation", 1}}));
}

TEST_F(FlowsApi, BuiltInStagesAreTheDocumentedOnes) {
  HttpResult county = server().Get("/api/v1/flows/report-county", Token("voter1"));
  ASSERT_EQ(county.status, 200) << county.body;
  EXPECT_EQ(Str(county.json, "key"), "report-county");
  EXPECT_EQ(Int(county.json, "version"), 1);
  EXPECT_EQ(StageIds(county.json),
            (std::vector<std::string>{"draft", "county_review", "city_review", "approved"}));

  HttpResult direct = server().Get("/api/v1/flows/report-city-direct", Token("voter1"));
  ASSERT_EQ(direct.status, 200) << direct.body;
  EXPECT_EQ(StageIds(direct.json), (std::vector<std::string>{"draft", "city_review", "approved"}));

  HttpResult commendation = server().Get("/api/v1/flows/commendation/versions/1", Token("voter1"));
  ASSERT_EQ(commendation.status, 200) << commendation.body;
  std::vector<std::string> ids = StageIds(commendation.json);
  for (const char* id : {"nominated", "city_screening", "vote", "commended", "not_commended"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
}

TEST_F(FlowsApi, UnknownFlowOrVersionIsNotFound) {
  EXPECT_EQ(server().Get("/api/v1/flows/nope", Token("voter1")).ErrorCode(), "not_found");
  HttpResult version = server().Get("/api/v1/flows/report-county/versions/9", Token("voter1"));
  EXPECT_EQ(version.status, 404);
  EXPECT_EQ(version.ErrorCode(), "not_found");
}

TEST_F(FlowsApi, ValidateAcceptsABuiltInDefinition) {
  HttpResult valid =
      server().Post("/api/v1/flows/validate", Definition("report-county"), Token("admin"));
  ASSERT_EQ(valid.status, 200) << valid.body;
  EXPECT_EQ(boost::json::serialize(valid.json), R"({"valid":true})");
}

TEST_F(FlowsApi, ValidateListsEveryProblem) {
  HttpResult invalid = server().Post("/api/v1/flows/validate", BrokenFlow(), Token("admin"));
  EXPECT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_EQ(invalid.ErrorCode(), "invalid_flow");
  bool target = false, validator = false;
  for (const boost::json::value& detail : invalid.json.at("error").at("details").as_array()) {
    std::string path = Str(detail, "path");
    std::string message = Str(detail, "message");
    bool in_draft = path.rfind("stages[0].actions.submit", 0) == 0;
    target = target || (in_draft && message.find("nowhere") != std::string::npos);
    validator = validator || (in_draft && message.find("no.such.rule") != std::string::npos);
  }
  EXPECT_TRUE(target) << invalid.body;
  EXPECT_TRUE(validator) << invalid.body;
}

TEST_F(FlowsApi, PublishingABrokenFlowChangesNothing) {
  HttpResult refused = server().Post("/api/v1/flows", BrokenFlow(), Token("admin"));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.ErrorCode(), "invalid_flow");
  EXPECT_EQ(server().Get("/api/v1/flows/broken", Token("admin")).status, 404);
}

TEST_F(FlowsApi, OnlyAdminsPublish) {
  boost::json::object definition = Definition("report-county");
  HttpResult refused = server().Post("/api/v1/flows", definition, Token("city-reviewer"));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.ErrorCode(), "forbidden");
  EXPECT_EQ(Int(server().Get("/api/v1/flows/report-county", Token("admin")).json, "version"), 1);
}

TEST_F(FlowsApi, PublishedVersionIsUsedByNewReportsOnly) {
  int64_t running = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "旧流程上的报告");

  boost::json::object definition = Definition("report-county");
  definition["title"] = "劳动竞赛情况报送（县级审核，第二版）";
  HttpResult published = server().Post("/api/v1/flows", definition, Token("admin"));
  ASSERT_EQ(published.status, 201) << published.body;
  EXPECT_EQ(Str(published.json, "key"), "report-county");
  EXPECT_EQ(Int(published.json, "version"), 2);

  HttpResult latest = server().Get("/api/v1/flows/report-county", Token("voter1"));
  EXPECT_EQ(Int(latest.json, "version"), 2);
  EXPECT_EQ(Str(latest.json, "title"), "劳动竞赛情况报送（县级审核，第二版）");
  HttpResult first = server().Get("/api/v1/flows/report-county/versions/1", Token("voter1"));
  EXPECT_EQ(Str(first.json, "title"), "劳动竞赛情况报送（县级审核）");

  HttpResult fresh = CreateReportResult(Token("jiajiang-submitter"), "jiajiang-ceramics");
  ASSERT_EQ(fresh.status, 201) << fresh.body;
  EXPECT_EQ(Int(fresh.json.at("flow"), "version"), 2);

  HttpResult old = GetReport(Token("jiajiang-submitter"), running);
  EXPECT_EQ(Int(old.json.at("flow"), "version"), 1);
  boost::json::value moved = ActOk(Token("jiajiang-reviewer"), running, "approve");
  EXPECT_EQ(Str(moved, "stage"), "city_review");
  EXPECT_EQ(Int(moved.at("flow"), "version"), 1);
}

TEST_F(FlowsApi, ANewVersionKeepsTheSubject) {
  boost::json::object definition = Definition("report-county");
  definition["subject"] = "nomination";
  HttpResult refused = server().Post("/api/v1/flows", definition, Token("admin"));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "invalid_flow");
  ASSERT_EQ(refused.json.at("error").at("details").as_array().size(), 1u);
  EXPECT_EQ(Str(refused.json.at("error").at("details").as_array()[0], "path"), "subject");
  EXPECT_EQ(Int(server().Get("/api/v1/flows/report-county", Token("admin")).json, "version"), 1);
  // The check before publishing says the same.
  HttpResult checked = server().Post("/api/v1/flows/validate", definition, Token("admin"));
  EXPECT_EQ(checked.status, 422) << checked.body;
  EXPECT_EQ(checked.ErrorCode(), "invalid_flow");
  HttpResult created = CreateReportResult(Token("jiajiang-submitter"), "jiajiang-ceramics");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Int(created.json.at("flow"), "version"), 1);
}

TEST_F(FlowsApi, IfMatchNamesTheVersionTheAdminEdited) {
  boost::json::object definition = Definition("report-county");
  definition["title"] = "第二版";
  HttpResult second =
      server().Post("/api/v1/flows", definition, Token("admin"), {{"If-Match", "\"1\""}});
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(Int(second.json, "version"), 2);
  // Another admin, still editing version 1, does not publish over version 2.
  definition["title"] = "基于第一版的修改";
  HttpResult stale =
      server().Post("/api/v1/flows", definition, Token("admin"), {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(stale.ErrorCode(), "version_mismatch");
  HttpResult latest = server().Get("/api/v1/flows/report-county", Token("admin"));
  EXPECT_EQ(Int(latest.json, "version"), 2);
  EXPECT_EQ(Str(latest.json, "title"), "第二版");
}

TEST_F(FlowsApi, ANewFlowKeyStartsAtVersionOne) {
  boost::json::object definition = Definition("report-city-direct");
  definition["key"] = "report-express";
  definition["title"] = "快速报送";
  HttpResult published = server().Post("/api/v1/flows", definition, Token("admin"));
  ASSERT_EQ(published.status, 201) << published.body;
  EXPECT_EQ(Int(published.json, "version"), 1);
  EXPECT_EQ(published.Header("location"), "/api/v1/flows/report-express/versions/1");

  // A report may name it.
  HttpResult created = server().Post("/api/v1/submissions",
                                     {{"campaign", kCampaign},
                                      {"org", "jiajiang-ceramics"},
                                      {"title", "走快速流程的报告"},
                                      {"flow", "report-express"},
                                      {"data", ValidReportData()}},
                                     Token("jiajiang-submitter"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json.at("flow"), "key"), "report-express");
}

}  // namespace
}  // namespace jingsai::testing
