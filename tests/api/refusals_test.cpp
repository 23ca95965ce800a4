// Refused requests on a report: each gets its status and error code, and
// leaves the report exactly as it was (version, stage and history).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

// What a refusal must not change, as the city reviewer (who sees all) reads it.
struct Seen {
  int64_t version = 0;
  std::string stage;
  std::string title;
  size_t history = 0;

  bool operator==(const Seen&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Seen& seen) {
  return out << "{version " << seen.version << ", stage " << seen.stage << ", title " << seen.title
             << ", history " << seen.history << "}";
}

class Refusals : public ApiTest {
 protected:
  Seen Look(int64_t id) {
    HttpResult item = GetReport(Token("city-reviewer"), id);
    EXPECT_EQ(item.status, 200) << item.body;
    return {Int(item.json, "version"), Str(item.json, "stage"), Str(item.json, "title"),
            History(Token("city-reviewer"), id).size()};
  }

  // A report of jiajiang-ceramics waiting at county review.
  int64_t AtCountyReview() { return SubmittedReport("jiajiang-submitter", "jiajiang-ceramics"); }

  static void ExpectError(const HttpResult& result, int status, const std::string& code) {
    EXPECT_EQ(result.status, status) << result.body;
    EXPECT_EQ(result.ErrorCode(), code) << result.body;
  }
};

TEST_F(Refusals, ReviewerOfAnotherCountyCannotSeeTheReport) {
  int64_t id = AtCountyReview();
  Seen before = Look(id);
  const std::string& outsider = Token("shizhong-reviewer");
  ExpectError(GetReport(outsider, id), 404, "not_found");
  ExpectError(server().Get(SubmissionPath(id, "/history"), outsider), 404, "not_found");
  ExpectError(Act(outsider, id, "approve"), 404, "not_found");
  ExpectError(Act(outsider, id, "return", "退回"), 404, "not_found");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, SubmitterOfAnotherUnitCannotSeeTheReport) {
  int64_t id = CreateReport(Token("jiajiang-submitter"), "jiajiang-ceramics");
  AttachDocument(Token("jiajiang-submitter"), id);
  Seen before = Look(id);
  const std::string& outsider = Token("shizhong-submitter");
  ExpectError(GetReport(outsider, id), 404, "not_found");
  ExpectError(Act(outsider, id, "submit"), 404, "not_found");
  ExpectError(server().Patch(SubmissionPath(id), {{"title", "篡改"}}, outsider), 404, "not_found");
  ExpectError(GetReport(Token("transit-submitter"), id), 404, "not_found");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, NoSuchReportIsNotFound) {
  ExpectError(GetReport(Token("city-reviewer"), 999999), 404, "not_found");
  ExpectError(server().Get("/api/v1/submissions/abc", Token("city-reviewer")), 404, "not_found");
  ExpectError(Act(Token("city-reviewer"), 999999, "approve"), 404, "not_found");
}

TEST_F(Refusals, CityReviewerCannotActAtTheCountyStage) {
  int64_t id = AtCountyReview();
  Seen before = Look(id);
  ExpectError(Act(Token("city-reviewer"), id, "approve"), 403, "forbidden");
  ExpectError(Act(Token("city-reviewer"), id, "return", "退回"), 403, "forbidden");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, CountyReviewerCannotActAtTheCityStage) {
  int64_t id = AtCountyReview();
  ActOk(Token("jiajiang-reviewer"), id, "approve");
  Seen before = Look(id);
  ExpectError(Act(Token("jiajiang-reviewer"), id, "approve"), 403, "forbidden");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, SubmitterCannotApprove) {
  int64_t id = AtCountyReview();
  Seen before = Look(id);
  ExpectError(Act(Token("jiajiang-submitter"), id, "approve"), 403, "forbidden");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, MissingTokenChangesNothing) {
  int64_t id = AtCountyReview();
  Seen before = Look(id);
  ExpectError(Act("", id, "approve"), 401, "unauthenticated");
  ExpectError(server().Get(SubmissionPath(id)), 401, "unauthenticated");
  ExpectError(server().Patch(SubmissionPath(id), {{"title", "x"}}), 401, "unauthenticated");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, MalformedJsonIsABadRequest) {
  int64_t id = AtCountyReview();
  Seen before = Look(id);
  const std::string& reviewer = Token("jiajiang-reviewer");
  for (const char* body : {R"({"action": "approve")", "not json", R"(["approve"])", "{}"}) {
    HttpResult result = server().Request("POST", SubmissionPath(id, "/actions"), body, reviewer);
    ExpectError(result, 400, "bad_request");
  }
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, WrongJsonTypesNameThePath) {
  int64_t id = AtCountyReview();
  Seen before = Look(id);
  HttpResult result =
      server().Post(SubmissionPath(id, "/actions"),
                    {{"action", 7}, {"comment", true}, {"to", {1, 2}}}, Token("jiajiang-reviewer"));
  ExpectError(result, 400, "bad_request");
  std::set<std::string> paths;
  for (const boost::json::value& detail : result.json.at("error").at("details").as_array()) {
    paths.insert(Str(detail, "path"));
    EXPECT_FALSE(Str(detail, "message").empty());
  }
  EXPECT_EQ(paths, (std::set<std::string>{"action", "comment", "to"}));

  HttpResult patch =
      server().Patch(SubmissionPath(id), {{"title", 3}, {"data", "text"}}, Token("city-reviewer"));
  ExpectError(patch, 400, "bad_request");
  paths.clear();
  for (const boost::json::value& detail : patch.json.at("error").at("details").as_array()) {
    paths.insert(Str(detail, "path"));
  }
  EXPECT_EQ(paths, (std::set<std::string>{"title", "data"}));
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, NonJsonContentTypeIsUnsupported) {
  int64_t id = AtCountyReview();
  Seen before = Look(id);
  HttpResult result =
      server().Request("POST", SubmissionPath(id, "/actions"), R"({"action":"approve"})",
                       Token("jiajiang-reviewer"), {{"Content-Type", "text/plain"}});
  ExpectError(result, 415, "unsupported_media_type");
  HttpResult form = server().Request("POST", SubmissionPath(id, "/actions"), "action=approve",
                                     Token("jiajiang-reviewer"),
                                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  ExpectError(form, 415, "unsupported_media_type");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, ActionNotAllowedInTheStageIsInvalid) {
  int64_t id = AtCountyReview();
  Seen before = Look(id);
  ExpectError(Act(Token("jiajiang-reviewer"), id, "submit"), 409, "invalid_action");
  ExpectError(Act(Token("jiajiang-reviewer"), id, "publish"), 409, "invalid_action");
  ExpectError(Act(Token("jiajiang-submitter"), id, "submit"), 409, "invalid_action");
  EXPECT_EQ(Look(id), before);

  int64_t draft = CreateReport(Token("jiajiang-submitter"), "jiajiang-ceramics");
  Seen draft_before = Look(draft);
  ExpectError(Act(Token("jiajiang-submitter"), draft, "approve"), 409, "invalid_action");
  ExpectError(Act(Token("jiajiang-submitter"), draft, "withdraw"), 409, "invalid_action");
  EXPECT_EQ(Look(draft), draft_before);
}

TEST_F(Refusals, NothingMovesAnApprovedReport) {
  int64_t id = ApprovedCountyReport();
  Seen before = Look(id);
  ExpectError(Act(Token("city-reviewer"), id, "approve"), 409, "invalid_action");
  ExpectError(Act(Token("city-reviewer"), id, "return", "退回"), 409, "invalid_action");
  ExpectError(server().Patch(SubmissionPath(id), {{"title", "改"}}, Token("jiajiang-submitter")),
              409, "invalid_action");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, PatchOutsideTheEditStageIsInvalid) {
  int64_t id = AtCountyReview();
  Seen before = Look(id);
  ExpectError(
      server().Patch(SubmissionPath(id), {{"title", "提交后修改"}}, Token("jiajiang-submitter")),
      409, "invalid_action");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, ReviewerCannotEditADraft) {
  int64_t id = CreateReport(Token("jiajiang-submitter"), "jiajiang-ceramics");
  Seen before = Look(id);
  ExpectError(
      server().Patch(SubmissionPath(id), {{"title", "审核员改"}}, Token("jiajiang-reviewer")), 403,
      "forbidden");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, StaleIfMatchIsAVersionMismatch) {
  int64_t id = AtCountyReview();
  Seen before = Look(id);
  const std::string stale = "\"" + std::to_string(before.version - 1) + "\"";
  ExpectError(Act(Token("jiajiang-reviewer"), id, "approve", "", "", {{"If-Match", stale}}), 412,
              "version_mismatch");
  EXPECT_EQ(Look(id), before);

  // The current version goes through.
  const std::string current = "\"" + std::to_string(before.version) + "\"";
  HttpResult approved =
      Act(Token("jiajiang-reviewer"), id, "approve", "", "", {{"If-Match", current}});
  EXPECT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Str(approved.json, "stage"), "city_review");
}

TEST_F(Refusals, StaleIfMatchOnPatchIsAVersionMismatch) {
  const std::string& token = Token("jiajiang-submitter");
  int64_t id = CreateReport(token, "jiajiang-ceramics", "原标题");
  ASSERT_EQ(server().Patch(SubmissionPath(id), {{"title", "第二版"}}, token).status, 200);
  Seen before = Look(id);
  ExpectError(
      server().Patch(SubmissionPath(id), {{"title", "基于旧版"}}, token, {{"If-Match", "\"1\""}}),
      412, "version_mismatch");
  EXPECT_EQ(Look(id), before);
  EXPECT_EQ(before.title, "第二版");

  HttpResult malformed =
      server().Patch(SubmissionPath(id), {{"title", "x"}}, token, {{"If-Match", "banana"}});
  ExpectError(malformed, 400, "bad_request");
  EXPECT_EQ(Look(id), before);
}

TEST_F(Refusals, IfMatchListsWeakTagsAndTheStar) {
  const std::string& token = Token("jiajiang-submitter");
  int64_t id = CreateReport(token, "jiajiang-ceramics", "原标题");
  Seen before = Look(id);
  const std::string current = std::to_string(before.version);
  // A weak tag never matches: If-Match compares strongly.
  ExpectError(server().Patch(SubmissionPath(id), {{"title", "弱"}}, token,
                             {{"If-Match", "W/\"" + current + "\""}}),
              412, "version_mismatch");
  EXPECT_EQ(Look(id), before);
  // A list holds when any of its tags is the current version.
  HttpResult listed = server().Patch(SubmissionPath(id), {{"title", "列表"}}, token,
                                     {{"If-Match", "\"99\", \"" + current + "\""}});
  EXPECT_EQ(listed.status, 200) << listed.body;
  ExpectError(server().Patch(SubmissionPath(id), {{"title", "旧列表"}}, token,
                             {{"If-Match", "\"98\", \"99\""}}),
              412, "version_mismatch");
  // `*` holds for whatever version the item has.
  HttpResult star =
      server().Patch(SubmissionPath(id), {{"title", "任意"}}, token, {{"If-Match", "*"}});
  EXPECT_EQ(star.status, 200) << star.body;
  EXPECT_EQ(Look(id).title, "任意");
}

TEST_F(Refusals, ReviewerWhoCreatedCannotApproveTheirOwn) {
  // A user who is both submitter of the unit and reviewer of its county.
  ASSERT_EQ(server()
                .Post("/api/v1/users",
                      {{"username", "both-hats"},
                       {"password", "both-password"},
                       {"roles",
                        {{{"role", "submitter"}, {"org", "jiajiang-ceramics"}},
                         {{"role", "reviewer"}, {"org", "jiajiang"}}}}},
                      Token("admin"))
                .status,
            201);
  std::string both = server().Login("both-hats", "both-password");
  int64_t id = CreateReport(both, "jiajiang-ceramics");
  AttachDocument(both, id);
  ActOk(both, id, "submit");
  Seen before = Look(id);
  ExpectError(Act(both, id, "approve"), 403, "forbidden");
  EXPECT_EQ(Look(id), before);
  EXPECT_EQ(Str(ActOk(Token("jiajiang-reviewer"), id, "approve"), "stage"), "city_review");
}

}  // namespace
}  // namespace jingsai::testing
