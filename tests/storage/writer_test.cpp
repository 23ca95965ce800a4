#include "storage/writer.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "storage/sqlite.h"
#include "storage/thread_name.h"

namespace jingsai::storage {
namespace {

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    path_ = (std::filesystem::temp_directory_path() /
             ("jingsai-writer-" + std::to_string(random()) + ".db"))
                .string();
    auto db = Database::Open(path_, {});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db.value()->Exec("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)").ok());
    writer_ = std::make_unique<Writer>(std::move(db).value());
  }
  void TearDown() override {
    writer_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  int64_t Count() {
    auto reader = Database::Open(path_, {.read_only = true});
    Query query = reader.value()->Prepare("SELECT COUNT(*) FROM t");
    EXPECT_TRUE(query->Step().ok());
    return query->Int(0);
  }
  // Records unit `i`'s answer in `ok` and counts it.
  static Writer::Done Answer(std::vector<bool>& ok, size_t i, std::atomic<int>& answered) {
    return [&ok, i, &answered](engine::Status s) {
      ok[i] = s.ok();
      answered++;
    };
  }
  // Writes its row, then fails: the row must vanish.
  Writer::Unit InsertThenRefuse(int value) {
    return [insert = Insert(value)](Database& db) -> engine::Status {
      if (engine::Status s = insert(db); !s.ok()) return s;
      return engine::Error::BadRequest("refused after writing");
    };
  }
  Writer::Unit Insert(int value) {
    return [value](Database& db) {
      Query query = db.Prepare("INSERT INTO t (v) VALUES (?)");
      query->Bind(1, value);
      return query->Run();
    };
  }

  std::string path_;
  std::unique_ptr<Writer> writer_;
};

