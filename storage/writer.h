// Writer: the single writer of DESIGN.md. Every state change is a unit of
// work, run on the writer's own thread inside a transaction. Units that
// arrive together are committed together (group commit: one fsync for the
// batch), each inside its own savepoint so that a refused unit leaves no
// trace. Each caller is answered only after its batch's commit is durable
// (with synchronous=FULL, flushed by the WalSyncer while the next batch runs).
//
// Thread-safety: Submit may be called from any thread. Units run on the
// writer thread, one at a time; `done` callbacks run after the commit is
// durable, in commit order: on the writer thread or (with synchronous=FULL)
// the WalSyncer's, or, once RunAnswersOn named one, where its runner puts
// them (one call per batch). They must be quick (post the answer elsewhere).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "engine/result.h"
#include "storage/checkpointer.h"
#include "storage/kept_items.h"
#include "storage/sqlite.h"
#include "storage/stage_index.h"
#include "storage/wal_syncer.h"

namespace jingsai::storage {

class Writer {
 public:
  // Runs inside the batch transaction. A non-ok result rolls back this
  // unit's changes only. The unit must not BEGIN/COMMIT itself, and it may
  // run more than once (when a later unit of its batch fails after writing,
  // the batch runs again): only the last run's changes and result count, so
  // it keeps what it learns in its own captures, never elsewhere.
  using Unit = std::function<engine::Status(Database&)>;
  // Called once with the unit's result, after the commit (or its failure).
  using Done = std::function<void(engine::Status)>;
  // Runs a batch's answers somewhere (the server: on an I/O thread).
  using AnswerRunner = std::function<void(std::function<void()>)>;

  struct Stats {
    uint64_t units = 0;
    uint64_t batches = 0;
    uint64_t flushes = 0;      // WAL flushes by the syncer (each covers batches)
    uint64_t checkpoints = 0;  // background checkpoints
    uint64_t reruns = 0;       // batches run again because a unit failed after writing
    KeptItems::Counts kept;    // the items the writer kept, and how often a step found one
  };

  // Takes ownership of the write connection and starts the writer thread.
  // With a `stage_index` (which must outlive the writer), every batch that
  // changes items brings it up to date after its commit, before any of the
  // batch's callers is answered.
  explicit Writer(std::unique_ptr<Database> db, size_t max_batch = 512,
                  StageIndex* stage_index = nullptr);
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  // Finishes every queued unit, then stops the thread.
  ~Writer();

  void Submit(Unit unit, Done done);

  // Where the `done` callbacks of Submit run from now on: all of a batch's
  // in one call of `runner`, so that the server's answers reach its I/O
  // threads as one task instead of one wake-up each (with one I/O thread,
  // 6% less server CPU per step under the review mix). Null: where the
  // batch ends. RunSync's callers are always answered where the batch ends.
  void RunAnswersOn(AnswerRunner runner);

  // Runs `unit` and waits for its durable result. For start-up and tools,
  // never on an I/O thread.
  engine::Status RunSync(Unit unit);

  Stats stats() const;

 private:
  struct Pending {
    Unit unit;
    Done done;
    bool answer_in_place = false;  // RunSync: never through the runner
  };

  void Loop();
  void RunBatch(std::deque<Pending>& batch);
  void Enqueue(Pending pending);
  // Runs `answers` through the runner, or here when there is none.
  void Deliver(std::function<void()> answers);
  // Runs the batch's units in one transaction, each in a savepoint when
  // `guarded`. Unguarded, it gives up (nullopt, everything rolled back) as
  // soon as a unit fails after changing the database.
  std::optional<std::vector<engine::Status>> RunUnits(std::deque<Pending>& batch, bool guarded);

  std::unique_ptr<Database> db_;                // used only by the writer thread
  std::unique_ptr<Checkpointer> checkpointer_;  // null for a database without a file
  // With synchronous=FULL the batches are flushed here, off the writer's
  // thread; null otherwise (answers follow the commit directly).
  std::unique_ptr<WalSyncer> syncer_;
  std::mutex runner_mutex_;
  AnswerRunner runner_;  // GUARDED_BY(runner_mutex_)
  const size_t max_batch_;
  StageIndex* const stage_index_;
  // SQLite's update hook on the writer's connection.
  static void NoteChangedRow(void* writer, int operation, const char* database, const char* table,
                             sqlite3_int64 rowid);

  // The items the running batch changed (SQLite's update hook), writer thread only.
  std::vector<int64_t> changed_items_;
  // With a stage index (whose generation bookkeeping it shares): the items
  // as the writer last wrote them, which its connection's LoadItem uses.
  std::unique_ptr<KeptItems> kept_items_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;      // GUARDED_BY(mutex_)
  Stats stats_;                // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace jingsai::storage
