// Who may fetch an evidence file, and when evidence may change: only while
// the report is being edited, never while it is under review.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/api/evidence_fixture.h"

namespace jingsai::testing::evidence {
namespace {

using EvidenceAccess = ReportApiTest;

std::string FileUrl(const std::string& sha256) { return "/api/v1/evidence/" + sha256; }

size_t EvidenceCount(const HttpResult& list) { return list.json.at("items").as_array().size(); }

TEST_F(EvidenceAccess, FileIsServedToThoseWhoSeeTheReport) {
  int64_t id = NewReport(kJiajiang);
  const std::string bytes = PdfFile("夹江陶瓷经验材料（仅限本县与市里查看）");
  HttpResult uploaded =
      Upload(kJiajiang.submitter, id, "经验材料.pdf", "document", bytes, "application/pdf");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const std::string url = FileUrl(std::string(uploaded.json.at("sha256").as_string()));

  for (const char* user : {"jiajiang-submitter", "jiajiang-reviewer", "city-reviewer"}) {
    HttpResult download = Get(user, url);
    EXPECT_EQ(download.status, 200) << user;
    EXPECT_EQ(download.body, bytes) << user;
    EXPECT_EQ(download.Header("content-type").rfind("application/pdf", 0), 0u) << user;
    EXPECT_EQ(ListEvidence(user, id).status, 200) << user;
  }
  for (const char* user : {"shizhong-reviewer", "shizhong-submitter", "transit-submitter"}) {
    HttpResult download = Get(user, url);
    EXPECT_EQ(download.status, 404) << user;
    EXPECT_EQ(download.ErrorCode(), "not_found") << user;
    EXPECT_EQ(download.body.find("%PDF"), std::string::npos) << user;
    EXPECT_EQ(ListEvidence(user, id).status, 404) << user;
  }
  EXPECT_EQ(server_.Get(url).status, 401);
}

TEST_F(EvidenceAccess, SharedFileIsServedToWhoeverSeesOneOfItsReports) {
  int64_t jiajiang = NewReport(kJiajiang);
  const std::string bytes = PdfFile("市里统一印发的表格");
  HttpResult uploaded =
      Upload(kJiajiang.submitter, jiajiang, "表格.pdf", "document", bytes, "application/pdf");
  ASSERT_EQ(uploaded.status, 201);
  const std::string url = FileUrl(std::string(uploaded.json.at("sha256").as_string()));
  EXPECT_EQ(Get("shizhong-reviewer", url).status, 404);

  int64_t shizhong = NewReport(kShizhong);
  ASSERT_EQ(Upload(kShizhong.submitter, shizhong, "form.pdf", "document", bytes, "application/pdf")
                .status,
            201);
  HttpResult download = Get("shizhong-reviewer", url);
  EXPECT_EQ(download.status, 200);
  EXPECT_EQ(download.body, bytes);
}

TEST_F(EvidenceAccess, UnknownOrMalformedHashIsNotFound) {
  EXPECT_EQ(Get("city-reviewer", FileUrl(std::string(64, '0'))).status, 404);
  EXPECT_EQ(Get("city-reviewer", FileUrl("abc")).status, 404);
  EXPECT_EQ(Get("city-reviewer", FileUrl("../../etc/passwd")).status, 404);
}

TEST_F(EvidenceAccess, EvidenceIsFrozenWhileUnderReview) {
  int64_t id = NewReport(kJiajiang);
  HttpResult document = Upload(kJiajiang.submitter, id, "经验材料.pdf", "document",
                               PdfFile("经验材料"), "application/pdf");
  ASSERT_EQ(document.status, 201);
  const std::string remove =
      ReportPath(id) + "/evidence/" + std::to_string(document.json.at("id").as_int64());
  Expect200(kJiajiang.submitter, id, "submit");
  const int64_t version = Get(kJiajiang.submitter, ReportPath(id)).json.at("version").as_int64();

  auto expect_frozen = [&](const std::string& where) {
    HttpResult added =
        Upload(kJiajiang.submitter, id, "later.png", "photo", PngFile(where), "image/png");
    EXPECT_EQ(added.status, 409) << where << ": " << added.body;
    EXPECT_EQ(added.ErrorCode(), "invalid_action") << where;
    HttpResult removed = server_.Request("DELETE", remove, "", Token(kJiajiang.submitter));
    EXPECT_EQ(removed.status, 409) << where << ": " << removed.body;
    EXPECT_EQ(removed.ErrorCode(), "invalid_action") << where;
    EXPECT_EQ(EvidenceCount(ListEvidence(kJiajiang.submitter, id)), 1u) << where;
  };
  expect_frozen("county_review");
  EXPECT_EQ(Get(kJiajiang.submitter, ReportPath(id)).json.at("version").as_int64(), version);
  Expect200(kJiajiang.county_reviewer, id, "approve");
  expect_frozen("city_review");

  // Returned to the unit, the report's evidence may change again.
  Expect200("city-reviewer", id, "return", "请补充活动照片", "draft");
  HttpResult added =
      Upload(kJiajiang.submitter, id, "later.png", "photo", PngFile("draft"), "image/png");
  EXPECT_EQ(added.status, 201) << added.body;
  HttpResult removed = server_.Request("DELETE", remove, "", Token(kJiajiang.submitter));
  EXPECT_EQ(removed.status, 204) << removed.body;
  HttpResult list = ListEvidence(kJiajiang.submitter, id);
  ASSERT_EQ(EvidenceCount(list), 1u);
  EXPECT_EQ(list.json.at("items").at(0).at("filename").as_string(), "later.png");
}

TEST_F(EvidenceAccess, EvidenceOfAnApprovedReportCannotChange) {
  int64_t id = ApprovedReport(kTransit);
  HttpResult added =
      Upload(kTransit.submitter, id, "late.pdf", "document", PdfFile("late"), "application/pdf");
  EXPECT_EQ(added.status, 409) << added.body;
  EXPECT_EQ(added.ErrorCode(), "invalid_action");
}

TEST_F(EvidenceAccess, DeleteInDraftShrinksTheList) {
  int64_t id = NewReport(kJiajiang);
  HttpResult first =
      Upload(kJiajiang.submitter, id, "a.pdf", "document", PdfFile("a"), "application/pdf");
  HttpResult second =
      Upload(kJiajiang.submitter, id, "b.pdf", "document", PdfFile("b"), "application/pdf");
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(second.status, 201);
  const std::string remove =
      ReportPath(id) + "/evidence/" + std::to_string(first.json.at("id").as_int64());

  HttpResult removed = server_.Request("DELETE", remove, "", Token(kJiajiang.submitter));
  EXPECT_EQ(removed.status, 204) << removed.body;
  EXPECT_TRUE(removed.body.empty());
  HttpResult list = ListEvidence(kJiajiang.submitter, id);
  ASSERT_EQ(EvidenceCount(list), 1u);
  EXPECT_EQ(list.json.at("items").at(0).at("id"), second.json.at("id"));

  // Gone is gone: a second delete finds nothing.
  EXPECT_EQ(server_.Request("DELETE", remove, "", Token(kJiajiang.submitter)).status, 404);
  const boost::json::array history =
      Get(kJiajiang.submitter, ReportPath(id) + "/history").json.at("items").as_array();
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().at("action").as_string(), "detach");
  EXPECT_EQ(Get(kJiajiang.submitter, ReportPath(id)).json.at("version").as_int64(), 4);
}

TEST_F(EvidenceAccess, OnlyTheSubmitterMayDelete) {
  int64_t id = NewReport(kJiajiang);
  HttpResult uploaded =
      Upload(kJiajiang.submitter, id, "a.pdf", "document", PdfFile("a"), "application/pdf");
  ASSERT_EQ(uploaded.status, 201);
  const std::string remove =
      ReportPath(id) + "/evidence/" + std::to_string(uploaded.json.at("id").as_int64());
  EXPECT_EQ(server_.Request("DELETE", remove, "", Token("jiajiang-reviewer")).status, 403);
  EXPECT_EQ(server_.Request("DELETE", remove, "", Token("shizhong-submitter")).status, 404);
  EXPECT_EQ(server_.Request("DELETE", remove, "").status, 401);
  EXPECT_EQ(EvidenceCount(ListEvidence(kJiajiang.submitter, id)), 1u);
}

TEST_F(EvidenceAccess, OneEvidenceRecordIsReadByThoseWhoSeeTheReport) {
  int64_t id = NewReport(kJiajiang);
  HttpResult uploaded =
      Upload(kJiajiang.submitter, id, "证书.pdf", "certificate", PdfFile("c"), "application/pdf");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const std::string one =
      ReportPath(id) + "/evidence/" + std::to_string(uploaded.json.at("id").as_int64());

  for (const char* user : {"jiajiang-submitter", "jiajiang-reviewer", "city-reviewer"}) {
    HttpResult read = Get(user, one);
    ASSERT_EQ(read.status, 200) << user << ": " << read.body;
    EXPECT_EQ(read.json, uploaded.json) << user;
  }
  for (const char* user : {"shizhong-reviewer", "shizhong-submitter", "transit-submitter"}) {
    HttpResult hidden = Get(user, one);
    EXPECT_EQ(hidden.status, 404) << user;
    EXPECT_EQ(hidden.ErrorCode(), "not_found") << user;
  }
  EXPECT_EQ(server_.Get(one).status, 401);
  EXPECT_EQ(Get(kJiajiang.submitter, ReportPath(id) + "/evidence/987654").status, 404);

  // A removed file is no longer one of the report's evidence.
  ASSERT_EQ(server_.Request("DELETE", one, "", Token(kJiajiang.submitter)).status, 204);
  HttpResult gone = Get(kJiajiang.submitter, one);
  EXPECT_EQ(gone.status, 404) << gone.body;
  EXPECT_EQ(gone.ErrorCode(), "not_found");
}

}  // namespace
}  // namespace jingsai::testing::evidence
