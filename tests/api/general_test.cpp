// What holds for every call: JSON in UTF-8 with Chinese text unchanged, and
// one error body shape with a code from the contract's table.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

class General : public ApiTest {};

const char kTitle[] = "夹江县建筑陶瓷有限公司工会2014年劳动竞赛“五小”活动总结（第一稿）—— 𠮷";
const char kComment[] = "请补充“首席员工”评选材料；数据须与乐工办发〔2014〕12号一致。";

TEST_F(General, ChineseTextRoundTripsUnchanged) {
  const std::string& submitter = Token("jiajiang-submitter");
  boost::json::object data = ValidReportData();
  const std::string narrative =
      "围绕“发展生态文明、建设美丽乐山”开展节能减排“五小”活动，组建师徒结对三十对，"
      "职工参与率达到百分之九十以上。";
  data["narrative"] = narrative;
  int64_t id = CreateReport(submitter, "jiajiang-ceramics", kTitle, data);
  AttachDocument(submitter, id);
  ActOk(submitter, id, "submit");
  ActOk(Token("jiajiang-reviewer"), id, "return", kComment);

  HttpResult read = GetReport(Token("city-reviewer"), id);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Str(read.json, "title"), kTitle);
  EXPECT_EQ(Str(read.json.at("data"), "narrative"), narrative);
  EXPECT_EQ(Str(read.json, "org_name"), "夹江县建筑陶瓷有限公司工会");
  // Sent as UTF-8, not as \u escapes.
  EXPECT_NE(read.body.find(kTitle), std::string::npos);
  EXPECT_NE(read.Header("content-type").find("application/json"), std::string::npos);

  boost::json::array history = History(submitter, id);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(Str(history.back(), "comment"), kComment);

  HttpResult listed = server().Get("/api/v1/submissions", Token("jiajiang-reviewer"));
  ASSERT_EQ(listed.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(listed.json.at("items").as_array()[0], "title"), kTitle);
}

TEST_F(General, EscapedChineseIsStoredAsTheSameText) {
  const std::string& submitter = Token("jiajiang-submitter");
  std::string body =
      R"({"campaign":"leshan-2014","org":"jiajiang-ceramics","title":"\u52b3\u52a8\u7ade\u8d5b","data":{}})";
  HttpResult created = server().Request("POST", "/api/v1/submissions", body, submitter);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Str(created.json, "title"), "劳动竞赛");
}

TEST_F(General, InvalidUtf8IsABadRequest) {
  std::string body =
      "{\"campaign\":\"leshan-2014\",\"org\":\"jiajiang-ceramics\",\"title\":\"\xff\xfe\",\"data\":"
      "{}}";
  HttpResult created =
      server().Request("POST", "/api/v1/submissions", body, Token("jiajiang-submitter"));
  EXPECT_EQ(created.status, 400) << created.body;
  EXPECT_EQ(created.ErrorCode(), "bad_request");
}

// Checks the one error shape and returns the code.
void ExpectErrorBody(const HttpResult& result, int status, const std::string& code,
                     const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(result.status, status) << result.body;
  ASSERT_TRUE(result.json.is_object()) << result.body;
  const boost::json::object& body = result.json.as_object();
  EXPECT_EQ(body.size(), 1u) << result.body;
  ASSERT_TRUE(body.contains("error")) << result.body;
  const boost::json::value& error = body.at("error");
  ASSERT_TRUE(error.is_object()) << result.body;
  EXPECT_EQ(Str(error, "code"), code);
  EXPECT_FALSE(Str(error, "message").empty()) << result.body;
  ASSERT_TRUE(error.as_object().contains("details")) << result.body;
  ASSERT_TRUE(error.at("details").is_array()) << result.body;
  for (const boost::json::value& detail : error.at("details").as_array()) {
    ASSERT_TRUE(detail.is_object()) << result.body;
    EXPECT_TRUE(detail.at("path").is_string()) << result.body;
    EXPECT_FALSE(Str(detail, "message").empty()) << result.body;
  }
  EXPECT_NE(result.Header("content-type").find("application/json"), std::string::npos);
}

TEST_F(General, EveryErrorHasTheSameShape) {
  const std::string& submitter = Token("jiajiang-submitter");
  int64_t draft = CreateReport(submitter, "jiajiang-ceramics");
  int64_t submitted = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");

  ExpectErrorBody(server().Get("/api/v1/me"), 401, "unauthenticated", "no token");
  ExpectErrorBody(server().Post("/api/v1/auth/login", {{"username", "x"}, {"password", "y"}}), 401,
                  "unauthenticated", "bad login");
  ExpectErrorBody(server().Request("POST", SubmissionPath(draft, "/actions"), "{", submitter), 400,
                  "bad_request", "malformed JSON");
  ExpectErrorBody(server().Post("/api/v1/orgs", boost::json::object{}, submitter), 403, "forbidden",
                  "not admin");
  ExpectErrorBody(GetReport(Token("shizhong-reviewer"), draft), 404, "not_found", "not visible");
  ExpectErrorBody(Act(submitter, draft, "approve"), 409, "invalid_action", "wrong stage");
  ExpectErrorBody(
      server().Post(
          "/api/v1/orgs",
          {{"code", "jiajiang"}, {"name", "重复"}, {"level", "county"}, {"parent", "leshan"}},
          Token("admin")),
      409, "conflict", "duplicate org");
  ExpectErrorBody(
      Act(Token("jiajiang-reviewer"), submitted, "approve", "", "", {{"If-Match", "\"1\""}}), 412,
      "version_mismatch", "stale If-Match");
  ExpectErrorBody(server().Request("POST", SubmissionPath(draft, "/actions"), "action=submit",
                                   submitter, {{"Content-Type", "text/plain"}}),
                  415, "unsupported_media_type", "not JSON");
  ExpectErrorBody(Act(submitter, draft, "submit"), 422, "validation_failed", "no document");
  ExpectErrorBody(Act(Token("jiajiang-reviewer"), submitted, "return"), 400, "bad_request",
                  "return without comment");
}

