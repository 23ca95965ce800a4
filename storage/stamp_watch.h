// StampWatch: an item's stamp (storage/items.h) without a statement while
// nobody has committed since it was last read, by the rule of
// GenerationWatch: the WAL index header is read before the statement, and
// while it is still that header, the stamp the statement read still holds.
//
// The saving: a kept item view is checked against its stamp on every read
// of the item, and the statement (a reader lease, the WAL index's read
// lock and unlock, `fcntl` calls each) was 17% of such a read's server CPU.
//
// Thread-safety: Load may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "engine/result.h"
#include "storage/generation_watch.h"
#include "storage/items.h"

namespace jingsai::storage {

class StampWatch {
 public:
  using Read = std::function<engine::Result<std::optional<ItemStamp>>()>;

  // `header` must outlive the watch. At most `capacity` stamps are kept.
  StampWatch(const WalIndexHeader& header, size_t capacity);

  // The item's stamp: the one `read` gave since the last commit, else what
  // `read` gives now (nullopt: no such item).
  engine::Result<std::optional<ItemStamp>> Load(int64_t id, const Read& read);

  struct Counts {
    uint64_t known = 0;  // answered without SQLite
    uint64_t read = 0;
  };
  Counts counts() const { return {known_.load(), read_.load()}; }

 private:
  const WalIndexHeader& header_;
  const size_t capacity_;
  std::mutex mutex_;
  // The header the stamps below were read under, and the stamps.
  std::optional<WalIndexHeader::Words> seen_;      // GUARDED_BY(mutex_)
  std::unordered_map<int64_t, ItemStamp> stamps_;  // GUARDED_BY(mutex_)
  std::atomic<uint64_t> known_{0};
  std::atomic<uint64_t> read_{0};
};

}  // namespace jingsai::storage
