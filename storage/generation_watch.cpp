#include "storage/generation_watch.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace jingsai::storage {
namespace {

// The WAL index's first page holds both copies of the header (48 bytes
// each, from offset 0). SQLite makes the file 32 KB when it first sets it
// up and never shrinks it while any connection of this process has it open
// (a process that opens it first, alone, starts it over: not while we are
// here). Smaller than a page: not set up yet.
constexpr size_t kMappedBytes = 4096;
constexpr uint32_t kWalIndexVersion = 3007000;

}  // namespace

WalIndexHeader::WalIndexHeader(std::string database_path)
    : shm_path_(std::move(database_path) + "-shm") {}

WalIndexHeader::~WalIndexHeader() {
  if (const uint32_t* map = map_.load()) {
    ::munmap(const_cast<uint32_t*>(map), kMappedBytes);
  }
}

const uint32_t* WalIndexHeader::Map() const {
  if (const uint32_t* map = map_.load(std::memory_order_acquire)) return map;
  std::lock_guard lock(open_mutex_);
  if (const uint32_t* map = map_.load(std::memory_order_acquire)) return map;
  int fd = ::open(shm_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat status {};
  void* mapped = MAP_FAILED;
  if (::fstat(fd, &status) == 0 && status.st_size >= static_cast<off_t>(kMappedBytes)) {
    mapped = ::mmap(nullptr, kMappedBytes, PROT_READ, MAP_SHARED, fd, 0);
  }
  ::close(fd);  // the mapping stays
  if (mapped == MAP_FAILED) return nullptr;
  const auto* map = static_cast<const uint32_t*>(mapped);
  map_.store(map, std::memory_order_release);
  return map;
}

std::optional<WalIndexHeader::Words> WalIndexHeader::Read() const {
  const uint32_t* map = Map();
  if (map == nullptr) return std::nullopt;
  // As SQLite's own readers do: the first copy, a barrier, the second.
  Words first{};
  Words second{};
  for (size_t i = 0; i < first.size(); ++i) first[i] = __atomic_load_n(map + i, __ATOMIC_RELAXED);
  std::atomic_thread_fence(std::memory_order_acquire);
  for (size_t i = 0; i < second.size(); ++i) {
    second[i] = __atomic_load_n(map + first.size() + i, __ATOMIC_RELAXED);
  }
  const bool initialized = (first[3] & 0xff) != 0;  // isInit, the byte at offset 12
  if (first != second || !initialized || first[0] != kWalIndexVersion) return std::nullopt;
  return first;
}

engine::Result<int64_t> GenerationWatch::Current(
    const std::function<engine::Result<int64_t>()>& read) {
  // Read before the statement: the statement then sees this state or a
  // later one, and a later one changes the header, so that the pair kept
  // below is only ever used while the state is still the header's.
  std::optional<WalIndexHeader::Words> now = header_.Read();
  if (now) {
    std::lock_guard lock(mutex_);
    if (seen_ == now) {
      known_.fetch_add(1, std::memory_order_relaxed);
      return generation_;
    }
  }
  engine::Result<int64_t> generation = read();
  read_.fetch_add(1, std::memory_order_relaxed);
  if (generation.ok() && now) {
    std::lock_guard lock(mutex_);
    seen_ = now;
    generation_ = generation.value();
  }
  return generation;
}

}  // namespace jingsai::storage
