#include "storage/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/history.h"
#include "storage/items.h"
#include "storage/sha256.h"
#include "storage/snapshots.h"
#include "storage/sqlite.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsSupersetOf;
using ::testing::Not;

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

// Rows written as the schema was before the history links: the item and its
// rows as the server wrote them then, with real hashes, put in by hand.
class RowsBeforeTheLinks {
 public:
  explicit RowsBeforeTheLinks(Database& db) : db_(db) {}

  int64_t Item(int64_t id) {
    Query query = db_.Prepare(
        "INSERT INTO items (id, kind, campaign, org_id, org_path, county_scope_id, flow_key, "
        "flow_version, stage, status, last_action, version, title, data, created_by, created_at, "
        "updated_at, stage_entered_at, history_seq, history_head) VALUES (?, 'submission', "
        "'leshan-2014', 3, '/1/2/3/', 2, 'report-county', 1, 'draft', 'draft', 'create', 1, "
        "'报告', ?, 5, ?, ?, ?, 0, '')");
    query->Bind(1, id).Bind(2, kData).Bind(3, kAt).Bind(4, kAt).Bind(5, kAt);
    EXPECT_TRUE(query->Run().ok());
    ItemRecord& item = items_[id];
    item.instance.id = id;
    item.instance.stage = "draft";
    return id;
  }

  // The item's next history row, and the item's head moved onto it.
  HistoryRecord Step(int64_t id, const std::string& action, const std::string& to) {
    ItemRecord& item = items_[id];
    engine::Fact fact{action, item.instance.stage, to, action == "return" ? "请补充" : ""};
    HistoryRecord row = ChainNextRow(item, kData, fact, 5, "reviewer", std::string(kAt));
    Query insert = db_.Prepare(
        "INSERT INTO history (item_id, seq, at, actor_id, actor, action, from_stage, to_stage, "
        "comment, data_hash, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert->Bind(1, row.item_id).Bind(2, row.seq).Bind(3, row.at).Bind(4, *row.actor_id);
    insert->Bind(5, row.actor).Bind(6, row.action).Bind(7, row.from).Bind(8, row.to);
    insert->Bind(9, row.comment).Bind(10, row.data_hash).Bind(11, row.prev_hash);
    insert->Bind(12, row.hash);
    EXPECT_TRUE(insert->Run().ok());
    item.instance.stage = to;
    item.history_seq = row.seq;
    item.history_head = row.hash;
    Query update =
        db_.Prepare("UPDATE items SET stage = ?, history_seq = ?, history_head = ? WHERE id = ?");
    update->Bind(1, to).Bind(2, row.seq).Bind(3, row.hash).Bind(4, id);
    EXPECT_TRUE(update->Run().ok());
    return row;
  }

  void Snapshot(int64_t id, int64_t seq) {
    Query query =
        db_.Prepare("INSERT INTO snapshots (item_id, seq, data, evidence) VALUES (?, ?, ?, '[]')");
    query->Bind(1, id).Bind(2, seq).Bind(3, kData);
    EXPECT_TRUE(query->Run().ok());
  }

 private:
  static constexpr std::string_view kData = R"({"indicators":{"proposals_submitted":7}})";
  static constexpr std::string_view kAt = "2014-09-01T02:00:00Z";
  Database& db_;
  std::map<int64_t, ItemRecord> items_;
};

TEST_F(MigrationsTest, HistoryWrittenBeforeTheLinksIsReadThroughThem) {
  std::unique_ptr<Database> db = Open();
  constexpr int kLinks = 12;  // 012_history_chain_by_row.sql
  ASSERT_TRUE(Migrate(*db, kLinks - 1).ok());
  EXPECT_EQ(IntPragma(*db, "user_version"), kLinks - 1);
  // Only the rows that matter here: the orgs, users and flows they name are
  // left out.
  ASSERT_TRUE(db->Exec("PRAGMA foreign_keys = OFF").ok());
  RowsBeforeTheLinks old(*db);
  const int64_t first = old.Item(1);
  const int64_t second = old.Item(2);
  // The two items' rows interleave, as the steps of a campaign do.
  old.Step(first, "create", "draft");
  old.Step(second, "create", "draft");
  old.Step(first, "submit", "county_review");
  HistoryRecord returned = old.Step(first, "return", "draft");
  old.Snapshot(first, returned.seq);
  old.Step(second, "submit", "county_review");
  old.Step(first, "submit", "county_review");
  HistoryRecord returned_again = old.Step(first, "return", "draft");
  old.Snapshot(first, returned_again.seq);
  HistoryRecord newest = old.Step(first, "submit", "county_review");

  ASSERT_TRUE(Migrate(*db).ok());

  engine::Result<std::vector<HistoryRecord>> rows = LoadHistory(*db, first);
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> actions;
  for (const HistoryRecord& row : rows.value()) actions.push_back(row.action);
  EXPECT_THAT(actions, ElementsAre("create", "submit", "return", "submit", "return", "submit"));
  EXPECT_EQ(rows->back().hash, newest.hash);
  engine::Result<std::vector<HistoryRecord>> others = LoadHistory(*db, second);
  ASSERT_TRUE(others.ok());
  EXPECT_EQ(others->size(), 2u);
  EXPECT_TRUE(VerifyItemHistory(*db, first).ok());
  EXPECT_TRUE(VerifyItemHistory(*db, second).ok());

  engine::Result<std::optional<storage::Snapshot>> snapshot = LatestSnapshot(*db, first);
  ASSERT_TRUE(snapshot.ok());
  ASSERT_TRUE(snapshot.value().has_value());
  EXPECT_EQ(snapshot.value()->seq, returned_again.seq);
  engine::Result<std::optional<storage::Snapshot>> none = LatestSnapshot(*db, second);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value().has_value());
  EXPECT_THAT(Names(*db, "index"), Not(Contains("history_by_item_seq")));
  EXPECT_THAT(Names(*db, "index"), Not(Contains("snapshots_by_item_seq")));

  // A step after the migration goes on from the linked head.
  std::optional<ItemRecord> item = LoadItem(*db, first).value();
  ASSERT_TRUE(item.has_value());
  engine::Result<HistoryRecord> next = AppendHistory(
      *db, *item, {"approve", "county_review", "city_review", ""}, 5, "reviewer", "2014-09-02");
  ASSERT_TRUE(next.ok());
  item->instance.stage = "city_review";
  ASSERT_TRUE(UpdateItem(*db, *item, item->instance.version).ok());
  rows = LoadHistory(*db, first);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 7u);
  EXPECT_EQ(rows->back().prev_hash, newest.hash);
}

}  // namespace
}  // namespace jingsai::storage
