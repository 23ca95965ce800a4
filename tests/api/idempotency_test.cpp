// Idempotency-Key: a retried POST with the same key gets the first answer and
// acts once; the same key on a different request is a conflict.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

class Idempotency : public ApiTest {
 protected:
  HttpResult CreateWithKey(const std::string& user, const std::string& org, const std::string& key,
                           const std::string& title) {
    return server().Post(
        "/api/v1/submissions",
        {{"campaign", kCampaign}, {"org", org}, {"title", title}, {"data", ValidReportData()}},
        Token(user), {{"Idempotency-Key", key}});
  }

  size_t ListedCount(const std::string& user) {
    return server().Get("/api/v1/submissions", Token(user)).json.at("items").as_array().size();
  }
};

TEST_F(Idempotency, RetriedCreateReturnsTheFirstReport) {
  HttpResult first = CreateWithKey("jiajiang-submitter", "jiajiang-ceramics", "create-1", "报告");
  ASSERT_EQ(first.status, 201) << first.body;
  HttpResult retry = CreateWithKey("jiajiang-submitter", "jiajiang-ceramics", "create-1", "报告");
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.json, first.json);
  EXPECT_EQ(retry.Header("location"), first.Header("location"));
  EXPECT_EQ(retry.Header("etag"), first.Header("etag"));
  EXPECT_EQ(ListedCount("jiajiang-submitter"), 1u);
}

TEST_F(Idempotency, RetriedActionActsOnce) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  size_t rows = History(Token("city-reviewer"), id).size();
  std::map<std::string, std::string> key{{"Idempotency-Key", "approve-county-1"}};

  HttpResult first = Act(Token("jiajiang-reviewer"), id, "approve", "", "", key);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Str(first.json, "stage"), "city_review");
  HttpResult retry = Act(Token("jiajiang-reviewer"), id, "approve", "", "", key);
  ASSERT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(retry.json, first.json);
  EXPECT_EQ(retry.Header("etag"), first.Header("etag"));

  EXPECT_EQ(History(Token("city-reviewer"), id).size(), rows + 1);
  HttpResult now = GetReport(Token("city-reviewer"), id);
  EXPECT_EQ(Str(now.json, "stage"), "city_review");
  EXPECT_EQ(Int(now.json, "version"), Int(first.json, "version"));

  // Without the key the same request is a new one, refused at the city stage.
  EXPECT_EQ(Act(Token("jiajiang-reviewer"), id, "approve").status, 403);
}

TEST_F(Idempotency, SameKeyForADifferentRequestIsAConflict) {
  HttpResult first = CreateWithKey("jiajiang-submitter", "jiajiang-ceramics", "k", "第一份报告");
  ASSERT_EQ(first.status, 201) << first.body;
  HttpResult other = CreateWithKey("jiajiang-submitter", "jiajiang-ceramics", "k", "第二份报告");
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(other.ErrorCode(), "conflict");
  EXPECT_EQ(ListedCount("jiajiang-submitter"), 1u);

  int64_t id = Int(first.json, "id");
  AttachDocument(Token("jiajiang-submitter"), id);
  size_t rows = History(Token("jiajiang-submitter"), id).size();
  HttpResult reused =
      Act(Token("jiajiang-submitter"), id, "submit", "", "", {{"Idempotency-Key", "k"}});
  EXPECT_EQ(reused.status, 409) << reused.body;
  EXPECT_EQ(reused.ErrorCode(), "conflict");
  EXPECT_EQ(History(Token("jiajiang-submitter"), id).size(), rows);
  EXPECT_EQ(Str(GetReport(Token("jiajiang-submitter"), id).json, "stage"), "draft");
}

TEST_F(Idempotency, KeysBelongToTheirUser) {
  HttpResult jiajiang = CreateWithKey("jiajiang-submitter", "jiajiang-ceramics", "shared", "报告");
  HttpResult transit = CreateWithKey("transit-submitter", "city-transit", "shared", "报告");
  ASSERT_EQ(jiajiang.status, 201) << jiajiang.body;
  ASSERT_EQ(transit.status, 201) << transit.body;
  EXPECT_NE(Int(jiajiang.json, "id"), Int(transit.json, "id"));
  EXPECT_EQ(Str(transit.json, "org"), "city-transit");
  EXPECT_EQ(ListedCount("city-reviewer"), 2u);
}

TEST_F(Idempotency, DifferentKeysActAsDifferentRequests) {
  ASSERT_EQ(CreateWithKey("jiajiang-submitter", "jiajiang-ceramics", "a", "报告").status, 201);
  ASSERT_EQ(CreateWithKey("jiajiang-submitter", "jiajiang-ceramics", "b", "报告").status, 201);
  EXPECT_EQ(ListedCount("jiajiang-submitter"), 2u);
}

// The query is part of the request: the same bytes under another name are
// another upload.
TEST_F(Idempotency, SameKeyWithAnotherQueryIsAConflict) {
  const std::string& token = Token("jiajiang-submitter");
  int64_t id = CreateReport(token, "jiajiang-ceramics");
  std::map<std::string, std::string> headers{{"Content-Type", "application/pdf"},
                                             {"Idempotency-Key", "upload-1"}};
  std::string bytes = PdfBytes("same bytes");
  HttpResult first = server().Request(
      "POST", SubmissionPath(id, "/evidence?kind=document&filename=a.pdf"), bytes, token, headers);
  ASSERT_EQ(first.status, 201) << first.body;
  HttpResult retry = server().Request(
      "POST", SubmissionPath(id, "/evidence?kind=document&filename=a.pdf"), bytes, token, headers);
  EXPECT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.json, first.json);

  HttpResult other = server().Request(
      "POST", SubmissionPath(id, "/evidence?kind=document&filename=b.pdf"), bytes, token, headers);
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(other.ErrorCode(), "conflict");
  HttpResult listed = server().Get(SubmissionPath(id, "/evidence"), token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json.at("items").as_array().size(), 1u) << listed.body;
  EXPECT_EQ(Str(listed.json.at("items").as_array()[0], "filename"), "a.pdf");
}

TEST_F(Idempotency, ARefusedRequestStoresNoAnswer) {
  const std::string& token = Token("jiajiang-submitter");
  int64_t id = CreateReport(token, "jiajiang-ceramics");
  std::map<std::string, std::string> key{{"Idempotency-Key", "submit-1"}};
  HttpResult refused = Act(token, id, "submit", "", "", key);
  EXPECT_EQ(refused.status, 422) << refused.body;
  AttachDocument(token, id);
  HttpResult retried = Act(token, id, "submit", "", "", key);
  EXPECT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(Str(retried.json, "stage"), "county_review");
}

}  // namespace
}  // namespace jingsai::testing
