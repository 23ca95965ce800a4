// A connection goes back to the reader pool without an open read: a reader
// left in its snapshot would answer every later request with old rows.
#include "storage/reader_pool.h"

#include <gtest/gtest.h>

#include <string>

#include "storage/items.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

class ReaderPoolTest : public test_support::StorageTest {
 protected:
  int64_t CountOrgs(Database& reader) {
    Query query = reader.Prepare("SELECT count(*) FROM orgs");
    EXPECT_TRUE(query->Step().value());
    return query->Int(0);
  }

  void AddOrg(const std::string& code) {
    Query insert = db().Prepare(
        "INSERT INTO orgs (code, name, parent_id, level, created_at) "
        "SELECT ?, ?, id, 'unit', '2014-09-01T02:00:00Z' FROM orgs WHERE parent_id IS NULL");
    insert->Bind(1, code).Bind(2, code);
    ASSERT_TRUE(insert->Run().ok());
  }
};

TEST_F(ReaderPoolTest, AStatementLeftSteppingIsEndedOnRelease) {
  ReaderPool pool(path_);
  Database* leaked = nullptr;
  sqlite3_stmt* raw = nullptr;
  const int64_t before = [&] {
    ReaderPool::Lease reader = pool.Acquire();
    leaked = &*reader;
    // Stepped once and never reset: it holds the snapshot it began.
    EXPECT_EQ(sqlite3_prepare_v2(reader->handle(), "SELECT id FROM orgs", -1, &raw, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_step(raw), SQLITE_ROW);
    return CountOrgs(*reader);
  }();
  AddOrg("added-after");
  ReaderPool::Lease again = pool.Acquire();
  ASSERT_EQ(&*again, leaked);  // the same connection, back from the pool
  EXPECT_EQ(CountOrgs(*again), before + 1);
  for (sqlite3_stmt* stmt = sqlite3_next_stmt(again->handle(), nullptr); stmt != nullptr;
       stmt = sqlite3_next_stmt(again->handle(), stmt)) {
    EXPECT_FALSE(sqlite3_stmt_busy(stmt)) << sqlite3_sql(stmt);
  }
  sqlite3_finalize(raw);
}

TEST_F(ReaderPoolTest, AnOpenTransactionIsEndedOnRelease) {
  ReaderPool pool(path_);
  int64_t before = 0;
  {
    ReaderPool::Lease reader = pool.Acquire();
    ASSERT_TRUE(reader->Exec("BEGIN").ok());
    before = CountOrgs(*reader);
  }
  AddOrg("added-after");
  ReaderPool::Lease again = pool.Acquire();
  EXPECT_FALSE(again->InTransaction());
  EXPECT_EQ(CountOrgs(*again), before + 1);
}

TEST_F(ReaderPoolTest, AFinishedReaderHasNothingToEnd) {
  ReaderPool pool(path_);
  ReaderPool::Lease reader = pool.Acquire();
  CountOrgs(*reader);
  EXPECT_EQ(reader->EndOpenReads(), "");
}

}  // namespace
}  // namespace jingsai::storage
