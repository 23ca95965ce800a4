// SQLite's page cache behind the wrapper that skips truncations with nothing
// to drop: the database reads back exactly what was committed, through
// rollbacks that shrink it again and splits that reorder pages.
#include "storage/page_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/sqlite.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

using test_support::StorageTest;

// With 4 KB pages SQLite renumbers pages through this one for a moment.
constexpr unsigned kPendingBytePage = 262145;

TEST(TruncationFilter, AKeyPassedThroughOnTheWayToAnotherLeavesNothingToDrop) {
  TruncationFilter filter;
  for (unsigned key = 1; key <= 100; ++key) filter.Fetched(key);
  EXPECT_FALSE(filter.MayHoldFrom(101));
  EXPECT_TRUE(filter.MayHoldFrom(100));
  // A split swaps pages 40 and 70 through the spare number.
  filter.Rekeyed(40, kPendingBytePage);
  EXPECT_TRUE(filter.MayHoldFrom(101)) << "page 40 is at the spare number now";
  filter.Rekeyed(70, 40);
  filter.Rekeyed(kPendingBytePage, 70);
  EXPECT_FALSE(filter.MayHoldFrom(101));
}

TEST(TruncationFilter, PagesPastTheLimitNeedTheTruncationUntilItRan) {
  TruncationFilter filter;
  for (unsigned key = 1; key <= 150; ++key) filter.Fetched(key);
  // A rolled-back growth: the database is 100 pages again.
  EXPECT_TRUE(filter.MayHoldFrom(101));
  filter.Truncated(101);
  EXPECT_FALSE(filter.MayHoldFrom(101));
  EXPECT_TRUE(filter.MayHoldFrom(100));
  // A page moved past the end and left there is dropped by the next one.
  filter.Rekeyed(10, 500);
  EXPECT_TRUE(filter.MayHoldFrom(101));
  EXPECT_TRUE(filter.MayHoldFrom(500));
  EXPECT_FALSE(filter.MayHoldFrom(501));
  filter.Truncated(101);
  EXPECT_FALSE(filter.MayHoldFrom(101));
  // Truncating everything.
  filter.Truncated(1);
  EXPECT_FALSE(filter.MayHoldFrom(1));
  filter.Fetched(1);
  EXPECT_TRUE(filter.MayHoldFrom(1));
}

class PageCacheTest : public StorageTest {
 protected:
  void Exec(Database& db, const std::string& sql) {
    ASSERT_TRUE(db.Prepare(sql)->Run().ok()) << sql;
  }
  int64_t Scalar(Database& db, const std::string& sql) {
    Query query = db.Prepare(sql);
    engine::Result<bool> row = query->Step();
    EXPECT_TRUE(row.ok() && row.value()) << sql;
    return row.ok() && row.value() ? query->Int(0) : -1;
  }
  std::string IntegrityOf(Database& db) {
    Query query = db.Prepare("PRAGMA integrity_check");
    engine::Result<bool> row = query->Step();
    return row.ok() && row.value() ? query->Text(0) : "no answer";
  }
};

TEST_F(PageCacheTest, ARolledBackGrowthLeavesNoStalePageBehind) {
  Exec(db(), "CREATE TABLE pad (id INTEGER PRIMARY KEY, body TEXT)");
  // Grow the file by hundreds of pages, then take it all back.
  Exec(db(), "BEGIN");
  Exec(db(),
       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
       "INSERT INTO pad SELECT i, printf('%.1000c', 'a') FROM n");
  Exec(db(), "ROLLBACK");
  // The same page numbers again, with other content.
  Exec(db(),
       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
       "INSERT INTO pad SELECT i, printf('%.1000c', 'b') FROM n");
  EXPECT_EQ(Scalar(db(), "SELECT count(*) FROM pad"), 1000);
  EXPECT_EQ(Scalar(db(), "SELECT count(*) FROM pad WHERE body LIKE '%a%'"), 0);
  EXPECT_EQ(IntegrityOf(db()), "ok");
  std::unique_ptr<Database> other = OpenConnection();
  EXPECT_EQ(Scalar(*other, "SELECT count(*) FROM pad WHERE substr(body, 1, 1) = 'b'"), 1000);
}

TEST_F(PageCacheTest, SplitsInTheMiddleOfAnIndexReadBackWhole) {
  const PageCacheCounts before = PageCacheCountsSoFar();
  Exec(db(), "CREATE TABLE keyed (k TEXT, v INTEGER)");
  Exec(db(), "CREATE INDEX keyed_by_k ON keyed (k)");
  // Keys arriving out of order split pages in the middle of the index,
  // which is where SQLite renumbers the new pages through a spare key.
  for (int round = 0; round < 20; ++round) {
    Exec(db(), "BEGIN");
    Exec(db(),
         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
         "INSERT INTO keyed SELECT printf('%08d-%.200c', (i * 7919 + " +
             std::to_string(round) + " * 104729) % 1000003, 'k'), i FROM n");
    Exec(db(), "COMMIT");
  }
  Exec(db(), "DELETE FROM keyed WHERE v % 3 = 0");
  EXPECT_EQ(IntegrityOf(db()), "ok");
  std::unique_ptr<Database> other = OpenConnection();
  EXPECT_EQ(Scalar(*other, "SELECT count(*) FROM keyed"),
            Scalar(db(), "SELECT count(*) FROM keyed"));
  EXPECT_EQ(Scalar(*other, "SELECT count(*) FROM keyed INDEXED BY keyed_by_k WHERE k > ''"),
            20 * 500 - 20 * 166);
  EXPECT_EQ(IntegrityOf(*other), "ok");
  // The wrapper is in place, and it found truncations with nothing to drop.
  const PageCacheCounts after = PageCacheCountsSoFar();
  EXPECT_GT(after.truncations, before.truncations);
  EXPECT_GT(after.skipped, before.skipped);
}

}  // namespace
}  // namespace jingsai::storage
