// GenerationWatch: the items generation (storage/stage_index.h) without a
// read transaction while nobody has committed since it was last read.
//
// Every connection of every process on the database shares the WAL index
// (the `-shm` file; its layout: https://sqlite.org/walformat.html). Its
// 48-byte header changes with every commit (the change counter, the last
// frame, their checksums; the salts when the WAL starts over) and is kept
// twice: SQLite writes the second copy, then the first, and a reader that
// finds both alike has read it whole. If the header is what it was before
// the generation was last read, nothing was committed since, so the
// generation is still that one. Anything unexpected (no `-shm` file yet, a
// header being written) makes the caller ask SQLite, as before.
//
// The saving: a statement per kept inbox page (its reader lease and the WAL
// index's read locks, `fcntl` calls each), a fifth of its server CPU.
//
// Thread-safety: Current may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "engine/result.h"

namespace jingsai::storage {

class WalIndexHeader {
 public:
  using Words = std::array<uint32_t, 12>;
  // `database_path`: the database file; its WAL index is `database_path` + "-shm".
  explicit WalIndexHeader(std::string database_path);
  WalIndexHeader(const WalIndexHeader&) = delete;
  WalIndexHeader& operator=(const WalIndexHeader&) = delete;
  ~WalIndexHeader();

  // The header now, or nullopt when it cannot be read whole.
  std::optional<Words> Read() const;

 private:
  const uint32_t* Map() const;

  const std::string shm_path_;
  mutable std::mutex open_mutex_;
  mutable std::atomic<const uint32_t*> map_{nullptr};
};

class GenerationWatch {
 public:
  explicit GenerationWatch(std::string database_path) : header_(std::move(database_path)) {}

  // The items generation: the one `read` gave last time when nobody has
  // committed since, else what `read` (a statement on a reader) gives now.
  engine::Result<int64_t> Current(const std::function<engine::Result<int64_t>()>& read);

  struct Counts {
    uint64_t known = 0;  // answered without SQLite
    uint64_t read = 0;
  };
  Counts counts() const { return {known_.load(), read_.load()}; }

  const WalIndexHeader& header() const { return header_; }

 private:
  WalIndexHeader header_;
  std::mutex mutex_;
  std::optional<WalIndexHeader::Words> seen_;  // GUARDED_BY(mutex_)
  int64_t generation_ = 0;                     // GUARDED_BY(mutex_)
  std::atomic<uint64_t> known_{0};
  std::atomic<uint64_t> read_{0};
};

}  // namespace jingsai::storage
