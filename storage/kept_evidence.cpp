#include "storage/kept_evidence.h"

namespace jingsai::storage {

KeptEvidence::KeptEvidence(size_t capacity) : capacity_(capacity) {}

std::optional<std::vector<EvidenceRecord>> KeptEvidence::Find(int64_t item_id) {
  if (unexplained_ != 0) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  if (auto read = read_in_batch_.find(item_id); read != read_in_batch_.end()) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    return read->second;
  }
  auto found = kept_.find(item_id);
  if (found == kept_.end() || changed_in_batch_.contains(item_id)) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  order_.splice(order_.begin(), order_, found->second);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return found->second->records;
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
  for (int64_t item_id : changed_in_batch_) {
    if (auto found = kept_.find(item_id); found != kept_.end()) {
      order_.erase(found->second);
      kept_.erase(found);
    }
  }
  for (auto& [item_id, records] : read_in_batch_) Keep(item_id, std::move(records));
  ClearBatch();
}

void KeptEvidence::RolledBack() { ClearBatch(); }

void KeptEvidence::DropAll() {
  order_.clear();
  kept_.clear();
  ClearBatch();
}

void KeptEvidence::ClearBatch() {
  read_in_batch_.clear();
  changed_in_batch_.clear();
  unexplained_ = 0;
}

void KeptEvidence::Keep(int64_t item_id, std::vector<EvidenceRecord> records) {
  if (auto found = kept_.find(item_id); found != kept_.end()) {
    found->second->records = std::move(records);
    order_.splice(order_.begin(), order_, found->second);
    return;
  }
  order_.push_front(Entry{item_id, std::move(records)});
  kept_.emplace(item_id, order_.begin());
  if (kept_.size() > capacity_) {
    kept_.erase(order_.back().item_id);
    order_.pop_back();
  }
}

}  // namespace jingsai::storage
