#include "storage/wal_syncer.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "storage/thread_name.h"

namespace jingsai::storage {
namespace {

// A new file's directory entry must be flushed too, or a power loss may
// forget the file while keeping nothing of it to recover.
bool FlushDirectoryOf(const std::string& path) {
  std::string directory = std::filesystem::path(path).parent_path().string();
  int fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool flushed = ::fsync(fd) == 0;
  ::close(fd);
  return flushed;
}

}  // namespace

WalSyncer::WalSyncer(std::string database_path)
    : wal_path_(std::move(database_path) + "-wal"), thread_([this] { Loop(); }) {}

WalSyncer::~WalSyncer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

void WalSyncer::Hand(Answers answers) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(answers));
  }
  wake_.notify_one();
}

uint64_t WalSyncer::flushes() const {
  std::lock_guard lock(mutex_);
  return flushes_;
}

bool WalSyncer::Flush() {
  if (wal_fd_ < 0) {
    wal_fd_ = ::open(wal_path_.c_str(), O_RDWR | O_CLOEXEC);
    // No WAL yet: no commit has written anything to be flushed.
    if (wal_fd_ < 0 && errno == ENOENT) return true;
    if (wal_fd_ < 0 || !FlushDirectoryOf(wal_path_)) {
      spdlog::error("无法打开或落盘预写日志 {}：{}", wal_path_, std::strerror(errno));
      return false;
    }
  }
  // fdatasync flushes the file's data whichever descriptor wrote it.
  if (::fdatasync(wal_fd_) != 0) {
    spdlog::error("预写日志落盘失败：{}", std::strerror(errno));
    return false;
  }
  return true;
}

void WalSyncer::Loop() {
  NameThisThread("jingsai-walsync");
  // Every answer waits for this thread after its flush. Among the writer,
  // the I/O thread and a client on two cores, it waited about a quarter of
  // its time for a core after each fdatasync (/proc/.../schedstat); run
  // first, it takes its 7% of a core without that wait (bench/README.md).
  if (!RunThisThreadFirst()) {
    spdlog::info("预写日志刷盘线程未获实时优先级（需要 CAP_SYS_NICE），按普通优先级运行");
  }
  for (;;) {
    std::deque<Answers> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, and everything answered
      batch.swap(pending_);
    }
    // One flush covers every batch committed before it.
    const bool durable = Flush();
    {
      std::lock_guard lock(mutex_);
      ++flushes_;
    }
    for (Answers& answers : batch) answers(durable);
  }
}

}  // namespace jingsai::storage
