#include "storage/kept_evidence.h"

namespace jingsai::storage {

KeptEvidence::KeptEvidence(size_t capacity) : kept_(capacity) {}

std::optional<std::vector<EvidenceRecord>> KeptEvidence::Find(int64_t item_id) {
  if (unexplained_ != 0) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  if (auto read = read_in_batch_.find(item_id); read != read_in_batch_.end()) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return read->second;
  }
  const std::vector<EvidenceRecord>* kept =
      changed_in_batch_.contains(item_id) ? nullptr : kept_.Find(item_id);
  (kept != nullptr ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
  if (kept == nullptr) return std::nullopt;
  return *kept;
}

void KeptEvidence::Loaded(int64_t item_id, const std::vector<EvidenceRecord>& records) {
  if (unexplained_ != 0) return;
  read_in_batch_[item_id] = records;
}

void KeptEvidence::Explained(int64_t item_id, int rows) {
  unexplained_ -= rows;
  changed_in_batch_.insert(item_id);
  read_in_batch_.erase(item_id);
}

void KeptEvidence::UnitRolledBack() { read_in_batch_.clear(); }

void KeptEvidence::Committed() {
  if (unexplained_ != 0) {
    DropAll();
    return;
  }
  for (int64_t item_id : changed_in_batch_) kept_.Erase(item_id);
  for (auto& [item_id, records] : read_in_batch_) kept_.Put(item_id, std::move(records));
  ClearBatch();
}

void KeptEvidence::RolledBack() { ClearBatch(); }

void KeptEvidence::DropAll() {
  kept_.Clear();
  ClearBatch();
}

void KeptEvidence::ClearBatch() {
  read_in_batch_.clear();
  changed_in_batch_.clear();
  unexplained_ = 0;
}

}  // namespace jingsai::storage