TEST_F(General, OnlyApplicationJsonIsJson) {
  const std::string& submitter = Token("jiajiang-submitter");
  int64_t draft = CreateReport(submitter, "jiajiang-ceramics");
  const std::string body = R"({"action": "withdraw"})";
  for (const char* type : {"application/jsonfoo", "application/json-patch+json", "text/json"}) {
    ExpectErrorBody(server().Request("POST", SubmissionPath(draft, "/actions"), body, submitter,
                                     {{"Content-Type", type}}),
                    415, "unsupported_media_type", type);
  }
  // Parameters and case do not matter; the draft cannot be withdrawn, which
  // shows the body was read.
  HttpResult read = server().Request("POST", SubmissionPath(draft, "/actions"), body, submitter,
                                     {{"Content-Type", " Application/JSON ; charset=UTF-8"}});
  EXPECT_EQ(read.status, 409) << read.body;
}

TEST_F(General, TheBearerTokenMayFollowMoreThanOneSpace) {
  const std::string& token = Token("jiajiang-submitter");
  HttpResult spaced =
      server().Request("GET", "/api/v1/me", "", "", {{"Authorization", "Bearer   " + token}});
  EXPECT_EQ(spaced.status, 200) << spaced.body;
  ExpectErrorBody(server().Request("GET", "/api/v1/me", "", "", {{"Authorization", "Bearer    "}}),
                  401, "unauthenticated", "spaces and no token");
}

TEST_F(General, MalformedJsonSaysWhereItStopped) {
  const std::string& submitter = Token("jiajiang-submitter");
  int64_t draft = CreateReport(submitter, "jiajiang-ceramics");
  HttpResult trailing_comma = server().Request("POST", SubmissionPath(draft, "/actions"),
                                               R"({"action": "submit",})", submitter);
  ASSERT_EQ(trailing_comma.status, 400);
  EXPECT_NE(Str(trailing_comma.json.at("error"), "message").find("第 21 个字节"), std::string::npos)
      << trailing_comma.body;
}

TEST_F(General, ValidationDetailsNameTheRule) {
  const std::string& submitter = Token("jiajiang-submitter");
  int64_t draft = CreateReport(submitter, "jiajiang-ceramics");
  HttpResult refused = Act(submitter, draft, "submit");
  ASSERT_EQ(refused.status, 422);
  const boost::json::array& details = refused.json.at("error").at("details").as_array();
  ASSERT_EQ(details.size(), 1u) << refused.body;
  EXPECT_EQ(Str(details[0], "path"), "evidence");
  EXPECT_EQ(Str(details[0], "rule"), "evidence.backs_claims");
}

TEST_F(General, JsonBodyOverOneMebibyteIsTooLarge) {
  std::string narrative(1100 * 1024, 'x');
  boost::json::object body{{"campaign", kCampaign},
                           {"org", "jiajiang-ceramics"},
                           {"title", "过大的报告"},
                           {"data", {{"narrative", narrative}}}};
  HttpResult result = server().Post("/api/v1/submissions", body, Token("jiajiang-submitter"));
  ExpectErrorBody(result, 413, "too_large", "big body");
  HttpResult listed = server().Get("/api/v1/submissions", Token("jiajiang-submitter"));
  EXPECT_TRUE(listed.json.at("items").as_array().empty()) << listed.body;
}

TEST_F(General, NumberBeyondDoubleRangeIsABadRequestNamingItsPath) {
  // 1e400 has no double value; it must not be taken (it was stored as a
  // report whose data read back as null).
  std::string body = R"({"campaign":"leshan-2014","org":"jiajiang-ceramics","title":"超大数值",)"
                     R"("data":{"indicators":{"proposals_submitted":1e400}}})";
  const std::string& submitter = Token("jiajiang-submitter");
  HttpResult created = server().Request("POST", "/api/v1/submissions", body, submitter);
  ExpectErrorBody(created, 400, "bad_request", "1e400");
  const boost::json::array& details = created.json.at("error").at("details").as_array();
  ASSERT_EQ(details.size(), 1u) << created.body;
  EXPECT_EQ(Str(details[0], "path"), "data.indicators.proposals_submitted");
  HttpResult listed = server().Get("/api/v1/submissions", submitter);
  EXPECT_TRUE(listed.json.at("items").as_array().empty()) << listed.body;
}

}  // namespace
}  // namespace jingsai::testing
