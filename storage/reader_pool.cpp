#include "storage/reader_pool.h"

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
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(db));
}

}  // namespace jingsai::storage
