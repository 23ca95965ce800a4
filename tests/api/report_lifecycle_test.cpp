// A report's way through its flow as its users see it: created and edited in
// draft, submitted, approved at county and city, returned and resubmitted.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

class ReportLifecycle : public ApiTest {
 protected:
  std::string StageOf(int64_t id) {
    return Str(GetReport(Token("city-reviewer"), id).json, "stage");
  }
};

std::vector<std::string> ActionNames(const boost::json::value& item) {
  std::vector<std::string> names;
  for (const boost::json::value& entry : item.at("allowed_actions").as_array()) {
    names.push_back(Str(entry, "action"));
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST_F(ReportLifecycle, CreateAnswersTheNewDraft) {
  HttpResult created = CreateReportResult(Token("jiajiang-submitter"), "jiajiang-ceramics",
                                          "夹江陶瓷2014年劳动竞赛总结");
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t id = Int(created.json, "id");
  ASSERT_GT(id, 0);
  EXPECT_EQ(created.Header("location"), SubmissionPath(id));
  EXPECT_EQ(created.Header("etag"), "\"1\"");
  EXPECT_EQ(Str(created.json, "campaign"), "leshan-2014");
  EXPECT_EQ(Str(created.json, "org"), "jiajiang-ceramics");
  EXPECT_EQ(Str(created.json.at("flow"), "key"), "report-county");
  EXPECT_EQ(Int(created.json.at("flow"), "version"), 1);
  EXPECT_EQ(Str(created.json, "stage"), "draft");
  EXPECT_EQ(Str(created.json, "status"), "draft");
  EXPECT_EQ(Int(created.json, "version"), 1);
  EXPECT_EQ(Str(created.json, "title"), "夹江陶瓷2014年劳动竞赛总结");
  EXPECT_EQ(created.json.at("data"), boost::json::value(ValidReportData()));
  EXPECT_EQ(created.json.at("late"), boost::json::value(false));
  EXPECT_EQ(ActionNames(created.json), std::vector<std::string>{"submit"});

  HttpResult read = GetReport(Token("jiajiang-submitter"), id);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Header("etag"), "\"1\"");
  EXPECT_EQ(read.json, created.json);
}

TEST_F(ReportLifecycle, CityDirectUnitGetsTheCityDirectFlow) {
  HttpResult created = CreateReportResult(Token("transit-submitter"), "city-transit");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json.at("flow"), "key"), "report-city-direct");
  EXPECT_EQ(Str(created.json, "stage"), "draft");
}

TEST_F(ReportLifecycle, CreateNeedsTheFieldsItNames) {
  HttpResult missing = server().Post("/api/v1/submissions", {{"org", "jiajiang-ceramics"}},
                                     Token("jiajiang-submitter"));
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.ErrorCode(), "bad_request");
  std::set<std::string> paths;
  for (const boost::json::value& detail : missing.json.at("error").at("details").as_array()) {
    paths.insert(Str(detail, "path"));
  }
  EXPECT_EQ(paths, (std::set<std::string>{"campaign", "title", "data"}));

  HttpResult unknown = server().Post("/api/v1/submissions",
                                     {{"campaign", "leshan-1999"},
                                      {"org", "jiajiang-ceramics"},
                                      {"title", "报告"},
                                      {"data", boost::json::object{}}},
                                     Token("jiajiang-submitter"));
  EXPECT_EQ(unknown.status, 400);
  ASSERT_FALSE(unknown.json.at("error").at("details").as_array().empty());
  EXPECT_EQ(Str(unknown.json.at("error").at("details").as_array()[0], "path"), "campaign");
}

TEST_F(ReportLifecycle, OnlyTheUnitsSubmitterCreates) {
  HttpResult reviewer = CreateReportResult(Token("jiajiang-reviewer"), "jiajiang-ceramics");
  EXPECT_EQ(reviewer.status, 403);
  EXPECT_EQ(reviewer.ErrorCode(), "forbidden");
  HttpResult other_unit = CreateReportResult(Token("shizhong-submitter"), "jiajiang-ceramics");
  EXPECT_EQ(other_unit.status, 403);
  EXPECT_EQ(other_unit.ErrorCode(), "forbidden");
  HttpResult listed = server().Get("/api/v1/submissions", Token("city-reviewer"));
  EXPECT_TRUE(listed.json.at("items").as_array().empty()) << listed.body;
}