TEST_F(WriterTest, CommitsUnitsAndAnswersAfterCommit) {
  EXPECT_TRUE(writer_->RunSync(Insert(1)).ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(WriterTest, RefusedUnitLeavesNoTraceAndOthersInBatchCommit) {
  std::atomic<int> answered{0};
  std::vector<bool> ok(3);
  // The second unit writes a row and then fails: its row must vanish.
  writer_->Submit(Insert(1), Answer(ok, 0, answered));
  writer_->Submit(InsertThenRefuse(2), Answer(ok, 1, answered));
  writer_->Submit(Insert(3), Answer(ok, 2, answered));
  EXPECT_TRUE(writer_->RunSync(Insert(4)).ok());
  EXPECT_EQ(answered.load(), 3);
  EXPECT_TRUE(ok[0]);
  EXPECT_FALSE(ok[1]);
  EXPECT_TRUE(ok[2]);
  EXPECT_EQ(Count(), 3);
}

// Holds the writer in its first unit until the test has queued the units
// that must share the next batch.
class BatchGate {
 public:
  Writer::Unit Hold() {
    return [this](Database&) -> engine::Status {
      released_.get_future().wait();
      return engine::Ok{};
    };
  }
  void Release() { released_.set_value(); }

 private:
  std::promise<void> released_;
};

TEST_F(WriterTest, UnitFailingAfterWritingMakesItsBatchRunAgainWithoutIt) {
  BatchGate gate;
  writer_->Submit(gate.Hold(), [](engine::Status) {});
  std::atomic<int> first_runs{0};
  std::atomic<int> answered{0};
  std::vector<bool> ok(3);
  writer_->Submit(
      [&, insert = Insert(1)](Database& db) {
        ++first_runs;
        return insert(db);
      },
      Answer(ok, 0, answered));
  writer_->Submit(InsertThenRefuse(2), Answer(ok, 1, answered));
  writer_->Submit(Insert(3), Answer(ok, 2, answered));
  gate.Release();
  EXPECT_TRUE(writer_->RunSync(Insert(4)).ok());
  EXPECT_EQ(answered.load(), 3);
  EXPECT_TRUE(ok[0]);
  EXPECT_FALSE(ok[1]);
  EXPECT_TRUE(ok[2]);
  EXPECT_EQ(Count(), 3);            // 1, 3 and 4, each once
  EXPECT_EQ(first_runs.load(), 2);  // the first run was rolled back with the batch
  EXPECT_EQ(writer_->stats().reruns, 1u);
}

TEST_F(WriterTest, UnitRefusedBeforeWritingCostsItsBatchNothing) {
  BatchGate gate;
  writer_->Submit(gate.Hold(), [](engine::Status) {});
  std::atomic<int> first_runs{0};
  engine::Status refused = engine::Ok{};
  writer_->Submit(
      [&, insert = Insert(1)](Database& db) {
        ++first_runs;
        return insert(db);
      },
      [](engine::Status s) { EXPECT_TRUE(s.ok()); });
  writer_->Submit([](Database&) -> engine::Status { return engine::Error::Conflict("refused"); },
                  [&](engine::Status s) { refused = s; });
  writer_->Submit(Insert(1), [](engine::Status s) {
    // A failed statement changes nothing either: the duplicate is refused.
    EXPECT_FALSE(s.ok());
  });
  writer_->Submit(Insert(2), [](engine::Status s) { EXPECT_TRUE(s.ok()); });
  gate.Release();
  EXPECT_TRUE(writer_->RunSync(Insert(3)).ok());
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(Count(), 3);
  EXPECT_EQ(first_runs.load(), 1);
  EXPECT_EQ(writer_->stats().reruns, 0u);
}

TEST_F(WriterTest, ConstraintViolationIsAConflict) {
  ASSERT_TRUE(writer_->RunSync(Insert(7)).ok());
  engine::Status again = writer_->RunSync(Insert(7));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, engine::ErrorCode::kConflict);
}

TEST_F(WriterTest, ManyConcurrentSubmittersAreBatched) {
  constexpr int kUnits = 2000;
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kUnits / 4; ++i) {
        writer_->Submit(Insert(t * kUnits + i), [&](engine::Status s) {
          EXPECT_TRUE(s.ok());
          done++;
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(writer_->RunSync([](Database&) { return engine::Status(engine::Ok{}); }).ok());
  EXPECT_EQ(done.load(), kUnits);
  EXPECT_EQ(Count(), kUnits);
  Writer::Stats stats = writer_->stats();
  EXPECT_EQ(stats.units, static_cast<uint64_t>(kUnits + 1));
  EXPECT_LT(stats.batches, stats.units);  // some units shared a commit
}

// With synchronous=FULL the answers wait for the syncer's flush of the WAL,
// and still come in the order of the commits.
TEST_F(WriterTest, AnswersFollowTheFlushInCommitOrder) {
  constexpr int kUnits = 500;
  std::mutex mutex;
  std::vector<int> order;
  for (int i = 0; i < kUnits; ++i) {
    writer_->Submit(Insert(i), [&, i](engine::Status s) {
      EXPECT_TRUE(s.ok());
      std::lock_guard lock(mutex);
      order.push_back(i);
    });
  }
  EXPECT_TRUE(writer_->RunSync(Insert(kUnits)).ok());
  std::vector<int> expected(kUnits);
  for (int i = 0; i < kUnits; ++i) expected[i] = i;
  EXPECT_EQ(order, expected);
  Writer::Stats stats = writer_->stats();
  EXPECT_GE(stats.flushes, 1u);
  EXPECT_LE(stats.flushes, stats.batches);
  EXPECT_EQ(Count(), kUnits + 1);
}

// The flushing thread runs ahead of ordinary threads where the process may
// ask for it: the answers after a flush start there.
TEST_F(WriterTest, AnswersAfterAFlushStartOnARealTimeThread) {
  bool permitted = false;
  std::thread probe([&permitted] { permitted = RunThisThreadFirst(); });
  probe.join();
  if (!permitted) GTEST_SKIP() << "no CAP_SYS_NICE here: the syncer runs as an ordinary thread";
  std::promise<int> policy;
  writer_->Submit(Insert(1), [&policy](engine::Status status) {
    EXPECT_TRUE(status.ok());
    policy.set_value(sched_getscheduler(0));
  });
  EXPECT_EQ(policy.get_future().get(), SCHED_FIFO);
  // The writer itself stays an ordinary thread.
  std::promise<int> writer_policy;
  EXPECT_TRUE(writer_
                  ->RunSync([&writer_policy](Database&) -> engine::Status {
                    writer_policy.set_value(sched_getscheduler(0));
                    return engine::Ok{};
                  })
                  .ok());
  EXPECT_EQ(writer_policy.get_future().get(), SCHED_OTHER);
}

// The server's answers go to its I/O threads as one task per batch; a
// RunSync caller is answered in place, even when the runner runs nothing.
TEST_F(WriterTest, ABatchsAnswersReachTheRunnerTogether) {
  std::mutex mutex;
  std::vector<std::function<void()>> tasks;
  writer_->RunAnswersOn([&](std::function<void()> task) {
    std::lock_guard lock(mutex);
    tasks.push_back(std::move(task));
  });
  BatchGate gate;
  std::promise<void> holding;
  std::atomic<int> answered{0};
  std::vector<bool> ok(4);
  writer_->Submit(
      [&holding, hold = gate.Hold()](Database& db) {
        holding.set_value();
        return hold(db);
      },
      Answer(ok, 0, answered));
  holding.get_future().wait();  // its batch is under way, alone
  writer_->Submit(Insert(1), Answer(ok, 1, answered));
  writer_->Submit(InsertThenRefuse(2), Answer(ok, 2, answered));
  writer_->Submit(Insert(3), Answer(ok, 3, answered));
  gate.Release();
  EXPECT_TRUE(writer_->RunSync(Insert(4)).ok());  // answered with nothing run
  EXPECT_EQ(answered.load(), 0);
  std::vector<std::function<void()>> taken;
  {
    std::lock_guard lock(mutex);
    taken.swap(tasks);
  }
  // The held unit's batch, then the batch of the three queued behind it.
  ASSERT_EQ(taken.size(), 2u);
  taken[0]();
  EXPECT_EQ(answered.load(), 1);
  taken[1]();
  EXPECT_EQ(answered.load(), 4);
  EXPECT_EQ(ok, (std::vector<bool>{true, true, false, true}));
  writer_->RunAnswersOn(nullptr);
  writer_->Submit(Insert(5), Answer(ok, 0, answered));
  EXPECT_TRUE(writer_->RunSync(Insert(6)).ok());
  EXPECT_EQ(answered.load(), 5);  // where the batch ended, without the runner
  EXPECT_EQ(Count(), 5);
}

// The WAL is copied back beside the writer and starts over, instead of
// growing with every step.
TEST_F(WriterTest, CheckpointsInTheBackgroundKeepTheWalBounded) {
  ASSERT_TRUE(writer_
                  ->RunSync([](Database& db) {
                    return db.Exec(
                        "CREATE TABLE pages (id INTEGER PRIMARY KEY, filler BLOB NOT NULL)");
                  })
                  .ok());
  // About 100 MB of page writes, a page a row, in batches of 64 rows.
  for (int batch = 0; batch < 400; ++batch) {
    ASSERT_TRUE(writer_
                    ->RunSync([batch](Database& db) -> engine::Status {
                      for (int row = 0; row < 64; ++row) {
                        Query query = db.Prepare(
                            "INSERT OR REPLACE INTO pages (id, filler) VALUES (?, zeroblob(3500))");
                        query->Bind(1, (batch * 64 + row) % 3000);
                        if (engine::Status status = query->Run(); !status.ok()) return status;
                      }
                      return engine::Ok{};
                    })
                    .ok());
  }
  EXPECT_GE(writer_->stats().checkpoints, 1u);
  // 25,600 pages went through the WAL; it started over after the first
  // 16,000 and the checkpointer's catching up, so it never held them all.
  EXPECT_LT(std::filesystem::file_size(path_ + "-wal"), 20000u * 4120u);
  auto reader = Database::Open(path_, {.read_only = true});
  Query count = reader.value()->Prepare("SELECT COUNT(*) FROM pages");
  ASSERT_TRUE(count->Step().ok());
  EXPECT_EQ(count->Int(0), 3000);
}

}  // namespace
}  // namespace jingsai::storage
