#include "storage/kept_items.h"

#include "engine/time_format.h"

namespace jingsai::storage {
namespace {

std::atomic<bool> check_every_hit{false};

// The record as its row reads back: times are stored to the millisecond
// (and written in answers so).
void MakeAsStored(ItemRecord& record) {
  if (record.instance.first_submitted_at) {
    record.instance.first_submitted_at =
        engine::ParseTime(engine::FormatTime(*record.instance.first_submitted_at));
  }
}

}  // namespace

KeptItems::KeptItems(size_t capacity) : kept_(capacity), evidence_(capacity) {}

void KeptItems::CheckEveryHit(bool on) { check_every_hit.store(on); }

bool KeptItems::checking() { return check_every_hit.load(); }

void KeptItems::BeginBatch(int64_t generation) {
  batch_.clear();
  touched_.clear();
  evidence_.RolledBack();  // nothing of an earlier batch is left to merge
  if (generation < 0 || generation != generation_) {
    // Someone else changed items, or this writer cannot tell (the number
    // could not be read, now or after its last commit): nothing kept can
    // be trusted.
    kept_.Clear();
    evidence_.DropAll();
    generation_ = generation;
  }
}

std::optional<ItemRecord> KeptItems::Find(int64_t id) { return Lookup(id, /*take=*/false); }

std::optional<ItemRecord> KeptItems::Take(int64_t id) { return Lookup(id, /*take=*/true); }

std::optional<ItemRecord> KeptItems::Lookup(int64_t id, bool take) {
  if (auto in_batch = batch_.find(id); in_batch != batch_.end()) {
    const InBatch& state = in_batch->second;
    if (state.written) {
      hits_.fetch_add(1, std::memory_order_relaxed);
      return *state.written;  // a second step on it in one batch: rare
    }
    if (state.changes > 0) {  // changed by something else than a step that loaded it
      misses_.fetch_add(1, std::memory_order_relaxed);
      return std::nullopt;
    }
  }
  std::shared_ptr<ItemRecord>* kept = kept_.Find(id);
  (kept != nullptr ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
  if (kept == nullptr) return std::nullopt;
  if (!take || kept->use_count() > 1) return **kept;  // a copy: an answer may share it
  // Only this map holds it, and only the writer's thread could share it
  // again: what the last answer read of it happened before this (acquire).
  std::atomic_thread_fence(std::memory_order_acquire);
  ItemRecord taken = std::move(**kept);
  kept_.Erase(id);
  return taken;
}

void KeptItems::Loaded(int64_t id) {
  InBatch& state = batch_[id];
  state.loaded_after = state.changes;
}

void KeptItems::Changed(int64_t id) {
  InBatch& state = batch_[id];
  state.changes += 1;
  state.written.reset();
  touched_.push_back(id);
}

void KeptItems::Wrote(std::shared_ptr<ItemRecord> record) {
  auto found = batch_.find(record->instance.id);
  if (found == batch_.end()) return;
  InBatch& state = found->second;
  // Anything else that changed the row between the load and this write
  // (another statement of the unit) leaves the item unknown.
  if (!state.loaded_after || state.changes != *state.loaded_after + 1) return;
  MakeAsStored(*record);
  state.written = std::move(record);
}

const ItemRecord* KeptItems::WrittenInBatch(int64_t id) const {
  auto found = batch_.find(id);
  if (found == batch_.end() || !found->second.written) return nullptr;
  return &*found->second.written;
}

void KeptItems::UnitRolledBack(size_t start) {
  for (size_t i = start; i < touched_.size(); ++i) batch_[touched_[i]].written.reset();
  evidence_.UnitRolledBack();
}

void KeptItems::Committed(int64_t generation) {
  // In the order the batch changed them, so that the last written is the
  // most recently used.
  // Every item changed in the batch is either written by a step or unknown.
  for (int64_t id : touched_) {
    auto state = batch_.find(id);
    if (state == batch_.end()) continue;  // merged at its first change
    if (state->second.written) {
      kept_.Put(id, std::move(state->second.written));
    } else {
      kept_.Erase(id);
    }
    batch_.erase(state);
  }
  batch_.clear();
  touched_.clear();
  generation_ = generation;
  evidence_.Committed();
}

void KeptItems::RolledBack() {
  batch_.clear();
  touched_.clear();
  evidence_.RolledBack();
}

KeptItems::Counts KeptItems::counts() const {
  return {hits_.load(std::memory_order_relaxed),
          misses_.load(std::memory_order_relaxed),
          mismatches_.load(std::memory_order_relaxed),
          kept_.size(),
          evidence_.hits(),
          evidence_.misses()};
}

}  // namespace jingsai::storage
