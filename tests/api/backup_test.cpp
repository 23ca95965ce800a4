// An online backup taken while the server runs is a consistent database
// whose every history chain verifies.
#include "storage/backup.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/history.h"
#include "storage/sqlite.h"
#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

class BackupTest : public ApiTest {};

std::vector<int64_t> ItemIds(storage::Database& db) {
  std::vector<int64_t> ids;
  storage::Query query = db.Prepare("SELECT id FROM items ORDER BY id");
  while (query->Step().value()) ids.push_back(query->Int(0));
  return ids;
}

TEST_F(BackupTest, CopyOfARunningServerVerifiesAndHoldsEveryAnsweredStep) {
  int64_t approved = ApprovedCountyReport();
  int64_t submitted = SubmittedReport("shizhong-submitter", "shizhong-power");
  const std::string copy = server().db_path() + ".backup";
  ASSERT_TRUE(storage::BackupDatabase(server().db_path(), copy).ok());
  // The server goes on writing after the copy was taken.
  ActOk(Token("shizhong-reviewer"), submitted, "approve");

  auto db = storage::Database::Open(copy, {});
  ASSERT_TRUE(db.ok()) << db.error().message;
  std::vector<int64_t> ids = ItemIds(*db.value());
  EXPECT_EQ(ids, (std::vector<int64_t>{approved, submitted}));
  for (int64_t id : ids) {
    EXPECT_TRUE(storage::VerifyItemHistory(*db.value(), id).ok()) << id;
  }
  storage::Query stage = db.value()->Prepare("SELECT stage FROM items WHERE id = ?");
  stage->Bind(1, submitted);
  ASSERT_TRUE(stage->Step().value());
  EXPECT_EQ(stage->Text(0), "county_review") << "the copy is the state when it was taken";
  std::filesystem::remove(copy);
}

TEST_F(BackupTest, TheDatabaseItselfIsNoBackupFile) {
  int64_t id = SubmittedReport("shizhong-submitter", "shizhong-power");
  const std::string& path = server().db_path();
  const std::string link = path + ".link";
  std::filesystem::create_symlink(path, link);
  for (const std::string& target : {path, link}) {
    engine::Status copied = storage::BackupDatabase(path, target);  // answers, never hangs
    ASSERT_FALSE(copied.ok()) << target;
    EXPECT_NE(copied.error().message.find("数据库本身"), std::string::npos)
        << copied.error().message;
  }
  std::filesystem::remove(link);
  EXPECT_EQ(Str(GetReport(Token("shizhong-reviewer"), id).json, "stage"), "county_review");
}

TEST(Backup, MissingSourceIsAnError) {
  EXPECT_FALSE(storage::BackupDatabase("/nonexistent/jingsai.db", "/tmp/never.db").ok());
}

}  // namespace
}  // namespace jingsai::testing
