#include "storage/reader_pool.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace jingsai::storage {

ReaderPool::Lease::~Lease() {
  if (db_ != nullptr) pool_->Release(std::move(db_));
}

ReaderPool::Lease ReaderPool::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Database> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(db));
    }
  }
  Database::Options options;
  options.read_only = true;
  engine::Result<std::unique_ptr<Database>> opened = Database::Open(path_, options);
  if (!opened.ok()) throw std::runtime_error(opened.error().message);
  return Lease(this, std::move(opened).value());
}

void ReaderPool::Release(std::unique_ptr<Database> db) {
  // A connection that goes back still reading would answer every later
  // request from its old snapshot: end it here, and say so (a bug).
  if (std::string open = db->EndOpenReads(); !open.empty()) {
    spdlog::error("只读连接归还时仍在读取，已结束：{}", open);
  }
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(db));
}

}  // namespace jingsai::storage
