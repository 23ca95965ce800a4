// The writer keeps each report's evidence list between steps. What a reviewer
// or a submitter meets is still judged on the files the report holds now:
// after a file is removed here or by another process on the same database,
// and after it is attached again.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "storage/sqlite.h"
#include "tests/api/evidence_fixture.h"

namespace jingsai::testing::evidence {
namespace {

class KeptEvidence : public ReportApiTest {
 protected:
  // Evidence read by the writer from its kept lists so far.
  uint64_t KeptHits() { return server_.app().writer().stats().kept.evidence_hits; }
  // Loads of an item by the writer that found no kept copy, so far.
  uint64_t ItemMisses() { return server_.app().writer().stats().kept.misses; }

  void ExpectRefusedForMissingDocument(const std::string& user, int64_t id,
                                       const std::string& action) {
    HttpResult refused = Act(user, id, action);
    ASSERT_EQ(refused.status, 422) << action << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "validation_failed");
    const boost::json::array& details = refused.json.at("error").at("details").as_array();
    ASSERT_EQ(details.size(), 1u) << refused.body;
    EXPECT_EQ(details[0].at("rule").as_string(), "evidence.backs_claims");
  }

  int64_t UploadDocument(int64_t id, const std::string& name) {
    HttpResult uploaded =
        Upload(kJiajiang.submitter, id, name, "document", PdfFile(name), "application/pdf");
    EXPECT_EQ(uploaded.status, 201) << uploaded.body;
    return uploaded.status == 201 ? uploaded.json.at("id").as_int64() : 0;
  }
};

TEST_F(KeptEvidence, AnApprovalJudgesTheFilesAnotherProcessRemoved) {
  int64_t id = NewReport(kJiajiang);
  UploadDocument(id, "经验材料.pdf");
  Expect200(kJiajiang.submitter, id, "submit");
  // Another process on the same file (another server, a repair by hand)
  // removes the report's only document; this server's writer has its list.
  {
    engine::Result<std::unique_ptr<storage::Database>> other =
        storage::Database::Open(server_.db_path(), {});
    ASSERT_TRUE(other.ok());
    storage::Query remove = other.value()->Prepare(
        "UPDATE evidence SET removed_at = '2014-06-01T00:00:00.000Z' WHERE item_id = ?");
    remove->Bind(1, id);
    ASSERT_TRUE(remove->Run().ok());
  }
  ExpectRefusedForMissingDocument(kJiajiang.county_reviewer, id, "approve");
  EXPECT_EQ(Get(kJiajiang.county_reviewer, ReportPath(id)).json.at("stage").as_string(),
            "county_review");
}

TEST_F(KeptEvidence, AFileDetachedAfterAReturnIsMissedAtResubmissionAndAnotherServes) {
  int64_t id = NewReport(kJiajiang);
  int64_t document = UploadDocument(id, "经验材料.pdf");
  Expect200(kJiajiang.submitter, id, "submit");
  HttpResult returned = Act(kJiajiang.county_reviewer, id, "return", "请补充材料");
  ASSERT_EQ(returned.status, 200) << returned.body;
  const uint64_t hits_before = KeptHits();

  const std::string remove = ReportPath(id) + "/evidence/" + std::to_string(document);
  ASSERT_EQ(server_.Request("DELETE", remove, "", Token(kJiajiang.submitter)).status, 204);
  ExpectRefusedForMissingDocument(kJiajiang.submitter, id, "submit");

  UploadDocument(id, "补充材料.pdf");
  Expect200(kJiajiang.submitter, id, "submit");
  Expect200(kJiajiang.county_reviewer, id, "approve");
  Expect200("city-reviewer", id, "approve");
  EXPECT_EQ(Get("city-reviewer", ReportPath(id)).json.at("stage").as_string(), "approved");
  // The later steps read the list the writer kept (the test server also
  // compares each one with the rows, and fails on a difference).
  EXPECT_GT(KeptHits(), hits_before);
}

// A new report is kept from its creation: its upload and its submit read the
// writer's copy, not the row (which the test server still compares).
TEST_F(KeptEvidence, ANewReportsFirstStepsReadTheWritersCopy) {
  const uint64_t misses_before = ItemMisses();
  int64_t id = NewReport(kJiajiang);
  EXPECT_EQ(ItemMisses(), misses_before) << "create";
  UploadDocument(id, "经验材料.pdf");
  EXPECT_EQ(ItemMisses(), misses_before) << "upload";
  Expect200(kJiajiang.submitter, id, "submit");
  EXPECT_EQ(ItemMisses(), misses_before);
  EXPECT_EQ(Get(kJiajiang.county_reviewer, ReportPath(id)).json.at("stage").as_string(),
            "county_review");
}

}  // namespace
}  // namespace jingsai::testing::evidence
