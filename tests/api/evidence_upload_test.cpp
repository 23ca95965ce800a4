// Uploading evidence: what the server answers, what it keeps, and which
// files it turns away whatever their name or declared type says.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>

#include "tests/api/evidence_fixture.h"

namespace jingsai::testing::evidence {
namespace {

using EvidenceUpload = ReportApiTest;

// How many distinct files the database holds.
int64_t StoredBlobs(const std::string& db_path) {
  sqlite3* db = nullptr;
  int64_t count = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM blobs", -1, &statement, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      count = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return count;
}

TEST_F(EvidenceUpload, AnswersWithTheFileDescription) {
  int64_t id = NewReport(kJiajiang);
  const std::string bytes = PdfFile("夹江陶瓷经验材料");
  HttpResult uploaded = Upload(kJiajiang.submitter, id, "summary.pdf", "document", bytes,
                               "application/pdf", "narrative");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const boost::json::object& body = uploaded.json.as_object();
  EXPECT_TRUE(body.at("id").is_int64());
  // sha256sum of the same bytes, computed outside the product.
  EXPECT_EQ(body.at("sha256").as_string(),
            "4d2c10dedcdfc5b2342fe218b035c30bdee6f914904685dba1174ec49d533aca");
  EXPECT_EQ(body.at("size").as_int64(), static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(body.at("filename").as_string(), "summary.pdf");
  EXPECT_EQ(body.at("kind").as_string(), "document");
  EXPECT_EQ(body.at("ref").as_string(), "narrative");
}

TEST_F(EvidenceUpload, ListShowsEveryFileAndEachUploadIsAStep) {
  int64_t id = NewReport(kJiajiang);
  HttpResult first =
      Upload(kJiajiang.submitter, id, "a.pdf", "document", PdfFile("a"), "application/pdf");
  HttpResult second = Upload(kJiajiang.submitter, id, "b.png", "photo", PngFile("b"), "image/png");
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(second.status, 201) << second.body;

  HttpResult list = ListEvidence(kJiajiang.submitter, id);
  ASSERT_EQ(list.status, 200) << list.body;
  const boost::json::array& items = list.json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const boost::json::object& uploaded = (i == 0 ? first : second).json.as_object();
    const boost::json::object& listed = items[i].as_object();
    for (const char* field : {"id", "sha256", "size", "filename", "kind", "ref"}) {
      EXPECT_EQ(listed.at(field), uploaded.at(field)) << field;
    }
  }
  EXPECT_EQ(items[1].at("kind").as_string(), "photo");

  // Two uploads, two steps: the version moved from 1 to 3 and history says so.
  EXPECT_EQ(Get(kJiajiang.submitter, ReportPath(id)).json.at("version").as_int64(), 3);
  EXPECT_EQ(second.Header("etag"), "\"3\"");
  const boost::json::array history =
      Get(kJiajiang.submitter, ReportPath(id) + "/history").json.at("items").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].at("action").as_string(), "attach");
  EXPECT_EQ(history[2].at("action").as_string(), "attach");
}

TEST_F(EvidenceUpload, NamesThatNameNoFileAreRefused) {
  int64_t id = NewReport(kJiajiang);
  const std::string with_nul = std::string("a") + '\0' + "b.pdf";
  for (const std::string& name :
       {with_nul, std::string("a\r\nX-Evil: 1.pdf"), std::string("../../etc/passwd"),
        std::string("dir\\a.pdf"), std::string("."), std::string(".."), std::string(" ")}) {
    HttpResult refused =
        Upload(kJiajiang.submitter, id, name, "document", PdfFile("a"), "application/pdf");
    EXPECT_EQ(refused.status, 400) << name << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "bad_request") << name;
  }
  EXPECT_TRUE(ListEvidence(kJiajiang.submitter, id).json.at("items").as_array().empty());
  // image/jpg is what many clients call JPEG.
  HttpResult jpeg =
      Upload(kJiajiang.submitter, id, "车间.jpg", "photo", JpegFile("车间"), "image/jpg");
  EXPECT_EQ(jpeg.status, 201) << jpeg.body;
}

