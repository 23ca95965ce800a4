// WAL files behind the buffer that sends a commit's frames in one write: a
// commit is whole in the file when it returns (a copy of the files taken then
// recovers it, through spills, rewritten frames and rollbacks), and another
// connection reads every commit as it lands.
#include "storage/wal_write_buffer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "storage/sqlite.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

using test_support::StorageTest;

class WalWriteBufferTest : public StorageTest {
 protected:
  void TearDown() override {
    if (!copy_.empty()) test_support::RemoveDatabaseFiles(copy_);
    StorageTest::TearDown();
  }

  static void Exec(Database& db, const std::string& sql) { ASSERT_TRUE(db.Exec(sql).ok()) << sql; }
  static int64_t Scalar(Database& db, const std::string& sql) {
    Query query = db.Prepare(sql);
    engine::Result<bool> row = query->Step();
    EXPECT_TRUE(row.ok() && row.value()) << sql;
    int64_t value = row.ok() && row.value() ? query->Int(0) : -1;
    query->Reset();
    return value;
  }
  static std::string IntegrityOf(Database& db) {
    Query query = db.Prepare("PRAGMA integrity_check");
    engine::Result<bool> row = query->Step();
    std::string answer = row.ok() && row.value() ? query->Text(0) : "no answer";
    query->Reset();
    return answer;
  }

  // A connection that never checkpoints, so that every commit stays in the
  // WAL, with a cache of a few pages, so that a big transaction spills; and
  // that commits as the server's writer does, without a flush of its own
  // (WalSyncer flushes the WAL), so that nothing else sends what it gathered.
  std::unique_ptr<Database> SmallCacheWriter() { return WriterConnection(64); }

  std::unique_ptr<Database> WriterConnection(int cache_kib) {
    Database::Options options;
    options.cache_kib = cache_kib;
    options.synchronous = "NORMAL";
    std::unique_ptr<Database> db = OpenConnection(options);
    if (db != nullptr) sqlite3_wal_autocheckpoint(db->handle(), 0);
    return db;
  }

  // The database and its WAL as they are on disk now, as a power cut would
  // leave them (without the shared memory index, which SQLite rebuilds from
  // the WAL's checksummed frames), opened on a fresh connection.
  std::unique_ptr<Database> OpenCopyOfFiles() {
    copy_ = test_support::TemporaryDatabasePath("jingsai-wal-copy-");
    std::filesystem::copy_file(path_, copy_);
    std::filesystem::copy_file(path_ + "-wal", copy_ + "-wal");
    engine::Result<std::unique_ptr<Database>> opened = Database::Open(copy_, {});
    EXPECT_TRUE(opened.ok());
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  std::string copy_;
};

constexpr const char* kTable =
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, body TEXT NOT NULL);"
    "CREATE INDEX notes_by_n ON notes(n)";

std::string InsertRows(int first, int count, int body_bytes) {
  return "WITH RECURSIVE k(i) AS (SELECT " + std::to_string(first) + " UNION ALL SELECT i + 1 " +
         "FROM k WHERE i < " + std::to_string(first + count - 1) +
         ") INSERT INTO notes (id, n, body) SELECT i, i * 7 % 1000, printf('%.*c', " +
         std::to_string(body_bytes) + ", 'x') FROM k";
}

