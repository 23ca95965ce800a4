#include "storage/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/sqlite.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

using ::testing::IsSupersetOf;

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = test_support::TemporaryDatabasePath("jingsai-migrations-"); }
  void TearDown() override { test_support::RemoveDatabaseFiles(path_); }

  std::unique_ptr<Database> Open(Database::Options options = {}) {
    engine::Result<std::unique_ptr<Database>> opened = Database::Open(path_, options);
    EXPECT_TRUE(opened.ok());
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  static std::vector<std::string> Names(Database& db, const std::string& type) {
    Query query = db.Prepare("SELECT name FROM sqlite_master WHERE type = ? ORDER BY name");
    query->Bind(1, type);
    std::vector<std::string> names;
    while (query->Step().value()) names.push_back(query->Text(0));
    return names;
  }

  // Every schema object with its SQL text, to compare schemas whole.
  static std::vector<std::string> Schema(Database& db) {
    Query query = db.Prepare(
        "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master ORDER BY "
        "type, name");
    std::vector<std::string> objects;
    while (query->Step().value()) objects.push_back(query->Text(0));
    return objects;
  }

  static int64_t IntPragma(Database& db, const std::string& pragma) {
    Query query = db.Prepare("PRAGMA " + pragma);
    EXPECT_TRUE(query->Step().value());
    return query->Int(0);
  }

  static std::string TextPragma(Database& db, const std::string& pragma) {
    Query query = db.Prepare("PRAGMA " + pragma);
    EXPECT_TRUE(query->Step().value());
    return query->Text(0);
  }

  std::string path_;
};

TEST_F(MigrationsTest, EmptyFileGetsEveryTableAndTheSchemaVersion) {
  std::unique_ptr<Database> db = Open();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(IntPragma(*db, "user_version"), 0);
  EXPECT_TRUE(Names(*db, "table").empty());

  ASSERT_TRUE(Migrate(*db).ok());

  EXPECT_THAT(Names(*db, "table"),
              IsSupersetOf({"orgs", "users", "user_roles", "tokens", "flows", "campaigns", "items",
                            "history", "idempotency_keys", "blobs", "evidence", "snapshots",
                            "progress_totals", "vote_sessions", "vote_members", "vote_nominations",
                            "ballots"}));
  EXPECT_THAT(Names(*db, "trigger"),
              IsSupersetOf({"history_is_append_only_update", "history_is_append_only_delete"}));
  // The four numbered files in storage/migrations/ at the time of writing.
  EXPECT_GE(LatestSchemaVersion(), 4);
  EXPECT_EQ(IntPragma(*db, "user_version"), LatestSchemaVersion());
}

TEST_F(MigrationsTest, LaterMigrationsAddColumnsToEarlierTables) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(Migrate(*db).ok());
  // Columns added by a later migration are on the table an earlier one made.
  std::vector<std::string> columns;
  {
    Query query = db->Prepare("SELECT name FROM pragma_table_info('items')");
    while (query->Step().value()) columns.push_back(query->Text(0));
  }
  EXPECT_THAT(columns, IsSupersetOf({"history_head", "decisions", "assignee_id", "due_at"}));
}

TEST_F(MigrationsTest, MigratingAgainChangesNothing) {
  {
    std::unique_ptr<Database> db = Open();
    ASSERT_TRUE(Migrate(*db).ok());
    ASSERT_TRUE(db->Exec("INSERT INTO campaigns (key, definition, created_at) "
                         "VALUES ('c', '{}', '2014-01-01T00:00:00Z')")
                    .ok());
  }
  std::unique_ptr<Database> db = Open();
  std::vector<std::string> before = Schema(*db);

  ASSERT_TRUE(Migrate(*db).ok());
  ASSERT_TRUE(Migrate(*db).ok());

  EXPECT_EQ(Schema(*db), before);
  EXPECT_EQ(IntPragma(*db, "user_version"), LatestSchemaVersion());
  Query query = db->Prepare("SELECT COUNT(*) FROM campaigns");
  ASSERT_TRUE(query->Step().value());
  EXPECT_EQ(query->Int(0), 1);
}

TEST_F(MigrationsTest, FailedMigrationKeepsTheVersionItReached) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(Migrate(*db).ok());
  std::vector<std::string> before = Schema(*db);
  // Pretend the newest migration never ran, and make its writes fail (a
  // migration need not fail when run twice): it must roll back as a whole.
  const int previous = LatestSchemaVersion() - 1;
  ASSERT_TRUE(db->Exec("PRAGMA user_version = " + std::to_string(previous)).ok());
  ASSERT_TRUE(db->Exec("PRAGMA query_only = ON").ok());

  engine::Status again = Migrate(*db);
  ASSERT_TRUE(db->Exec("PRAGMA query_only = OFF").ok());

  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, engine::ErrorCode::kInternal);
  EXPECT_NE(again.error().message.find("migration " + std::to_string(LatestSchemaVersion())),
            std::string::npos)
      << again.error().message;
  EXPECT_EQ(IntPragma(*db, "user_version"), previous);
  EXPECT_EQ(Schema(*db), before);
  // The connection is usable afterwards: no transaction was left open.
  EXPECT_TRUE(db->Exec("BEGIN IMMEDIATE; COMMIT;").ok());
}

TEST_F(MigrationsTest, WriteConnectionsUseWalAndFullSync) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(Migrate(*db).ok());
  EXPECT_EQ(TextPragma(*db, "journal_mode"), "wal");
  EXPECT_EQ(IntPragma(*db, "synchronous"), 2);  // FULL
  EXPECT_EQ(IntPragma(*db, "foreign_keys"), 1);
}

TEST_F(MigrationsTest, ReadConnectionsSeeWalAndKeepTheirOptions) {
  {
    std::unique_ptr<Database> db = Open();
    ASSERT_TRUE(Migrate(*db).ok());
  }
  std::unique_ptr<Database> reader = Open({.read_only = true});
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(TextPragma(*reader, "journal_mode"), "wal");  // a property of the file
  EXPECT_EQ(IntPragma(*reader, "synchronous"), 2);
  EXPECT_EQ(IntPragma(*reader, "foreign_keys"), 1);
  EXPECT_FALSE(reader->Exec("DELETE FROM campaigns").ok());

  std::unique_ptr<Database> relaxed = Open({.synchronous = "NORMAL"});
  EXPECT_EQ(IntPragma(*relaxed, "synchronous"), 1);
}

TEST_F(MigrationsTest, ForeignKeysAreEnforced) {
  std::unique_ptr<Database> db = Open();
  ASSERT_TRUE(Migrate(*db).ok());
  Query query = db->Prepare(
      "INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES ('h', 42, 'a', "
      "'b')");
  engine::Status inserted = query->Run();
  ASSERT_FALSE(inserted.ok());
  EXPECT_EQ(inserted.error().code, engine::ErrorCode::kConflict);
}

}  // namespace
}  // namespace jingsai::storage
