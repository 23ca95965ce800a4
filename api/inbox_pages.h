// InboxPages: each reviewer's inbox pages as last answered, kept for as long
// as nothing they were made from has changed, so that asking again for an
// unchanged inbox costs a lookup instead of walking and writing the page.
//
// A page is made from: the viewer's roles, the catalog (flows and orgs, at
// its generation), the items in the stage index's buckets its queries read
// (at the items generation the index answered them at), and the clock,
// through the due times of the items it judged (an item turns overdue). A
// kept page is answered only when the roles and the catalog generation are
// the same, the stage index says none of those buckets changed since, and
// the clock has not passed the earliest due time that was still ahead.
// Pages made while the index did not answer every query are not kept.
//
// Thread-safety: every method may be called from any thread; pages are
// immutable and shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/actor.h"
#include "storage/items.h"
#include "storage/recent_map.h"

namespace jingsai::api {

struct InboxPage {
  std::vector<engine::RoleBinding> roles;
  uint64_t catalog_generation = 0;
  int64_t items_generation = 0;
  std::vector<storage::StageQuery> queries;
  // The earliest due time ahead of the clock among the items judged, when
  // there was one: the page holds until the clock passes it.
  std::optional<std::string> holds_until;
  std::string body;
};
using InboxPagePtr = std::shared_ptr<const InboxPage>;

class InboxPages {
 public:
  // Keeps pages up to about `budget_bytes`, the least recently used going
  // first; 0 keeps none.
  explicit InboxPages(size_t budget_bytes);

  // The page kept under `key` (the viewer and the page asked: cursor,
  // limit, filters) when `holds` says it still shows what making it anew
  // would; a kept page that does not hold is a miss.
  InboxPagePtr Find(const std::string& key, const std::function<bool(const InboxPage&)>& holds);
  void Keep(const std::string& key, InboxPagePtr page);

  struct Counts {
    uint64_t hits = 0;
    uint64_t misses = 0;
    size_t pages = 0;
  };
  Counts counts() const;

 private:
  const size_t budget_;
  mutable std::mutex mutex_;
  storage::RecentMap<std::string, InboxPagePtr> recent_;  // GUARDED_BY(mutex_)
  uint64_t hits_ = 0;                                     // GUARDED_BY(mutex_)
  uint64_t misses_ = 0;                                   // GUARDED_BY(mutex_)
};

}  // namespace jingsai::api