TEST_F(WalWriteBufferTest, AnotherConnectionReadsEveryCommitAsItLands) {
  std::unique_ptr<Database> writer = WriterConnection(16 * 1024);
  std::unique_ptr<Database> reader = OpenConnection();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  Exec(*writer, kTable);
  const WalWriteCounts before = WalWriteCountsSoFar();
  for (int commit = 0; commit < 40; ++commit) {
    Exec(*writer, "BEGIN IMMEDIATE");
    Exec(*writer, InsertRows(commit * 25 + 1, 25, 300));
    Exec(*writer, "UPDATE notes SET n = n + 1 WHERE id % 10 = " + std::to_string(commit % 10));
    Exec(*writer, "COMMIT");
    EXPECT_EQ(Scalar(*reader, "SELECT count(*) FROM notes"), (commit + 1) * 25);
    EXPECT_EQ(Scalar(*reader, "SELECT count(*) FROM notes WHERE length(body) = 300"),
              (commit + 1) * 25);
  }
  EXPECT_EQ(IntegrityOf(*reader), "ok");
  std::unique_ptr<Database> copy = OpenCopyOfFiles();
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(Scalar(*copy, "SELECT count(*) FROM notes"), 40 * 25);
  EXPECT_EQ(IntegrityOf(*copy), "ok");
  const WalWriteCounts after = WalWriteCountsSoFar();
  const uint64_t asked = after.asked - before.asked;
  const uint64_t issued = after.issued - before.issued;
  // Each commit writes several frames of two writes each and sends them once.
  EXPECT_GE(asked, 40u * 6);
  EXPECT_LE(issued, asked / 3) << asked << " writes asked";
}

TEST_F(WalWriteBufferTest, ACommitThatSpilledAndRewroteFramesIsWholeInTheFileWhenItReturns) {
  std::unique_ptr<Database> writer = SmallCacheWriter();
  ASSERT_NE(writer, nullptr);
  Exec(*writer, kTable);
  Exec(*writer, "BEGIN IMMEDIATE");
  // About 600 pages through a cache of 16: SQLite writes pages into the WAL
  // before the commit, then changes some of them again, which rewrites those
  // frames and the checksums of every frame after them at the commit.
  Exec(*writer, InsertRows(1, 2000, 1000));
  Exec(*writer, "UPDATE notes SET body = printf('%.*c', 1000, 'y') WHERE id <= 40");
  Exec(*writer, "UPDATE notes SET n = -n WHERE id % 97 = 0");
  const WalWriteCounts before = WalWriteCountsSoFar();
  Exec(*writer, "COMMIT");
  EXPECT_GT(WalWriteCountsSoFar().rewrites, before.rewrites) << "the commit rewrote no frame";
  std::unique_ptr<Database> copy = OpenCopyOfFiles();
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(Scalar(*copy, "SELECT count(*) FROM notes"), 2000);
  EXPECT_EQ(Scalar(*copy, "SELECT count(*) FROM notes WHERE body LIKE 'y%'"), 40);
  EXPECT_EQ(Scalar(*copy, "SELECT count(*) FROM notes WHERE n < 0"), 2000 / 97);
  EXPECT_EQ(IntegrityOf(*copy), "ok");
}

TEST_F(WalWriteBufferTest, ARolledBackSpillLeavesTheCommitsAroundItWhole) {
  std::unique_ptr<Database> writer = SmallCacheWriter();
  ASSERT_NE(writer, nullptr);
  Exec(*writer, kTable);
  Exec(*writer, InsertRows(1, 100, 200));
  // Frames written past the last commit, then abandoned: the next commit
  // writes over them.
  Exec(*writer, "BEGIN IMMEDIATE");
  Exec(*writer, InsertRows(101, 1500, 1000));
  Exec(*writer, "ROLLBACK");
  Exec(*writer, "BEGIN IMMEDIATE");
  Exec(*writer, InsertRows(101, 30, 500));
  Exec(*writer, "UPDATE notes SET n = 5000 WHERE id <= 10");
  Exec(*writer, "COMMIT");
  std::unique_ptr<Database> copy = OpenCopyOfFiles();
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(Scalar(*copy, "SELECT count(*) FROM notes"), 130);
  EXPECT_EQ(Scalar(*copy, "SELECT count(*) FROM notes WHERE length(body) = 1000"), 0);
  EXPECT_EQ(Scalar(*copy, "SELECT count(*) FROM notes WHERE n = 5000"), 10);
  EXPECT_EQ(IntegrityOf(*copy), "ok");
}

}  // namespace
}  // namespace jingsai::storage
