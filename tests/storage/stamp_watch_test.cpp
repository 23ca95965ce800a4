// StampWatch reads an item's stamp through SQLite only when someone
// committed since it last did, and never answers with a stamp older than
// the item's row.
#include "storage/stamp_watch.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

class StampWatchTest : public test_support::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    generations_ = std::make_unique<GenerationWatch>(path_);
    watch_ = std::make_unique<StampWatch>(generations_->header(), 4);
  }

  int64_t StoredReport() {
    engine::Result<int64_t> id = InsertItem(db(), NewReport());
    EXPECT_TRUE(id.ok());
    return id.ok() ? id.value() : 0;
  }

  // The item's version as the watch gives it (-1: no such item), counting
  // the statements it ran.
  int64_t VersionOf(int64_t id) {
    engine::Result<std::optional<ItemStamp>> stamp = watch_->Load(id, [this, id] {
      ++statements_;
      return LoadStamp(db(), id);
    });
    EXPECT_TRUE(stamp.ok());
    return stamp.ok() && stamp.value() ? stamp.value()->version : -1;
  }

  void RaiseVersionFrom(Database& connection, int64_t id) {
    Query query = connection.Prepare("UPDATE items SET version = version + 1 WHERE id = ?");
    query->Bind(1, id);
    ASSERT_TRUE(query->Run().ok());
  }

  std::unique_ptr<GenerationWatch> generations_;
  std::unique_ptr<StampWatch> watch_;
  int statements_ = 0;
};

TEST_F(StampWatchTest, AStampReadSinceTheLastCommitIsNotReadAgain) {
  const int64_t first = StoredReport();
  const int64_t second = StoredReport();
  EXPECT_EQ(VersionOf(first), 1);
  EXPECT_EQ(VersionOf(second), 1);
  EXPECT_EQ(VersionOf(first), 1);
  EXPECT_EQ(VersionOf(second), 1);
  EXPECT_EQ(statements_, 2);
  EXPECT_EQ(watch_->counts().known, 2u);
}

TEST_F(StampWatchTest, ACommitOfAnotherConnectionIsSeen) {
  const int64_t id = StoredReport();
  EXPECT_EQ(VersionOf(id), 1);
  std::unique_ptr<Database> other = OpenConnection();
  RaiseVersionFrom(*other, id);
  EXPECT_EQ(VersionOf(id), 2);
  EXPECT_EQ(statements_, 2);
  EXPECT_EQ(VersionOf(id), 2);
  EXPECT_EQ(statements_, 2);
}

TEST_F(StampWatchTest, ACommitDropsEveryStampKeptBeforeIt) {
  const int64_t changed = StoredReport();
  const int64_t other_report = StoredReport();
  EXPECT_EQ(VersionOf(changed), 1);
  EXPECT_EQ(VersionOf(other_report), 1);
  std::unique_ptr<Database> other = OpenConnection();
  RaiseVersionFrom(*other, changed);
  EXPECT_EQ(VersionOf(other_report), 1);  // the first read after the commit is another item's
  EXPECT_EQ(VersionOf(changed), 2);
}

TEST_F(StampWatchTest, AMissingItemIsAskedForEveryTime) {
  EXPECT_EQ(VersionOf(999), -1);
  EXPECT_EQ(VersionOf(999), -1);
  EXPECT_EQ(statements_, 2);
  const int64_t id = StoredReport();
  EXPECT_EQ(VersionOf(id), 1) << "an item stored after a miss is found";
}

TEST_F(StampWatchTest, AFullWatchStartsOver) {
  int64_t ids[5];
  for (int64_t& id : ids) id = StoredReport();
  for (int64_t id : ids) EXPECT_EQ(VersionOf(id), 1);
  EXPECT_EQ(statements_, 5);
  EXPECT_EQ(VersionOf(ids[4]), 1) << "kept after the watch started over";
  EXPECT_EQ(statements_, 5);
  EXPECT_EQ(VersionOf(ids[0]), 1) << "dropped when the watch started over";
  EXPECT_EQ(statements_, 6);
}

}  // namespace
}  // namespace jingsai::storage
