// Body limits: evidence files have their own (configurable) limit, larger
// than the 1 MiB that JSON bodies may carry.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/api/evidence_fixture.h"

namespace jingsai::testing::evidence {
namespace {

constexpr size_t kMiB = 1 << 20;

// A PDF of exactly `size` bytes.
std::string PdfOfSize(size_t size) {
  std::string bytes = PdfFile("");
  bytes.resize(size, 'x');
  return bytes;
}

class SmallEvidenceLimit : public ReportApiTest {
 protected:
  static constexpr size_t kLimit = 64 << 10;
  SmallEvidenceLimit() : ReportApiTest(LimitedOptions()) {}
  static TestServer::Options LimitedOptions() {
    TestServer::Options options;
    options.evidence_body_limit = kLimit;
    return options;
  }
};

TEST_F(SmallEvidenceLimit, FileOverTheConfiguredLimitIsTooLarge) {
  int64_t id = NewReport(kJiajiang);
  HttpResult over = Upload(kJiajiang.submitter, id, "big.pdf", "document", PdfOfSize(kLimit + 1),
                           "application/pdf");
  EXPECT_EQ(over.status, 413) << over.body.substr(0, 200);
  EXPECT_EQ(over.ErrorCode(), "too_large");
  HttpResult at =
      Upload(kJiajiang.submitter, id, "fits.pdf", "document", PdfOfSize(kLimit), "application/pdf");
  EXPECT_EQ(at.status, 201) << at.body;
  HttpResult list = ListEvidence(kJiajiang.submitter, id);
  ASSERT_EQ(list.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.json.at("items").at(0).at("filename").as_string(), "fits.pdf");
}

using EvidenceLimits = ReportApiTest;

TEST_F(EvidenceLimits, FileLargerThanTheJsonLimitIsAccepted) {
  int64_t id = NewReport(kJiajiang);
  const std::string bytes = PdfOfSize(3 * kMiB);
  HttpResult uploaded =
      Upload(kJiajiang.submitter, id, "scan.pdf", "document", bytes, "application/pdf");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body.substr(0, 200);
  EXPECT_EQ(uploaded.json.at("size").as_int64(), static_cast<int64_t>(bytes.size()));
  HttpResult download =
      Get(kJiajiang.submitter,
          "/api/v1/evidence/" + std::string(uploaded.json.at("sha256").as_string()));
  ASSERT_EQ(download.status, 200);
  EXPECT_TRUE(download.body == bytes);
}

TEST_F(EvidenceLimits, FileOverTwentyMebibytesIsTooLarge) {
  int64_t id = NewReport(kJiajiang);
  HttpResult over = Upload(kJiajiang.submitter, id, "huge.pdf", "document",
                           PdfOfSize(20 * kMiB + 1), "application/pdf");
  EXPECT_EQ(over.status, 413) << over.body.substr(0, 200);
  EXPECT_EQ(over.ErrorCode(), "too_large");
  EXPECT_TRUE(ListEvidence(kJiajiang.submitter, id).json.at("items").as_array().empty());
}

TEST_F(EvidenceLimits, JsonBodyOverOneMebibyteIsTooLarge) {
  boost::json::object data = ValidData();
  data["narrative"] = std::string(kMiB, 'a');
  HttpResult over = CreateReport(kJiajiang, data);
  EXPECT_EQ(over.status, 413) << over.body.substr(0, 200);
  EXPECT_EQ(over.ErrorCode(), "too_large");

  // Just under the limit is fine, for a new report and for an edit.
  data["narrative"] = std::string(kMiB - 4096, 'a');
  HttpResult under = CreateReport(kJiajiang, data);
  ASSERT_EQ(under.status, 201) << under.body.substr(0, 200);
  const int64_t id = under.json.at("id").as_int64();

  data["narrative"] = std::string(kMiB + 1, 'b');
  HttpResult patch = server_.Patch(ReportPath(id), {{"data", data}}, Token(kJiajiang.submitter));
  EXPECT_EQ(patch.status, 413) << patch.body.substr(0, 200);
  EXPECT_EQ(patch.ErrorCode(), "too_large");
  EXPECT_EQ(Get(kJiajiang.submitter, ReportPath(id)).json.at("version").as_int64(), 1);
}

}  // namespace
}  // namespace jingsai::testing::evidence
