// GenerationWatch reads the items generation through SQLite only when
// someone committed since it last did: any connection's commit, in this
// process or another, changes the WAL index header it compares.
#include "storage/generation_watch.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "storage/stage_index.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

class GenerationWatchTest : public test_support::StorageTest {
 protected:
  // The generation as the watch gives it, counting the statements it ran.
  int64_t Current(GenerationWatch& watch) {
    engine::Result<int64_t> generation = watch.Current([this] {
      ++statements_;
      return ItemsGeneration(db());
    });
    EXPECT_TRUE(generation.ok());
    return generation.ok() ? generation.value() : -1;
  }

  void RaiseFrom(Database& connection) {
    ASSERT_TRUE(
        connection.Exec("UPDATE items_generation SET generation = generation + 1 WHERE id = 1")
            .ok());
  }

  int statements_ = 0;
};

TEST_F(GenerationWatchTest, NothingCommittedNothingRead) {
  GenerationWatch watch(path_);
  const int64_t first = Current(watch);
  EXPECT_EQ(Current(watch), first);
  EXPECT_EQ(Current(watch), first);
  EXPECT_EQ(statements_, 1);
  EXPECT_EQ(watch.counts().known, 2u);
}

TEST_F(GenerationWatchTest, ACommitOfAnotherConnectionIsSeen) {
  GenerationWatch watch(path_);
  const int64_t first = Current(watch);
  std::unique_ptr<Database> other = OpenConnection();
  RaiseFrom(*other);
  EXPECT_EQ(Current(watch), first + 1);
  EXPECT_EQ(statements_, 2);
  EXPECT_EQ(Current(watch), first + 1);
  EXPECT_EQ(statements_, 2);
}

TEST_F(GenerationWatchTest, ACommitOfAnotherProcessIsSeen) {
  GenerationWatch watch(path_);
  const int64_t first = Current(watch);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    engine::Result<std::unique_ptr<Database>> other = Database::Open(path_, {});
    bool raised = other.ok() &&
                  other.value()
                      ->Exec("UPDATE items_generation SET generation = generation + 1 WHERE id = 1")
                      .ok();
    ::_exit(raised ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(Current(watch), first + 1);
  EXPECT_EQ(statements_, 2);
}

TEST_F(GenerationWatchTest, ACommitThatLeavesTheGenerationIsReadAgainToo) {
  GenerationWatch watch(path_);
  const int64_t first = Current(watch);
  ASSERT_TRUE(db().Exec("CREATE TABLE unrelated (x INTEGER)").ok());
  EXPECT_EQ(Current(watch), first);
  EXPECT_EQ(statements_, 2);
}

TEST_F(GenerationWatchTest, TheHeaderChangesWithEveryCommitAndOnlyThen) {
  WalIndexHeader header(path_);
  std::optional<WalIndexHeader::Words> before = header.Read();
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(header.Read(), before);
  Query read = db().Prepare("SELECT generation FROM items_generation");
  ASSERT_TRUE(read->Step().ok());
  read->Reset();
  EXPECT_EQ(header.Read(), before);  // a read commits nothing
  RaiseFrom(db());
  std::optional<WalIndexHeader::Words> after = header.Read();
  ASSERT_TRUE(after.has_value());
  EXPECT_NE(after, before);
}

TEST_F(GenerationWatchTest, WithoutAWalIndexEveryCallReads) {
  GenerationWatch watch(path_ + "-nowhere");
  Current(watch);
  Current(watch);
  EXPECT_EQ(statements_, 2);
  EXPECT_EQ(watch.counts().known, 0u);
}

}  // namespace
}  // namespace jingsai::storage
