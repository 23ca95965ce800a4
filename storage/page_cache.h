// SQLite's own page cache, behind a thin wrapper that skips the truncations
// that cannot drop a page.
//
// Every transaction ends by truncating the connection's page cache to the
// database's size. SQLite's cache does that cheaply while the highest key it
// was ever given lies within the database, and otherwise walks every bucket
// of its hash table (8,192 for the writer's cache). When a B-tree split
// reorders its new pages, SQLite 3.40 gives one of them the pending-byte page
// number (262,145 with 4 KB pages) for a moment, and the cache remembers that
// key as its highest until the next truncation that runs: so in a database
// under 1 GB nearly every commit of the writer walked the whole table, cache
// misses all the way (7-9% of the writer's time under the review mix).
//
// The wrapper tracks, per cache, the highest key that held a page when
// fetched and the keys that a
// rekey moved past it and that no later rekey moved away. A truncation to a
// limit above all of them has nothing to drop and is skipped; any other runs
// in SQLite's cache as before.
#pragma once

#include <cstdint>
#include <vector>

namespace jingsai::storage {

// What one cache may hold past a truncation's limit, from the keys that
// came and went: a truncation is needed only when a page may be at or past
// its limit.
class TruncationFilter {
 public:
  // A fetch of `key` that found or made a page.
  void Fetched(unsigned key);
  void Rekeyed(unsigned old_key, unsigned new_key);
  bool MayHoldFrom(unsigned limit) const;
  // The cache dropped every page at or past `limit`.
  void Truncated(unsigned limit);

 private:
  unsigned max_fetched_ = 0;
  // Keys above max_fetched_ that a rekey gave a page, unless a later rekey
  // moved that page on (a discarded page may stay listed: harmless).
  std::vector<unsigned> rekeyed_;
};

// Installs the wrapper for the whole process. Must run before SQLite's first
// use; returns false (and installs nothing) when SQLite is already in use.
bool InstallPageCacheWrapper();

struct PageCacheCounts {
  uint64_t truncations = 0;  // asked of the wrapper
  uint64_t skipped = 0;      // of those, with nothing to drop
};
PageCacheCounts PageCacheCountsSoFar();

}  // namespace jingsai::storage
