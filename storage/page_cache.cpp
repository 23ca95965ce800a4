#include "storage/page_cache.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <new>
#include <vector>

namespace jingsai::storage {
namespace {

sqlite3_pcache_methods2 sqlite_cache;  // SQLite's own, set before installing
std::atomic<uint64_t> truncations{0};
std::atomic<uint64_t> skipped{0};

// One connection's cache. SQLite calls an instance's methods only from the
// connection that made it (this program uses no shared cache, and each
// connection is used by one thread at a time), so it needs no lock.
struct Cache {
  sqlite3_pcache* inner = nullptr;
  TruncationFilter filter;
};

Cache* Of(sqlite3_pcache* cache) { return reinterpret_cast<Cache*>(cache); }

int Init(void*) { return sqlite_cache.xInit ? sqlite_cache.xInit(sqlite_cache.pArg) : SQLITE_OK; }

void Shutdown(void*) {
  if (sqlite_cache.xShutdown) sqlite_cache.xShutdown(sqlite_cache.pArg);
}

sqlite3_pcache* Create(int page_size, int extra_size, int purgeable) {
  sqlite3_pcache* inner = sqlite_cache.xCreate(page_size, extra_size, purgeable);
  if (inner == nullptr) return nullptr;
  Cache* cache = new (std::nothrow) Cache;
  if (cache == nullptr) {
    sqlite_cache.xDestroy(inner);
    return nullptr;
  }
  cache->inner = inner;
  return reinterpret_cast<sqlite3_pcache*>(cache);
}

void Cachesize(sqlite3_pcache* cache, int pages) {
  sqlite_cache.xCachesize(Of(cache)->inner, pages);
}

int Pagecount(sqlite3_pcache* cache) { return sqlite_cache.xPagecount(Of(cache)->inner); }

sqlite3_pcache_page* Fetch(sqlite3_pcache* cache, unsigned key, int create) {
  Cache* c = Of(cache);
  sqlite3_pcache_page* page = sqlite_cache.xFetch(c->inner, key, create);
  // Only a key that now holds a page counts: moving a page to a new number
  // first asks whether that number is taken, and the answer is no.
  if (page != nullptr) c->filter.Fetched(key);
  return page;
}

void Unpin(sqlite3_pcache* cache, sqlite3_pcache_page* page, int discard) {
  sqlite_cache.xUnpin(Of(cache)->inner, page, discard);
}

void Rekey(sqlite3_pcache* cache, sqlite3_pcache_page* page, unsigned old_key, unsigned new_key) {
  Cache* c = Of(cache);
  c->filter.Rekeyed(old_key, new_key);
  sqlite_cache.xRekey(c->inner, page, old_key, new_key);
}

void Truncate(sqlite3_pcache* cache, unsigned limit) {
  Cache* c = Of(cache);
  truncations.fetch_add(1, std::memory_order_relaxed);
  if (!c->filter.MayHoldFrom(limit)) {
    skipped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  sqlite_cache.xTruncate(c->inner, limit);
  c->filter.Truncated(limit);
}

void Destroy(sqlite3_pcache* cache) {
  Cache* c = Of(cache);
  sqlite_cache.xDestroy(c->inner);
  delete c;
}

void Shrink(sqlite3_pcache* cache) {
  if (sqlite_cache.xShrink) sqlite_cache.xShrink(Of(cache)->inner);
}

}  // namespace

void TruncationFilter::Fetched(unsigned key) { max_fetched_ = std::max(max_fetched_, key); }

void TruncationFilter::Rekeyed(unsigned old_key, unsigned new_key) {
  std::erase(rekeyed_, old_key);
  if (new_key > max_fetched_) rekeyed_.push_back(new_key);
}

bool TruncationFilter::MayHoldFrom(unsigned limit) const {
  return max_fetched_ >= limit || std::any_of(rekeyed_.begin(), rekeyed_.end(),
                                              [limit](unsigned key) { return key >= limit; });
}

void TruncationFilter::Truncated(unsigned limit) {
  if (limit > 0) max_fetched_ = std::min(max_fetched_, limit - 1);
  std::erase_if(rekeyed_, [limit](unsigned key) { return key >= limit; });
}

bool InstallPageCacheWrapper() {
  sqlite3_pcache_methods2 own{};
  if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &own) != SQLITE_OK || own.xCreate == nullptr) {
    return false;
  }
  sqlite_cache = own;
  sqlite3_pcache_methods2 wrapper{};
  wrapper.iVersion = own.iVersion;
  wrapper.xInit = Init;
  wrapper.xShutdown = Shutdown;
  wrapper.xCreate = Create;
  wrapper.xCachesize = Cachesize;
  wrapper.xPagecount = Pagecount;
  wrapper.xFetch = Fetch;
  wrapper.xUnpin = Unpin;
  wrapper.xRekey = Rekey;
  wrapper.xTruncate = Truncate;
  wrapper.xDestroy = Destroy;
  wrapper.xShrink = Shrink;
  return sqlite3_config(SQLITE_CONFIG_PCACHE2, &wrapper) == SQLITE_OK;
}

PageCacheCounts PageCacheCountsSoFar() {
  return {truncations.load(std::memory_order_relaxed), skipped.load(std::memory_order_relaxed)};
}

}  // namespace jingsai::storage
