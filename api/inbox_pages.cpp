#include "api/inbox_pages.h"

namespace jingsai::api {
namespace {

size_t BytesOf(const std::string& key, const InboxPage& page) {
  size_t bytes = sizeof(InboxPage) + key.capacity() + page.body.capacity() + 128;
  for (const storage::StageQuery& query : page.queries) {
    bytes += sizeof(query) + query.stage.capacity() + query.county_scopes.size() * 8;
  }
  return bytes;
}

}  // namespace

InboxPages::InboxPages(size_t budget_bytes) : budget_(budget_bytes), recent_(budget_bytes) {}

InboxPagePtr InboxPages::Find(const std::string& key,
                              const std::function<bool(const InboxPage&)>& holds) {
  InboxPagePtr page;
  {
    std::lock_guard lock(mutex_);
    if (const InboxPagePtr* kept = recent_.Find(key)) page = *kept;
  }
  // Judged outside the lock: the judgement takes the stage index's.
  const bool hit = page != nullptr && holds(*page);
  std::lock_guard lock(mutex_);
  ++(hit ? hits_ : misses_);
  return hit ? page : nullptr;
}

void InboxPages::Keep(const std::string& key, InboxPagePtr page) {
  const size_t bytes = BytesOf(key, *page);
  if (bytes > budget_) return;  // a page over the whole budget is not kept at all
  std::lock_guard lock(mutex_);
  recent_.Put(key, std::move(page), bytes);
}

InboxPages::Counts InboxPages::counts() const {
  std::lock_guard lock(mutex_);
  return {hits_, misses_, recent_.size()};
}

}  // namespace jingsai::api
