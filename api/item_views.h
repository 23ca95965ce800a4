// ItemViews: items as answers show them, kept with the part of their JSON
// that every viewer sees alike, so that a page of the inbox or a GET of a
// report neither reads the stored data nor writes it out again.
//
// A view is kept by the item's stamp (id, version, flow version, history
// seq), which names one stored content for good (see storage::ItemStamp): a view is
// never out of date, only superseded by the item's next state, which
// replaces it here. The org names and stage titles in the text are those of
// an existing org and flow version, which never change either.
//
// Thread-safety: every method may be called from any thread; views are
// immutable and shared.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "storage/items.h"
#include "storage/recent_map.h"
#include "storage/records.h"

namespace jingsai::api {

struct ItemView {
  // For showing and for judging whom it awaits, never for writing: a write
  // reads the item afresh in its own transaction.
  storage::ItemRecord item;
  // The members from "id" to "submitted_at" as JSON text, without braces.
  std::string shared_members;
};
using ItemViewPtr = std::shared_ptr<const ItemView>;

class ItemViews {
 public:
  // Keeps views up to about `budget_bytes` of memory, the least recently
  // used going first.
  explicit ItemViews(size_t budget_bytes);

  // The view of exactly this state of the item, if it is kept.
  ItemViewPtr Find(const storage::ItemStamp& stamp);
  // Keeps `view` in place of any other state of the same item.
  void Keep(ItemViewPtr view);

  struct Counts {
    uint64_t hits = 0;
    uint64_t misses = 0;
    size_t views = 0;
    size_t bytes = 0;
  };
  Counts counts() const;

 private:
  struct Shard {
    explicit Shard(size_t budget) : recent(budget) {}
    mutable std::mutex mutex;
    storage::RecentMap<int64_t, ItemViewPtr> recent;  // by item id; GUARDED_BY(mutex)
    uint64_t hits = 0;                                // GUARDED_BY(mutex)
    uint64_t misses = 0;                              // GUARDED_BY(mutex)
  };
  // Readers on several threads look items up at once: one lock per shard.
  static constexpr size_t kShards = 16;
  Shard& ShardOf(int64_t id) { return shards_[static_cast<uint64_t>(id) % kShards]; }

  template <size_t... Index>
  static std::array<Shard, kShards> MakeShards(size_t budget, std::index_sequence<Index...>) {
    return {((void)Index, Shard(budget))...};
  }

  std::array<Shard, kShards> shards_;
};

}  // namespace jingsai::api
