// ReaderPool: read-only connections for queries that skip the writer. WAL
// lets them read beside the writer; each sees the last committed state.
//
// Thread-safety: Acquire may be called from any thread; a Lease is used by
// one thread and returns its connection to the pool when destroyed.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/result.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

class ReaderPool {
 public:
  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Database> db_;
  };

  explicit ReaderPool(std::string path) : path_(std::move(path)) {}
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  // A connection of the pool, opened on demand. Throws std::runtime_error if
  // the database cannot be opened (the server cannot go on without it).
  Lease Acquire();

 private:
  void Release(std::unique_ptr<Database> db);

  const std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Database>> idle_;  // GUARDED_BY(mutex_)
};

}  // namespace jingsai::storage