TEST_F(ReportLifecycle, PatchInDraftReplacesTitleAndData) {
  const std::string& token = Token("jiajiang-submitter");
  int64_t id = CreateReport(token, "jiajiang-ceramics");
  boost::json::object data = ValidReportData();
  data["indicators"].as_object()["proposals_submitted"] = 1500;
  HttpResult patched =
      server().Patch(SubmissionPath(id), {{"title", "修订后的报告"}, {"data", data}}, token);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Header("etag"), "\"2\"");
  EXPECT_EQ(Int(patched.json, "version"), 2);
  EXPECT_EQ(Str(patched.json, "title"), "修订后的报告");
  EXPECT_EQ(patched.json.at("data"), boost::json::value(data));

  HttpResult title_only = server().Patch(SubmissionPath(id), {{"title", "再次修订"}}, token);
  ASSERT_EQ(title_only.status, 200) << title_only.body;
  EXPECT_EQ(Int(title_only.json, "version"), 3);
  EXPECT_EQ(title_only.json.at("data"), boost::json::value(data));

  HttpResult read = GetReport(token, id);
  EXPECT_EQ(Str(read.json, "title"), "再次修订");
  EXPECT_EQ(Int(read.json.at("data").at("indicators"), "proposals_submitted"), 1500);
  EXPECT_EQ(Str(read.json, "stage"), "draft");
}

TEST_F(ReportLifecycle, CountyReportIsApprovedByCountyThenCity) {
  const std::string& submitter = Token("jiajiang-submitter");
  int64_t id = CreateReport(submitter, "jiajiang-ceramics");
  AttachDocument(submitter, id);
  int64_t before_submit = Int(GetReport(submitter, id).json, "version");

  boost::json::value submitted = ActOk(submitter, id, "submit");
  EXPECT_EQ(Str(submitted, "stage"), "county_review");
  EXPECT_EQ(Str(submitted, "status"), "in_review");
  EXPECT_EQ(Int(submitted, "version"), before_submit + 1);
  EXPECT_TRUE(submitted.at("submitted_at").is_string());
  EXPECT_EQ(ActionNames(submitted), std::vector<std::string>{"withdraw"});

  HttpResult at_county = GetReport(Token("jiajiang-reviewer"), id);
  EXPECT_EQ(ActionNames(at_county.json), (std::vector<std::string>{"approve", "return"}));
  boost::json::value county = ActOk(Token("jiajiang-reviewer"), id, "approve");
  EXPECT_EQ(Str(county, "stage"), "city_review");
  EXPECT_EQ(Str(county, "status"), "in_review");
  EXPECT_EQ(Int(county, "version"), before_submit + 2);

  boost::json::value city = ActOk(Token("city-reviewer"), id, "approve");
  EXPECT_EQ(Str(city, "stage"), "approved");
  EXPECT_EQ(Str(city, "status"), "approved");
  EXPECT_EQ(Int(city, "version"), before_submit + 3);
  EXPECT_TRUE(city.at("allowed_actions").as_array().empty());

  HttpResult read = GetReport(submitter, id);
  EXPECT_EQ(Str(read.json, "stage"), "approved");
  EXPECT_EQ(read.Header("etag"), "\"" + std::to_string(before_submit + 3) + "\"");
}

TEST_F(ReportLifecycle, CityDirectReportIsApprovedByTheCity) {
  int64_t id = SubmittedReport("transit-submitter", "city-transit");
  EXPECT_EQ(StageOf(id), "city_review");
  boost::json::value approved = ActOk(Token("city-reviewer"), id, "approve");
  EXPECT_EQ(Str(approved, "stage"), "approved");
  EXPECT_EQ(Str(approved, "status"), "approved");
}

TEST_F(ReportLifecycle, CountyReturnsToDraftWithAComment) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  boost::json::value returned =
      ActOk(Token("jiajiang-reviewer"), id, "return", "请补充合理化建议的实施明细");
  EXPECT_EQ(Str(returned, "stage"), "draft");
  EXPECT_EQ(Str(returned, "status"), "returned");

  boost::json::array history = History(Token("jiajiang-submitter"), id);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(Str(history.back(), "action"), "return");
  EXPECT_EQ(Str(history.back(), "comment"), "请补充合理化建议的实施明细");
  EXPECT_EQ(Str(history.back(), "actor"), "jiajiang-reviewer");

  // The submitter edits and submits again.
  const std::string& submitter = Token("jiajiang-submitter");
  ASSERT_EQ(server().Patch(SubmissionPath(id), {{"title", "补充后的报告"}}, submitter).status, 200);
  boost::json::value resubmitted = ActOk(submitter, id, "submit");
  EXPECT_EQ(Str(resubmitted, "stage"), "county_review");
  EXPECT_EQ(Str(resubmitted, "status"), "in_review");
  EXPECT_EQ(Str(resubmitted, "title"), "补充后的报告");
}