TEST_F(EvidenceUpload, NamesThatAreNotUtf8AreRefusedAndNeverEchoed) {
  // A file name or ref that decodes to bytes that are not UTF-8 was stored as
  // such, and every later answer naming it (list, history) was not UTF-8 JSON.
  int64_t id = NewReport(kJiajiang);
  HttpResult bad_name =
      Upload(kJiajiang.submitter, id, "\xff\xfe.pdf", "document", PdfFile("a"), "application/pdf");
  EXPECT_EQ(bad_name.status, 400) << bad_name.body;
  EXPECT_EQ(bad_name.ErrorCode(), "bad_request") << bad_name.body;
  const auto first_path = [](const HttpResult& result) {
    const boost::json::array& details = result.json.at("error").at("details").as_array();
    return details.empty() ? std::string() : std::string(details[0].at("path").as_string());
  };
  EXPECT_EQ(first_path(bad_name), "filename");
  HttpResult bad_ref = Upload(kJiajiang.submitter, id, "a.pdf", "document", PdfFile("a"),
                              "application/pdf", "\xc0\xaf");
  EXPECT_EQ(bad_ref.status, 400) << bad_ref.body;
  EXPECT_EQ(first_path(bad_ref), "ref");

  HttpResult list = ListEvidence(kJiajiang.submitter, id);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(list.json.at("items").as_array().empty()) << list.body;
  HttpResult history = Get(kJiajiang.submitter, ReportPath(id) + "/history");
  ASSERT_EQ(history.status, 200);
  EXPECT_EQ(history.json.at("items").as_array().size(), 1u) << history.body;

  // Nor does a path segment come back in an error message.
  HttpResult bad_path = Get(kJiajiang.submitter, "/api/v1/orgs/%FF");
  EXPECT_EQ(bad_path.status, 400) << bad_path.body;
  EXPECT_EQ(bad_path.ErrorCode(), "bad_request") << bad_path.body;
}

TEST_F(EvidenceUpload, ADeclaredTypeThatIsNotTextIsNotEchoed) {
  // The refusal names the declared type; bytes that are not text must not
  // make the answer invalid UTF-8 JSON.
  int64_t id = NewReport(kJiajiang);
  HttpResult refused =
      Upload(kJiajiang.submitter, id, "a.pdf", "document", PdfFile("a"), "application/\xff\xfe");
  EXPECT_EQ(refused.status, 415) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "unsupported_media_type") << refused.body;
  EXPECT_TRUE(ListEvidence(kJiajiang.submitter, id).json.at("items").as_array().empty());
}

TEST_F(EvidenceUpload, DownloadReturnsTheSameBytesWithTheirType) {
  int64_t id = NewReport(kJiajiang);
  struct Case {
    std::string filename, kind, bytes, type;
  };
  const Case cases[] = {
      {"photo.png", "photo", PngFile(std::string("\0\xFF\x01\r\n\x1A", 6)), "image/png"},
      {"photo.jpg", "photo", JpegFile(std::string("\xFF\xD9\0\0", 4)), "image/jpeg"},
      {"certificate.pdf", "certificate", PdfFile("证书"), "application/pdf"},
  };
  for (const Case& c : cases) {
    HttpResult uploaded = Upload(kJiajiang.submitter, id, c.filename, c.kind, c.bytes, c.type);
    ASSERT_EQ(uploaded.status, 201) << c.filename << ": " << uploaded.body;
    HttpResult download =
        Get(kJiajiang.submitter,
            "/api/v1/evidence/" + std::string(uploaded.json.at("sha256").as_string()));
    ASSERT_EQ(download.status, 200) << c.filename;
    EXPECT_EQ(download.body, c.bytes) << c.filename;
    EXPECT_EQ(download.Header("content-type").substr(0, c.type.size()), c.type) << c.filename;
  }
}

