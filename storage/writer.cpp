#include "storage/writer.h"

#include <future>
#include <string>
#include <vector>

namespace jingsai::storage {

Writer::Writer(std::unique_ptr<Database> db, size_t max_batch)
    : db_(std::move(db)), max_batch_(max_batch), thread_([this] { Loop(); }) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Writer::Submit(Unit unit, Done done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(unit), std::move(done)});
  }
  wake_.notify_one();
}

engine::Status Writer::RunSync(Unit unit) {
  std::promise<engine::Status> promise;
  std::future<engine::Status> future = promise.get_future();
  Submit(std::move(unit), [&promise](engine::Status status) { promise.set_value(status); });
  return future.get();
}

Writer::Stats Writer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Writer::Loop() {
  for (;;) {
    std::deque<Pending> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      stats_.units += batch.size();
      stats_.batches += 1;
    }
    RunBatch(batch);
  }
}

namespace {

engine::Status RunGuarded(const Writer::Unit& unit, Database& db) {
  try {
    return unit(db);
  } catch (const std::exception& e) {
    return engine::Error::Internal(std::string("unit of work failed: ") + e.what());
  }
}

}  // namespace

void Writer::RunBatch(std::deque<Pending>& batch) {
  std::vector<engine::Status> results;
  results.reserve(batch.size());
  engine::Status begun = db_->Exec("BEGIN IMMEDIATE");
  if (!begun.ok()) {
    for (Pending& pending : batch) pending.done(begun);
    return;
  }
  for (Pending& pending : batch) {
    db_->Exec("SAVEPOINT unit");
    engine::Status status = RunGuarded(pending.unit, *db_);
    if (!status.ok()) db_->Exec("ROLLBACK TO unit");
    db_->Exec("RELEASE unit");
    results.push_back(std::move(status));
  }
  engine::Status committed = db_->Exec("COMMIT");
  if (!committed.ok()) {
    db_->Exec("ROLLBACK");
    for (engine::Status& status : results) {
      if (status.ok()) status = committed;
    }
  }
  for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));
}

}  // namespace jingsai::storage
