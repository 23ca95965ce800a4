// RecentMap: a map that keeps what was used most recently within a budget.
// Each entry has a cost (1 for a count limit, its bytes for a memory one);
// when the entries cost more than the budget, the least recently used go
// first, but never the entry just put: a newest entry over the budget alone
// is still kept, until the next one takes its place.
//
// Not thread-safe: its owner locks, or uses it from one thread. size() and
// cost() may be read from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <list>
#include <unordered_map>
#include <utility>

namespace jingsai::storage {

template <typename Key, typename Value>
class RecentMap {
 public:
  explicit RecentMap(size_t budget) : budget_(budget) {}
  RecentMap(const RecentMap&) = delete;
  RecentMap& operator=(const RecentMap&) = delete;

  // The value kept under `key`, now the most recently used; null if none.
  Value* Find(const Key& key) {
    return FindIf(key, [](const Value&) { return true; });
  }

  // The same, for a kept value that `usable` accepts; one it refuses is
  // not a use, and stays where it was in the order.
  template <typename Usable>
  Value* FindIf(const Key& key, const Usable& usable) {
    auto found = by_key_.find(key);
    if (found == by_key_.end() || !usable(found->second->value)) return nullptr;
    order_.splice(order_.begin(), order_, found->second);
    return &found->second->value;
  }

  // Keeps `value` under `key` in place of what was there, as the most
  // recently used, then lets the least recently used go while over budget.
  void Put(const Key& key, Value value, size_t cost = 1) {
    if (auto found = by_key_.find(key); found != by_key_.end()) {
      cost_ -= found->second->cost;
      found->second->value = std::move(value);
      found->second->cost = cost;
      order_.splice(order_.begin(), order_, found->second);
    } else {
      order_.push_front(Entry{key, std::move(value), cost});
      by_key_.emplace(key, order_.begin());
    }
    cost_ += cost;
    while (cost_ > budget_ && order_.size() > 1) {
      const Entry& oldest = order_.back();
      cost_ -= oldest.cost;
      by_key_.erase(oldest.key);
      order_.pop_back();
    }
    Publish();
  }

  void Erase(const Key& key) {
    auto found = by_key_.find(key);
    if (found == by_key_.end()) return;
    cost_ -= found->second->cost;
    order_.erase(found->second);
    by_key_.erase(found);
    Publish();
  }

  void Clear() {
    order_.clear();
    by_key_.clear();
    cost_ = 0;
    Publish();
  }

  size_t size() const { return size_seen_.load(std::memory_order_relaxed); }
  size_t cost() const { return cost_seen_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    Key key;
    Value value;
    size_t cost;
  };
  using Order = std::list<Entry>;

  // Copies for readers on other threads: the list and map are the owner's.
  void Publish() {
    size_seen_.store(by_key_.size(), std::memory_order_relaxed);
    cost_seen_.store(cost_, std::memory_order_relaxed);
  }

  const size_t budget_;
  Order order_;  // most recently used first
  std::unordered_map<Key, typename Order::iterator> by_key_;
  size_t cost_ = 0;
  std::atomic<size_t> size_seen_{0};
  std::atomic<size_t> cost_seen_{0};
};

}  // namespace jingsai::storage
