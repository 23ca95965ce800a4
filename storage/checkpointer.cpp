#include "storage/checkpointer.h"

#include <spdlog/spdlog.h>

#include "storage/thread_name.h"

namespace jingsai::storage {
namespace {

int OnWalCommit(void* context, sqlite3* /*db*/, const char* /*schema*/, int pages) {
  static_cast<Checkpointer*>(context)->WalGrew(pages);
  return SQLITE_OK;
}

}  // namespace

Checkpointer::Checkpointer(Database& writer, std::string synchronous)
    : writer_(writer), synchronous_(std::move(synchronous)) {
  sqlite3_wal_autocheckpoint(writer_.handle(), 0);
  sqlite3_wal_hook(writer_.handle(), OnWalCommit, this);
  thread_ = std::thread([this] { Loop(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
}

void Checkpointer::WalGrew(int pages) {
  int backfilled = backfilled_.load();
  if (pages < backfilled || pages < writer_finished_at_) {  // the WAL started over
    backfilled = 0;
    backfilled_.store(0);
    writer_finished_at_ = 0;
  }
  if (writer_checkpoints_.load()) {
    if (pages >= kThresholdPages) FinishOnWriter(pages);
    return;
  }
  int left = pages - backfilled;
  bool catching_up = backfilled > 0;
  if ((catching_up && left <= kWriterFinishesPages) || pages >= kWriterMustFinishPages) {
    FinishOnWriter(pages);
    return;
  }
  if (left < kThresholdPages && !catching_up) return;
  {
    std::lock_guard lock(mutex_);
    wanted_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::FinishOnWriter(int pages) {
  if (writer_finished_at_ > 0 && pages - writer_finished_at_ < kWriterFinishesPages) return;
  int frames = 0;
  int copied = 0;
  int rc = sqlite3_wal_checkpoint_v2(writer_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames,
                                     &copied);
  if (rc != SQLITE_OK) return;  // busy: the checkpointer is copying; after the next commit
  writer_finished_at_ = pages;
  if (copied > backfilled_.load()) backfilled_.store(copied);
}

uint64_t Checkpointer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

void Checkpointer::Loop() {
  NameThisThread("jingsai-ckpt");
  Database::Options options;
  options.synchronous = synchronous_;
  engine::Result<std::unique_ptr<Database>> opened = Database::Open(writer_.path(), options);
  if (!opened.ok()) {
    // Without its own connection the writer checkpoints after its commits
    // again; nothing is lost, the commits only wait for the checkpoints.
    spdlog::warn("检查点线程无法打开数据库，改由写入线程执行：{}", opened.error().message);
    writer_checkpoints_.store(true);  // the writer's connection is the writer thread's alone
    return;
  }
  std::unique_ptr<Database> db = std::move(opened).value();
  sqlite3_wal_autocheckpoint(db->handle(), 0);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || wanted_; });
      if (stopping_) return;
      wanted_ = false;
    }
    int frames = 0;
    int copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames,
                                       &copied);
    if (rc == SQLITE_OK) backfilled_.store(copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("检查点失败：{}", sqlite3_errmsg(db->handle()));
    }
    std::lock_guard lock(mutex_);
    ++checkpoints_;
  }
}

}  // namespace jingsai::storage