TEST_F(ReportLifecycle, CityReturnsToCountyReviewOrToDraft) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ActOk(Token("jiajiang-reviewer"), id, "approve");

  boost::json::value to_county =
      ActOk(Token("city-reviewer"), id, "return", "县级请复核数据", "county_review");
  EXPECT_EQ(Str(to_county, "stage"), "county_review");
  EXPECT_EQ(Str(to_county, "status"), "in_review");

  ActOk(Token("jiajiang-reviewer"), id, "approve");
  boost::json::value to_draft =
      ActOk(Token("city-reviewer"), id, "return", "请单位重新填报", "draft");
  EXPECT_EQ(Str(to_draft, "stage"), "draft");
  EXPECT_EQ(Str(to_draft, "status"), "returned");

  boost::json::value resubmitted = ActOk(Token("jiajiang-submitter"), id, "submit");
  EXPECT_EQ(Str(resubmitted, "stage"), "county_review");
}

TEST_F(ReportLifecycle, CityReturnWithoutTargetGoesToTheFirstListed) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ActOk(Token("jiajiang-reviewer"), id, "approve");
  boost::json::value returned = ActOk(Token("city-reviewer"), id, "return", "请县级复核");
  EXPECT_EQ(Str(returned, "stage"), "county_review");
}

TEST_F(ReportLifecycle, ReturnNeedsAComment) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  for (const char* comment : {"", "   "}) {
    HttpResult result = Act(Token("jiajiang-reviewer"), id, "return", comment);
    EXPECT_EQ(result.status, 400) << result.body;
    EXPECT_EQ(result.ErrorCode(), "bad_request");
    const boost::json::array& details = result.json.at("error").at("details").as_array();
    ASSERT_EQ(details.size(), 1u) << result.body;
    EXPECT_EQ(Str(details[0], "path"), "comment");
  }
  EXPECT_EQ(StageOf(id), "county_review");
}

TEST_F(ReportLifecycle, ReturnToAStageNotListedIsRefused) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  HttpResult result = Act(Token("jiajiang-reviewer"), id, "return", "退回", "approved");
  EXPECT_EQ(result.status, 409) << result.body;
  EXPECT_EQ(result.ErrorCode(), "invalid_action");
  EXPECT_EQ(StageOf(id), "county_review");
}

TEST_F(ReportLifecycle, SubmitterWithdrawsBeforeTheCountyActs) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  boost::json::value withdrawn = ActOk(Token("jiajiang-submitter"), id, "withdraw");
  EXPECT_EQ(Str(withdrawn, "stage"), "draft");
  EXPECT_EQ(Str(withdrawn, "status"), "draft");
  EXPECT_EQ(ActionNames(withdrawn), std::vector<std::string>{"submit"});
}

TEST_F(ReportLifecycle, WithdrawIsRefusedOnceTheCountyApproved) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ActOk(Token("jiajiang-reviewer"), id, "approve");
  HttpResult refused = Act(Token("jiajiang-submitter"), id, "withdraw");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "invalid_action");
  EXPECT_EQ(StageOf(id), "city_review");
}

TEST_F(ReportLifecycle, CityDirectSubmitterWithdrawsBeforeTheCityActs) {
  int64_t id = SubmittedReport("transit-submitter", "city-transit");
  boost::json::value withdrawn = ActOk(Token("transit-submitter"), id, "withdraw");
  EXPECT_EQ(Str(withdrawn, "stage"), "draft");

  ActOk(Token("transit-submitter"), id, "submit");
  ActOk(Token("city-reviewer"), id, "approve");
  HttpResult refused = Act(Token("transit-submitter"), id, "withdraw");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "invalid_action");
  EXPECT_EQ(StageOf(id), "approved");
}

TEST_F(ReportLifecycle, ReviewerCannotWithdrawForTheSubmitter) {
  int64_t id = SubmittedReport("transit-submitter", "city-transit");
  HttpResult refused = Act(Token("city-reviewer"), id, "withdraw");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "forbidden");
  EXPECT_EQ(StageOf(id), "city_review");
}

TEST_F(ReportLifecycle, SubmitWithoutEvidenceListsTheViolations) {
  const std::string& token = Token("jiajiang-submitter");
  int64_t id =
      CreateReport(token, "jiajiang-ceramics", "报告",
                   boost::json::object{
                       {"indicators", {{"proposals_submitted", 10}, {"proposals_implemented", 20}}},
                       {"narrative", "太短"}});
  HttpResult refused = Act(token, id, "submit");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "validation_failed");
  std::set<std::string> seen;
  for (const boost::json::value& detail : refused.json.at("error").at("details").as_array()) {
    seen.insert(Str(detail, "rule") + " " + Str(detail, "path"));
    EXPECT_FALSE(Str(detail, "message").empty());
  }
  EXPECT_EQ(seen, (std::set<std::string>{"report.complete data.narrative",
                                         "report.consistent data.indicators.proposals_implemented",
                                         "evidence.backs_claims evidence"}));
  EXPECT_EQ(StageOf(id), "draft");
}

}  // namespace
}  // namespace jingsai::testing
