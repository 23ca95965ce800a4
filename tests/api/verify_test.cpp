// `jingsai verify` (storage::VerifyDatabase) on a database someone changed by
// hand, behind the server's back: each change the hash chains alone would
// not show is found, and an untouched database passes.
#include "storage/verify.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "storage/backup.h"
#include "storage/sqlite.h"
#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

class VerifyTest : public ApiTest {
 protected:
  // A copy of the server's database, as `jingsai backup` would make it.
  std::string Copy() {
    const std::string copy = server().db_path() + ".verify-" + std::to_string(++copies_);
    EXPECT_TRUE(storage::BackupDatabase(server().db_path(), copy).ok());
    return copy;
  }

  // Runs `sql` on `path` with a plain connection: no triggers off, no checks
  // of the server's, as a person with the sqlite3 shell would.
  static void Tamper(const std::string& path, const std::string& sql) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message ? message : "");
    EXPECT_EQ(sqlite3_changes(raw), 1) << sql;
    sqlite3_free(message);
    sqlite3_close(raw);
  }

  static engine::Result<int64_t> Verify(const std::string& path) {
    storage::Database::Options options;
    options.read_only = true;
    auto db = storage::Database::Open(path, options);
    if (!db.ok()) return std::move(db).error();
    return storage::VerifyDatabase(*db.value());
  }

 private:
  int copies_ = 0;
};

TEST_F(VerifyTest, EveryChangeBehindTheServersBackIsFound) {
  const int64_t approved = ApprovedCountyReport();
  const int64_t other = SubmittedReport("shizhong-submitter", "shizhong-power");
  const std::string id = std::to_string(approved);

  const std::string untouched = Copy();
  engine::Result<int64_t> clean = Verify(untouched);
  ASSERT_TRUE(clean.ok()) << clean.error().message;
  EXPECT_EQ(clean.value(), 2);

  struct Case {
    const char* what;
    std::string sql;
    const char* finds;  // a part of the message
  };
  const Case cases[] = {
      {"a report deleted", "DELETE FROM items WHERE id = " + std::to_string(other), "is gone"},
      {"a file removed without a detach step",
       "UPDATE evidence SET removed_at = '2014-10-01T00:00:00.000Z' WHERE item_id = " + id,
       "evidence"},
      {"a file's row deleted", "DELETE FROM evidence WHERE item_id = " + id, "evidence"},
      {"a stored file's bytes changed", "UPDATE blobs SET data = X'00' WHERE id = 1",
       "no longer has that hash"},
      {"the stage changed", "UPDATE items SET stage = 'draft' WHERE id = " + id, "stage"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string copy = Copy();
    Tamper(copy, c.sql);
    engine::Result<int64_t> found = Verify(copy);
    ASSERT_FALSE(found.ok());
    EXPECT_NE(found.error().message.find(c.finds), std::string::npos) << found.error().message;
    std::filesystem::remove(copy);
  }
  std::filesystem::remove(untouched);
}

}  // namespace
}  // namespace jingsai::testing
