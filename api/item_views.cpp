#include "api/item_views.h"

namespace jingsai::api {
namespace {

// What a view costs in memory, near enough to keep a budget: the text, the
// parsed data (about as large again as its text, in Boost.JSON's nodes),
// the record's strings and the bookkeeping around it.
size_t BytesOf(const ItemView& view) {
  const storage::ItemRecord& item = view.item;
  return sizeof(ItemView) + 2 * view.shared_members.capacity() + item.title.capacity() +
         item.org_path.capacity() + item.history_head.capacity() + 256;
}

}  // namespace

ItemViews::ItemViews(size_t budget_bytes)
    : shards_(MakeShards(budget_bytes / kShards, std::make_index_sequence<kShards>())) {}

ItemViewPtr ItemViews::Find(const storage::ItemStamp& stamp) {
  Shard& shard = ShardOf(stamp.id);
  std::lock_guard lock(shard.mutex);
  // Another state of the item is no use of the kept one.
  const ItemViewPtr* kept = shard.recent.FindIf(stamp.id, [&stamp](const ItemViewPtr& view) {
    return storage::StampOf(view->item) == stamp;
  });
  if (kept == nullptr) {
    ++shard.misses;
    return nullptr;
  }
  ++shard.hits;
  return *kept;
}

void ItemViews::Keep(ItemViewPtr view) {
  const int64_t id = view->item.instance.id;
  const size_t bytes = BytesOf(*view);
  Shard& shard = ShardOf(id);
  std::lock_guard lock(shard.mutex);
  shard.recent.Put(id, std::move(view), bytes);
}

ItemViews::Counts ItemViews::counts() const {
  Counts counts;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    counts.hits += shard.hits;
    counts.misses += shard.misses;
    counts.views += shard.recent.size();
    counts.bytes += shard.recent.cost();
  }
  return counts;
}

}  // namespace jingsai::api
