// KeptItems: the writer's copy of each item as its last committed step left
// it, so that the next step on the item skips reading its row and parsing
// its data (a seventh of a step's work on the writer's thread).
//
// The copies stay exactly what the rows hold by four rules:
//  - Every change to a row of `items` on the writer's connection is seen
//    (SQLite's update hook calls Changed) and makes the item unknown for the
//    rest of the batch, unless a step that loaded the item wrote it with the
//    very next change and handed over the record it wrote (Wrote).
//  - What a batch learns is merged only when it commits (Committed), and
//    dropped when it rolls back (RolledBack); a unit rolled back to its
//    savepoint makes every item it touched unknown (UnitRolledBack).
//  - At each batch's start, under the write lock, the items generation
//    tells whether anyone else changed items since this writer's last
//    commit: then every copy is dropped (BeginBatch).
//  - At most `capacity` items are kept, the least recently used go first.
// The same batches keep the items' evidence lists (kept_evidence.h).
//
// Writer thread only (the batch's units, the update hook and the writer's
// loop all run there), so it needs no lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "storage/kept_evidence.h"
#include "storage/recent_map.h"
#include "storage/records.h"

namespace jingsai::storage {

class KeptItems {
 public:
  explicit KeptItems(size_t capacity);

  // With checking on (the test servers), every copy handed out is first
  // compared with the row, and a difference is counted and logged.
  static void CheckEveryHit(bool on);
  static bool checking();

  // `generation`: what the batch's transaction reads, -1 when it could not.
  void BeginBatch(int64_t generation);
  // The item as its row holds it now in the batch, when kept: a copy.
  std::optional<ItemRecord> Find(int64_t id);
  // The same for a step that will write the item (and hand it back through
  // Wrote): the kept record itself, no longer kept, unless an answer still
  // shares it (then a copy).
  std::optional<ItemRecord> Take(int64_t id);
  // A step loaded the item (from here or from its row).
  void Loaded(int64_t id);
  void Changed(int64_t id);
  // The step that loaded the item wrote it: its row is now `record`, which
  // the step's answer may share while it is kept (it is not changed then).
  void Wrote(std::shared_ptr<ItemRecord> record);
  // What a step of the running batch wrote, while it is still what the row
  // holds; null otherwise.
  const ItemRecord* WrittenInBatch(int64_t id) const;
  // Units of work in a batch: where one starts, and its rollback.
  size_t UnitStart() const { return touched_.size(); }
  void UnitRolledBack(size_t start);
  // `generation`: what the commit left, -1 when the writer does not know.
  void Committed(int64_t generation);
  void RolledBack();

  void CountMismatch() const { mismatches_.fetch_add(1, std::memory_order_relaxed); }

  // The items' evidence lists, kept by the same batches (kept_evidence.h).
  KeptEvidence& evidence() { return evidence_; }

  struct Counts {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t mismatches = 0;  // only counted while checking
    size_t kept = 0;
    uint64_t evidence_hits = 0;
    uint64_t evidence_misses = 0;
  };
  Counts counts() const;

 private:
  std::optional<ItemRecord> Lookup(int64_t id, bool take);

  struct InBatch {
    int changes = 0;                  // to its row in this batch
    std::optional<int> loaded_after;  // changes seen when a step loaded it
    // Set while the row is what a step that loaded it wrote with its very
    // next change; a changed item without it is unknown.
    std::shared_ptr<ItemRecord> written;
  };

  int64_t generation_ = -1;
  RecentMap<int64_t, std::shared_ptr<ItemRecord>> kept_;
  std::unordered_map<int64_t, InBatch> batch_;
  std::vector<int64_t> touched_;  // ids changed in the batch, in order
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  mutable std::atomic<uint64_t> mismatches_{0};
  KeptEvidence evidence_;
};

}  // namespace jingsai::storage
