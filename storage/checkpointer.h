// Checkpointer: copies the WAL back into the database file on its own thread
// and connection, so that the single writer never stalls on it.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses the
// threshold: that commit (and every request of its batch) then waits for the
// WAL pages to be read back and written into the database file and for that
// file's fsync. Here the writer only reports the WAL's size after each commit
// (SQLite's WAL hook); the checkpointer runs PASSIVE checkpoints beside it,
// which never block the writer or the readers.
//
// Thread-safety: WalGrew is called on the writer thread; the rest is owned
// by the checkpointer thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "storage/sqlite.h"

namespace jingsai::storage {

class Checkpointer {
 public:
  // Takes over checkpointing for `writer` (a WAL connection): turns off its
  // automatic checkpoint and starts the thread, which opens its own
  // connection to the same file.
  Checkpointer(Database& writer, std::string synchronous);
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  // Stops the thread; the last connection to close checkpoints what is left.
  ~Checkpointer();

  // Pages in the WAL after a commit (from the WAL hook).
  void WalGrew(int pages);

  uint64_t checkpoints() const;

 private:
  void Loop();

  // A checkpoint starts once this many new pages are in the WAL (64 MB at
  // 4 KiB pages; SQLite's default is 1000). A page changed by many steps is
  // copied once per checkpoint, so a longer interval copies less, and each
  // pass's copy and fsync delay the WAL flushes queued behind them on the
  // disk: at 4,000 the review mix had p99 17-21 ms, at 16,000 8-9 ms.
  static constexpr int kThresholdPages = 16000;
  // A WAL that is always being appended to is never wholly copied back, and
  // only a wholly copied WAL starts over from its beginning (otherwise it
  // grows, and so do the lookups in it). So after a pass the checkpointer
  // runs again for what came meanwhile, and once no more than this many
  // pages are left the writer copies them itself after a commit: a short
  // step, where copying a whole threshold's worth stalled every request
  // waiting on that commit for tens of milliseconds.
  static constexpr int kWriterFinishesPages = 512;
  // Should the checkpointer fall behind the commits for good, past this size
  // the writer finishes whatever is left.
  static constexpr int kWriterMustFinishPages = 4 * kThresholdPages;

  // On the writer thread: copies what the checkpointer left, at most once
  // per kWriterFinishesPages new pages.
  void FinishOnWriter(int pages);

  Database& writer_;
  const std::string synchronous_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  // WAL frames already copied back by the last checkpoint: a pass starts only
  // when a threshold's worth of new frames has come since, so that a page
  // changed again and again is copied once per pass, not once per commit.
  std::atomic<int> backfilled_{0};
  int writer_finished_at_ = 0;  // the WAL's size at the writer's last finish; writer thread only
  // Set when this thread cannot open its connection: the writer then
  // checkpoints after each commit that crosses the threshold.
  std::atomic<bool> writer_checkpoints_{false};
  bool wanted_ = false;       // GUARDED_BY(mutex_)
  bool stopping_ = false;     // GUARDED_BY(mutex_)
  uint64_t checkpoints_ = 0;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace jingsai::storage
