// KeptEvidence: the writer's copy of each item's attached evidence as its
// last committed batch left it, so that a step's validators and a return's
// snapshot skip reading the evidence rows (about 7% of a review step's work
// on the writer's thread under the review mix).
//
// The copies stay exactly what the rows hold by these rules:
//  - Every change to a row of `evidence` on the writer's connection is seen
//    (SQLite's update hook calls RowChanged). Only the storage functions
//    that change evidence say which item's it was (Explained); while any
//    change of the batch is unexplained, nothing kept is handed out, and at
//    commit everything is dropped.
//  - An item whose evidence changed in the batch is not answered from what
//    was committed before; a list read in the batch is merged only when the
//    batch commits, and every such list is dropped when a unit of the batch
//    rolls back (its reads may have seen the unit's changes).
//  - Whenever the writer drops its kept items because someone else changed
//    the database (KeptItems::BeginBatch), it drops these too: the triggers
//    of migration 011 raise the items generation on evidence changes too.
//  - At most `capacity` items' lists are kept, the least recently used go
//    first.
//
// Writer thread only, like KeptItems, which owns it (but for the counts).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "storage/evidence.h"
#include "storage/recent_map.h"

namespace jingsai::storage {

class KeptEvidence {
 public:
  explicit KeptEvidence(size_t capacity);

  // The item's evidence as the batch sees it now, when known.
  std::optional<std::vector<EvidenceRecord>> Find(int64_t item_id);
  // A step read the item's evidence from its rows.
  void Loaded(int64_t item_id, const std::vector<EvidenceRecord>& records);

  // SQLite's update hook saw a change to a row of `evidence`.
  void RowChanged() { ++unexplained_; }
  // A storage function changed `rows` rows of the item's evidence.
  void Explained(int64_t item_id, int rows);

  void UnitRolledBack();
  void Committed();
  void RolledBack();
  void DropAll();

  // Any thread may read these; the rest is the writer thread's.
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  size_t size() const { return kept_.size(); }

 private:
  void ClearBatch();

  RecentMap<int64_t, std::vector<EvidenceRecord>> kept_;
  // The running batch: lists read in it, items whose evidence it changed,
  // and changes the hook saw that no storage function explained.
  std::unordered_map<int64_t, std::vector<EvidenceRecord>> read_in_batch_;
  std::unordered_set<int64_t> changed_in_batch_;
  int64_t unexplained_ = 0;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace jingsai::storage
