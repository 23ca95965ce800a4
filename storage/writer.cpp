#include "storage/writer.h"

#include <future>
#include <optional>
#include <string>
#include <vector>

#include "storage/thread_name.h"

namespace jingsai::storage {

namespace {

// With its triggers off, the writer's connection keeps history append-only
// by refusing, when a statement is prepared, any that would change a row.
int RefuseHistoryChanges(void* /*unused*/, int action, const char* table, const char* /*column*/,
                         const char* /*database*/, const char* /*trigger*/) {
  const bool changes_rows = action == SQLITE_UPDATE || action == SQLITE_DELETE;
  return changes_rows && table != nullptr && std::string_view(table) == "history" ? SQLITE_DENY
                                                                                  : SQLITE_OK;
}

}  // namespace

// How many items the writer keeps as it wrote them: the reports in flight
// of a busy campaign week, at about 2 KB each.
constexpr size_t kKeptItems = 4096;

void Writer::NoteChangedRow(void* writer, int /*operation*/, const char* /*database*/,
                            const char* table, sqlite3_int64 rowid) {
  auto* self = static_cast<Writer*>(writer);
  const std::string_view name(table);
  if (name == "evidence") {
    self->kept_items_->evidence().RowChanged();
    return;
  }
  if (name != "items") return;
  self->changed_items_.push_back(rowid);
  self->kept_items_->Changed(rowid);
}

Writer::Writer(std::unique_ptr<Database> db, size_t max_batch, StageIndex* stage_index)
    : db_(std::move(db)), max_batch_(max_batch), stage_index_(stage_index) {
  if (stage_index_ != nullptr) {
    kept_items_ = std::make_unique<KeptItems>(kKeptItems);
    db_->set_kept_items(kept_items_.get());
    sqlite3_update_hook(db_->handle(), NoteChangedRow, this);
    // The batch raises the items generation once (StageIndex::RecordChanges),
    // not a trigger per changed row; history's append-only triggers are then
    // off too, and the authorizer takes their place on this connection.
    sqlite3_db_config(db_->handle(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
    sqlite3_set_authorizer(db_->handle(), RefuseHistoryChanges, nullptr);
  }
  if (!db_->path().empty() && db_->path() != ":memory:") {
    checkpointer_ = std::make_unique<Checkpointer>(*db_, db_->options().synchronous);
    if (db_->options().synchronous == "FULL" && db_->Exec("PRAGMA synchronous=NORMAL").ok()) {
      // The commit writes the WAL; the syncer flushes it before any answer.
      syncer_ = std::make_unique<WalSyncer>(db_->path());
    }
  }
  thread_ = std::thread([this] { Loop(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Writer::Submit(Unit unit, Done done) { Enqueue({std::move(unit), std::move(done)}); }

void Writer::Enqueue(Pending pending) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(pending));
  }
  wake_.notify_one();
}

engine::Status Writer::RunSync(Unit unit) {
  std::promise<engine::Status> promise;
  std::future<engine::Status> future = promise.get_future();
  // In place: a runner whose threads are gone or blocked would never answer.
  Enqueue({std::move(unit), [&promise](engine::Status status) { promise.set_value(status); },
           /*answer_in_place=*/true});
  return future.get();
}

void Writer::RunAnswersOn(AnswerRunner runner) {
  std::lock_guard lock(runner_mutex_);
  runner_ = std::move(runner);
}

void Writer::Deliver(std::function<void()> answers) {
  AnswerRunner runner;
  {
    std::lock_guard lock(runner_mutex_);
    runner = runner_;
  }
  if (runner) {
    runner(std::move(answers));
  } else {
    answers();
  }
}

Writer::Stats Writer::stats() const {
  Stats stats;
  {
    std::lock_guard lock(mutex_);
    stats = stats_;
  }
  if (syncer_) stats.flushes = syncer_->flushes();
  if (kept_items_) stats.kept = kept_items_->counts();
  if (checkpointer_) stats.checkpoints = checkpointer_->checkpoints();
  return stats;
}

void Writer::Loop() {
  NameThisThread("jingsai-writer");
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

// A batch's callers with their results, answered together.
class BatchAnswers {
 public:
  void Add(Writer::Done done, engine::Status result) {
    dones_.push_back(std::move(done));
    results_.push_back(std::move(result));
  }
  bool empty() const { return dones_.empty(); }
  // A commit that could not be flushed may be lost: its steps did not happen.
  void Settle(bool durable) {
    if (durable) return;
    for (engine::Status& status : results_) {
      if (status.ok()) {
        status = engine::Error::Internal("the step was committed but could not be flushed");
      }
    }
  }
  void Run() {
    for (size_t i = 0; i < dones_.size(); ++i) dones_[i](std::move(results_[i]));
  }

 private:
  std::vector<Writer::Done> dones_;
  std::vector<engine::Status> results_;
};

// Transaction control through cached statements: parsing "SAVEPOINT unit"
// and friends anew for every unit was a tenth of the writer's time.
engine::Status Control(Database& db, std::string_view sql) { return db.Prepare(sql)->Run(); }

}  // namespace

// A savepoint per unit made SQLite copy every page a unit touched into the
// savepoint journal first: a tenth of the writer's work. Nearly every unit
// that fails does so before it writes (a check, a conflict, a refusal), and
// such a unit leaves nothing to undo. Only when one fails after changing rows
// is the batch rolled back and run again, this time with a savepoint each.
std::optional<std::vector<engine::Status>> Writer::RunUnits(std::deque<Pending>& batch,
                                                            bool guarded) {
  std::vector<engine::Status> results;
  results.reserve(batch.size());
  engine::Status begun = Control(*db_, "BEGIN IMMEDIATE");
  if (!begun.ok()) return std::vector<engine::Status>(batch.size(), begun);
  changed_items_.clear();
  int64_t generation = -1;  // after the commit, as far as this writer knows
  if (stage_index_ != nullptr) {
    engine::Result<int64_t> read = ItemsGeneration(*db_);
    stage_index_->CheckGeneration(read);
    if (read.ok()) generation = read.value();
    kept_items_->BeginBatch(generation);
  }
  auto roll_back_kept = [this] {
    if (kept_items_) kept_items_->RolledBack();
  };
  for (Pending& pending : batch) {
    if (guarded) Control(*db_, "SAVEPOINT unit");
    const int64_t changes_before = db_->TotalChanges();
    const size_t unit_start = kept_items_ ? kept_items_->UnitStart() : 0;
    engine::Status status = RunGuarded(pending.unit, *db_);
    if (!db_->InTransaction()) {
      // SQLite rolled the whole transaction back (a full disk, an I/O error):
      // nothing of the batch holds.
      roll_back_kept();
      if (!guarded) return std::nullopt;
      engine::Status lost =
          status.ok() ? engine::Error::Internal("the batch was rolled back") : status;
      return std::vector<engine::Status>(batch.size(), lost);
    }
    if (guarded) {
      if (!status.ok()) {
        Control(*db_, "ROLLBACK TO unit");
        if (kept_items_) kept_items_->UnitRolledBack(unit_start);
      }
      Control(*db_, "RELEASE unit");
    } else if (!status.ok() && db_->TotalChanges() != changes_before) {
      Control(*db_, "ROLLBACK");
      roll_back_kept();
      return std::nullopt;
    }
    results.push_back(std::move(status));
  }
  std::optional<StageIndex::Changes> changes;
  if (stage_index_ != nullptr && !changed_items_.empty()) {
    changes = stage_index_->RecordChanges(*db_, changed_items_, kept_items_.get());
    generation = changes ? changes->generation : -1;
  }
  engine::Status committed = Control(*db_, "COMMIT");
  if (!committed.ok()) {
    if (db_->InTransaction()) Control(*db_, "ROLLBACK");
    roll_back_kept();
    for (engine::Status& status : results) {
      if (status.ok()) status = committed;
    }
    return results;
  }
  if (kept_items_) kept_items_->Committed(generation);
  if (changes) stage_index_->Apply(std::move(*changes));
  return results;
}

void Writer::RunBatch(std::deque<Pending>& batch) {
  std::optional<std::vector<engine::Status>> ran = RunUnits(batch, /*guarded=*/false);
  if (!ran) {
    {
      std::lock_guard lock(mutex_);
      stats_.reruns += 1;
    }
    ran = RunUnits(batch, /*guarded=*/true);
  }
  std::vector<engine::Status>& results = *ran;
  // RunSync's callers are answered where the batch ends, the others together.
  BatchAnswers in_place;
  BatchAnswers answers;
  for (size_t i = 0; i < batch.size(); ++i) {
    (batch[i].answer_in_place ? in_place : answers)
        .Add(std::move(batch[i].done), std::move(results[i]));
  }
  // The others first: a RunSync caller then finds every earlier answer of
  // its batch given (or handed to the runner).
  auto answer = [this, in_place = std::move(in_place),
                 answers = std::move(answers)](bool durable) mutable {
    if (!answers.empty()) {
      answers.Settle(durable);
      Deliver([answers = std::move(answers)]() mutable { answers.Run(); });
    }
    in_place.Settle(durable);
    in_place.Run();
  };
  if (!syncer_) return answer(/*durable=*/true);
  syncer_->Hand(std::move(answer));
}

}  // namespace jingsai::storage