TEST_F(EvidenceUpload, AClientHoldingTheBytesGetsNotModified) {
  int64_t id = NewReport(kJiajiang);
  HttpResult uploaded =
      Upload(kJiajiang.submitter, id, "a.pdf", "document", PdfFile("缓存"), "application/pdf");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const std::string path =
      "/api/v1/evidence/" + std::string(uploaded.json.at("sha256").as_string());
  const std::string etag = "\"" + std::string(uploaded.json.at("sha256").as_string()) + "\"";
  HttpResult held =
      server_.Request("GET", path, "", Token(kJiajiang.submitter), {{"If-None-Match", etag}});
  EXPECT_EQ(held.status, 304);
  EXPECT_TRUE(held.body.empty());
  EXPECT_EQ(held.Header("etag"), etag);
  // Knowing the hash is not leave to see the file: another county still gets 404.
  HttpResult outsider =
      server_.Request("GET", path, "", Token(kShizhong.county_reviewer), {{"If-None-Match", etag}});
  EXPECT_EQ(outsider.status, 404);
  HttpResult other =
      server_.Request("GET", path, "", Token(kJiajiang.submitter), {{"If-None-Match", "\"0000\""}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, PdfFile("缓存"));
}

TEST_F(EvidenceUpload, SameFileUploadedTwiceIsStoredOnce) {
  int64_t jiajiang = NewReport(kJiajiang);
  int64_t shizhong = NewReport(kShizhong);
  const std::string bytes = PdfFile("同一份文件");
  HttpResult first =
      Upload(kJiajiang.submitter, jiajiang, "a.pdf", "document", bytes, "application/pdf");
  HttpResult again =
      Upload(kJiajiang.submitter, jiajiang, "a-copy.pdf", "document", bytes, "application/pdf");
  HttpResult elsewhere =
      Upload(kShizhong.submitter, shizhong, "b.pdf", "document", bytes, "application/pdf");
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(again.status, 201) << again.body;
  ASSERT_EQ(elsewhere.status, 201) << elsewhere.body;

  EXPECT_EQ(again.json.at("sha256"), first.json.at("sha256"));
  EXPECT_EQ(elsewhere.json.at("sha256"), first.json.at("sha256"));
  EXPECT_NE(again.json.at("id"), first.json.at("id"));
  EXPECT_EQ(ListEvidence(kJiajiang.submitter, jiajiang).json.at("items").as_array().size(), 2u);
  EXPECT_EQ(StoredBlobs(server_.db_path()), 1);
}

TEST_F(EvidenceUpload, RenamedExecutableIsRefused) {
  int64_t id = NewReport(kJiajiang);
  for (const std::string& bytes : {ElfFile(), WindowsExe()}) {
    for (const char* type : {"application/pdf", "application/octet-stream"}) {
      HttpResult refused = Upload(kJiajiang.submitter, id, "x.pdf", "document", bytes, type);
      EXPECT_EQ(refused.status, 415) << type << ": " << refused.body;
      EXPECT_EQ(refused.ErrorCode(), "unsupported_media_type");
    }
  }
  EXPECT_TRUE(ListEvidence(kJiajiang.submitter, id).json.at("items").as_array().empty());
  EXPECT_EQ(Get(kJiajiang.submitter, ReportPath(id)).json.at("version").as_int64(), 1);
  EXPECT_EQ(StoredBlobs(server_.db_path()), 0);
}

TEST_F(EvidenceUpload, PhotoMustBeJpegOrPng) {
  int64_t id = NewReport(kJiajiang);
  HttpResult pdf =
      Upload(kJiajiang.submitter, id, "photo.pdf", "photo", PdfFile("p"), "application/pdf");
  EXPECT_EQ(pdf.status, 415) << pdf.body;
  EXPECT_EQ(pdf.ErrorCode(), "unsupported_media_type");
  EXPECT_EQ(Upload(kJiajiang.submitter, id, "p.png", "photo", PngFile("p"), "image/png").status,
            201);
  EXPECT_EQ(Upload(kJiajiang.submitter, id, "p.jpg", "photo", JpegFile("p"), "image/jpeg").status,
            201);
  EXPECT_EQ(ListEvidence(kJiajiang.submitter, id).json.at("items").as_array().size(), 2u);
}

TEST_F(EvidenceUpload, DeclaredTypeMustMatchTheBytes) {
  int64_t id = NewReport(kJiajiang);
  HttpResult mismatch =
      Upload(kJiajiang.submitter, id, "scan.pdf", "document", PngFile("scan"), "application/pdf");
  EXPECT_EQ(mismatch.status, 415) << mismatch.body;
  EXPECT_EQ(mismatch.ErrorCode(), "unsupported_media_type");
}

TEST_F(EvidenceUpload, UnknownKindOrMissingNameIsABadRequest) {
  int64_t id = NewReport(kJiajiang);
  HttpResult video =
      Upload(kJiajiang.submitter, id, "a.pdf", "video", PdfFile("a"), "application/pdf");
  EXPECT_EQ(video.status, 400) << video.body;
  EXPECT_EQ(video.ErrorCode(), "bad_request");
  ASSERT_TRUE(video.json.is_object());
  EXPECT_EQ(video.json.at("error").at("details").at(0).at("path").as_string(), "kind");

  HttpResult unnamed =
      server_.Request("POST", ReportPath(id) + "/evidence?kind=document", PdfFile("a"),
                      Token(kJiajiang.submitter), {{"Content-Type", "application/pdf"}});
  EXPECT_EQ(unnamed.status, 400) << unnamed.body;
  EXPECT_EQ(unnamed.ErrorCode(), "bad_request");
  EXPECT_TRUE(ListEvidence(kJiajiang.submitter, id).json.at("items").as_array().empty());
}

TEST_F(EvidenceUpload, ChineseFileNameAndRefRoundTrip) {
  int64_t id = NewReport(kJiajiang);
  const std::string filename = "夹江县建筑陶瓷有限公司2014年劳动竞赛经验材料（定稿）.pdf";
  const std::string ref = "专利申请 CN201410001234.5";
  HttpResult uploaded = Upload(kJiajiang.submitter, id, filename, "patent_receipt", PdfFile("回执"),
                               "application/pdf", ref);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  EXPECT_EQ(uploaded.json.at("filename").as_string(), filename);
  EXPECT_EQ(uploaded.json.at("ref").as_string(), ref);

  const boost::json::value listed = ListEvidence(kJiajiang.submitter, id).json.at("items").at(0);
  EXPECT_EQ(listed.at("filename").as_string(), filename);
  EXPECT_EQ(listed.at("ref").as_string(), ref);

  HttpResult download =
      Get(kJiajiang.submitter,
          "/api/v1/evidence/" + std::string(uploaded.json.at("sha256").as_string()));
  ASSERT_EQ(download.status, 200);
  EXPECT_NE(download.Header("content-disposition").find("filename*=UTF-8''" + UrlEncode(filename)),
            std::string::npos)
      << download.Header("content-disposition");
}

TEST_F(EvidenceUpload, OnlyTheReportsSubmitterMayUpload) {
  int64_t id = NewReport(kJiajiang);
  const std::string bytes = PdfFile("a");
  const std::string target = ReportPath(id) + "/evidence?filename=a.pdf&kind=document";
  const std::map<std::string, std::string> pdf{{"Content-Type", "application/pdf"}};
  EXPECT_EQ(server_.Request("POST", target, bytes, "", pdf).status, 401);
  // Another unit's submitter does not even see the report.
  HttpResult stranger = server_.Request("POST", target, bytes, Token("shizhong-submitter"), pdf);
  EXPECT_EQ(stranger.status, 404) << stranger.body;
  // The county reviewer sees it but does not edit it.
  HttpResult reviewer = server_.Request("POST", target, bytes, Token("jiajiang-reviewer"), pdf);
  EXPECT_EQ(reviewer.status, 403) << reviewer.body;
  EXPECT_EQ(reviewer.ErrorCode(), "forbidden");
  HttpResult missing =
      server_.Request("POST", ReportPath(999999) + "/evidence?filename=a.pdf&kind=document", bytes,
                      Token(kJiajiang.submitter), pdf);
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(ListEvidence(kJiajiang.submitter, id).json.at("items").as_array().empty());
}

TEST_F(EvidenceUpload, ListIsPaged) {
  int64_t id = NewReport(kJiajiang);
  for (const char* name : {"1.pdf", "2.pdf", "3.pdf"}) Attach(kJiajiang, id, name);
  HttpResult first = Get(kJiajiang.submitter, ReportPath(id) + "/evidence?limit=2");
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(first.json.at("items").as_array().size(), 2u);
  EXPECT_EQ(first.json.at("items").at(0).at("filename").as_string(), "1.pdf");
  ASSERT_TRUE(first.json.at("next_cursor").is_string()) << first.body;
  HttpResult rest =
      Get(kJiajiang.submitter, ReportPath(id) + "/evidence?limit=2&cursor=" +
                                   std::string(first.json.at("next_cursor").as_string()));
  ASSERT_EQ(rest.status, 200) << rest.body;
  ASSERT_EQ(rest.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(rest.json.at("items").at(0).at("filename").as_string(), "3.pdf");
  EXPECT_TRUE(rest.json.at("next_cursor").is_null());
  EXPECT_EQ(Get(kJiajiang.submitter, ReportPath(id) + "/evidence?limit=0").status, 400);
}

TEST_F(EvidenceUpload, StaleIfMatchIsRefused) {
  int64_t id = NewReport(kJiajiang);
  Attach(kJiajiang, id, "a.pdf");  // version 1 -> 2
  const std::string target = ReportPath(id) + "/evidence?filename=b.pdf&kind=document";
  HttpResult stale = server_.Request("POST", target, PdfFile("b"), Token(kJiajiang.submitter),
                                     {{"Content-Type", "application/pdf"}, {"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(stale.ErrorCode(), "version_mismatch");
  HttpResult current =
      server_.Request("POST", target, PdfFile("b"), Token(kJiajiang.submitter),
                      {{"Content-Type", "application/pdf"}, {"If-Match", "\"2\""}});
  EXPECT_EQ(current.status, 201) << current.body;
  EXPECT_EQ(ListEvidence(kJiajiang.submitter, id).json.at("items").as_array().size(), 2u);
}

TEST_F(EvidenceUpload, RetriedUploadWithTheSameKeyAttachesOnce) {
  int64_t id = NewReport(kJiajiang);
  const std::string target = ReportPath(id) + "/evidence?filename=a.pdf&kind=document";
  const std::map<std::string, std::string> headers{{"Content-Type", "application/pdf"},
                                                   {"Idempotency-Key", "upload-a-1"}};
  HttpResult first =
      server_.Request("POST", target, PdfFile("a"), Token(kJiajiang.submitter), headers);
  HttpResult retry =
      server_.Request("POST", target, PdfFile("a"), Token(kJiajiang.submitter), headers);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.json, first.json);
  EXPECT_EQ(ListEvidence(kJiajiang.submitter, id).json.at("items").as_array().size(), 1u);
}

}  // namespace
}  // namespace jingsai::testing::evidence
