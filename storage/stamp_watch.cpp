#include "storage/stamp_watch.h"

namespace jingsai::storage {

StampWatch::StampWatch(const WalIndexHeader& header, size_t capacity)
    : header_(header), capacity_(capacity) {}

engine::Result<std::optional<ItemStamp>> StampWatch::Load(int64_t id, const Read& read) {
  // Read before the statement: the statement then sees this state or a
  // later one, and a later one changes the header, so that a stamp kept
  // under this header is only ever used while the state is still its.
  const std::optional<WalIndexHeader::Words> now = header_.Read();
  if (now) {
    std::lock_guard lock(mutex_);
    if (seen_ == now) {
      if (auto found = stamps_.find(id); found != stamps_.end()) {
        known_.fetch_add(1, std::memory_order_relaxed);
        return std::optional<ItemStamp>(found->second);
      }
    } else {
      // Something was committed: nothing kept can be trusted. (A caller
      // that read an older header may set it back; a header once left is
      // never the current one again, so what it keeps is never used.)
      stamps_.clear();
      seen_ = now;
    }
  }
  engine::Result<std::optional<ItemStamp>> stamp = read();
  read_.fetch_add(1, std::memory_order_relaxed);
  if (now && stamp.ok() && stamp.value()) {
    std::lock_guard lock(mutex_);
    if (seen_ == now) {
      if (stamps_.size() >= capacity_) stamps_.clear();
      stamps_[id] = *stamp.value();
    }
  }
  return stamp;
}

}  // namespace jingsai::storage
