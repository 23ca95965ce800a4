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

ItemViews::ItemViews(size_t budget_bytes) : shard_budget_(budget_bytes / kShards) {}

ItemViewPtr ItemViews::Find(const storage::ItemStamp& stamp) {
  Shard& shard = ShardOf(stamp.id);
  std::lock_guard lock(shard.mutex);
  auto found = shard.by_id.find(stamp.id);
  if (found == shard.by_id.end() || storage::StampOf(found->second->view->item) != stamp) {
    ++shard.misses;
    return nullptr;
  }
  ++shard.hits;
  shard.recent.splice(shard.recent.begin(), shard.recent, found->second);
  return found->second->view;
}

void ItemViews::Keep(ItemViewPtr view) {
  const int64_t id = view->item.instance.id;
  const size_t bytes = BytesOf(*view);
  Shard& shard = ShardOf(id);
  std::lock_guard lock(shard.mutex);
  if (auto found = shard.by_id.find(id); found != shard.by_id.end()) {
    shard.bytes -= found->second->bytes;
    shard.recent.erase(found->second);
    shard.by_id.erase(found);
  }
  shard.recent.push_front(Entry{std::move(view), bytes});
  shard.by_id.emplace(id, shard.recent.begin());
  shard.bytes += bytes;
  while (shard.bytes > shard_budget_ && shard.recent.size() > 1) {
    const Entry& oldest = shard.recent.back();
    shard.bytes -= oldest.bytes;
    shard.by_id.erase(oldest.view->item.instance.id);
    shard.recent.pop_back();
  }
}

ItemViews::Counts ItemViews::counts() const {
  Counts counts;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    counts.hits += shard.hits;
    counts.misses += shard.misses;
    counts.views += shard.recent.size();
    counts.bytes += shard.bytes;
  }
  return counts;
}

}  // namespace jingsai::api
