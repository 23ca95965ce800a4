// StageIndex: which items are at each stage, in memory, for the inbox.
//
// An inbox asks, for each (kind, county scope, stage) a reviewer acts at, for
// the oldest items of some flows; walking SQLite's stage index for that was a
// third of the CPU of an inbox answer. This holds the same entries (the id
// and stamp of each item, by kind, county scope and stage), read once from
// the database and then kept by the writer: before each commit it reads the
// rows the batch changed, and after the commit it applies them, before any
// caller of the batch is answered.
//
// The index is exact only for what this process's writer commits, so it
// carries the items generation it reflects (migration 010: every change to
// items raises it, by a trigger on other connections and once per batch on
// the writer's). A reader uses it only when its own read
// transaction sees that same generation, and walks SQLite otherwise. When
// the writer finds a generation it did not make (another process changed
// items), the index stops answering until the server starts again.
//
// Thread-safety: every member may be called from any thread. The writer's
// part (CheckGeneration, RecordChanges, Apply) is called by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "engine/result.h"
#include "storage/items.h"
#include "storage/kept_items.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

// The generation of items that `db` sees (in its current transaction).
engine::Result<int64_t> ItemsGeneration(Database& db);

class StageIndex {
 public:
  // Whether items at this stage of this flow version belong in the index:
  // an item where no one acts is in no inbox. Unknown flows must be kept.
  using Keep =
      std::function<bool(std::string_view flow_key, int flow_version, std::string_view stage)>;

  explicit StageIndex(Keep keep);
  StageIndex(const StageIndex&) = delete;
  StageIndex& operator=(const StageIndex&) = delete;

  // Reads every item's entry in one read transaction of `db`, and starts
  // answering.
  engine::Status Load(Database& db);

  // What StampsAtStage(db, query) answers for a county scope or every
  // county scope, when the index reflects `generation` (read in the
  // caller's transaction); nullopt when it does not, or for a unit's stage.
  std::optional<std::vector<ItemStamp>> StampsAtStage(const StageQuery& query,
                                                      int64_t generation) const;

  // Whether nothing `queries` read has changed since `since`, a generation
  // this index answered them at, the index now reflecting `generation` (read
  // in the caller's transaction). False for a unit's stage, which the index
  // does not hold. What an answer made from those queries at `since` showed
  // is then still true: every change to an item marks the buckets it left
  // and entered.
  bool UnchangedSince(const std::vector<StageQuery>& queries, int64_t since,
                      int64_t generation) const;

  bool answering() const;
  size_t size() const;

  // The writer's side. In a batch's transaction, before its units: stops
  // the index if the database moved on without this writer.
  // `generation`: the items generation the batch's transaction reads.
  void CheckGeneration(const engine::Result<int64_t>& generation);
  // Raises the generation (once for the batch, answering or not) and, while
  // answering, reads the state of the items it changed, in its transaction
  // just before COMMIT; applied after the commit. Nullopt when the
  // generation could not be raised (the index stops).
  struct Row {
    int64_t id = 0;
    bool exists = false;
    int kind = 0;
    int64_t county_scope_id = 0;
    std::string stage;
    std::string flow_key;
    ItemStamp stamp;
    bool operator==(const Row&) const = default;
  };
  struct Changes {
    int64_t generation = 0;
    std::vector<Row> rows;
  };
  // `written`: the batch's steps' records (the writer's kept items), taken
  // instead of reading those rows again.
  std::optional<Changes> RecordChanges(Database& db, const std::vector<int64_t>& ids,
                                       const KeptItems* written = nullptr);
  void Apply(Changes changes);
  // Stops answering (with the reason in the log).
  void Stop(std::string_view why);

 private:
  struct Entry {
    int64_t version = 0;
    int64_t history_seq = 0;
    int flow_version = 0;
    uint16_t flow = 0;  // into flows_
  };
  struct Bucket {
    // Ids in order, as the stage index of SQLite walks them.
    std::map<int64_t, Entry> entries;
    // The generation of the last batch that put an item here or took one
    // away (or the one loaded).
    int64_t changed_at = 0;
  };
  // (kind, county scope, stage)
  using BucketKey = std::tuple<int, int64_t, std::string>;

  // REQUIRES: mutex_ held exclusively. `generation` marks the buckets touched.
  void Put(const Row& row, int64_t generation);
  void Remove(int64_t id, int64_t generation);
  uint16_t FlowIndex(const std::string& flow_key);
  // Walks one bucket past `after_id`, keeping up to `limit` items of `flows`.
  void Walk(int kind, int64_t scope, const StageQuery& query, const std::vector<uint16_t>& flows,
            std::vector<ItemStamp>& out) const;

  const Keep keep_;
  mutable std::shared_mutex mutex_;
  bool answering_ = false;                          // GUARDED_BY(mutex_)
  bool stopped_ = false;                            // GUARDED_BY(mutex_)
  int64_t generation_ = 0;                          // GUARDED_BY(mutex_)
  int64_t loaded_at_ = 0;                           // GUARDED_BY(mutex_)
  std::map<BucketKey, Bucket> buckets_;             // GUARDED_BY(mutex_)
  std::unordered_map<int64_t, Bucket*> bucket_of_;  // GUARDED_BY(mutex_)
  std::vector<std::string> flows_;                  // GUARDED_BY(mutex_)
};

}  // namespace jingsai::storage
