// WalSyncer: makes committed batches durable off the writer's thread, and
// answers them only then.
//
// With synchronous=FULL, SQLite's COMMIT writes the batch into the WAL and
// then waits for the disk (fdatasync) before it returns; the single writer
// sits idle for that time and the next batch waits behind it. Instead the
// writer connection commits with synchronous=NORMAL (the WAL is written, not
// yet flushed) and hands the batch's answers here. This thread flushes the
// WAL once for every batch committed since its last flush, then runs their
// answers in commit order, while the writer already runs the next batch.
// An answered step is thus on disk exactly as with FULL: its WAL frames were
// flushed before anyone was told. (Readers may see a commit up to one flush
// before it is durable; nothing that depends on it is answered until then.)
// The thread asks to run ahead of ordinary threads when it wakes (see
// RunThisThreadFirst): it works briefly after each flush, and every answer
// waits for it.
//
// Thread-safety: Hand may be called from one thread (the writer's) at a
// time; the answers run on this class's thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jingsai::storage {

class WalSyncer {
 public:
  // A batch's answers: each runs once, with whether the flush succeeded.
  using Answers = std::function<void(bool durable)>;

  // `database_path`: the database file; its WAL is `database_path` + "-wal".
  explicit WalSyncer(std::string database_path);
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;
  // Flushes and answers everything handed over, then stops.
  ~WalSyncer();

  // Called after a batch's COMMIT returned: its WAL frames are written.
  void Hand(Answers answers);

  uint64_t flushes() const;

 private:
  void Loop();
  bool Flush();

  const std::string wal_path_;
  int wal_fd_ = -1;  // opened at the first flush (the WAL exists by then)
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Answers> pending_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;        // GUARDED_BY(mutex_)
  uint64_t flushes_ = 0;         // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace jingsai::storage
