// App: everything a handler needs — storage, the catalog, the clock, the
// configuration — opened and wired once, shared by all requests.
//
// Thread-safety: all members are safe to use from any thread (see each
// member's own rules). The clock is injected so tests are deterministic.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "api/router.h"
#include "engine/campaign.h"
#include "engine/result.h"
#include "storage/catalog.h"
#include "storage/generation_watch.h"
#include "storage/reader_pool.h"
#include "storage/stage_index.h"
#include "storage/stamp_watch.h"
#include "storage/writer.h"

namespace jingsai::api {

using Clock = std::function<engine::TimePoint()>;
class AuthCache;
class ItemViews;
class InboxPages;

struct Config {
  std::string db_path = "jingsai.db";
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 0;  // 0: the number of cores
  bool demo = false;
  std::string admin_password;  // empty: generate one and log it once
  std::string synchronous = "FULL";
  size_t json_body_limit = 1 << 20;
  size_t evidence_body_limit = 20 << 20;
  size_t header_limit = 16 << 10;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::hours token_ttl{12};
  // Memory for items kept rendered between reads (ItemViews).
  size_t item_cache_bytes = 32 << 20;
  // Memory for reviewers' inbox pages kept between reads (InboxPages).
  size_t inbox_cache_bytes = 8 << 20;
  Clock clock;  // empty: the system clock
};

class App {
 public:
  // Opens (or creates) the database, applies migrations, loads the built-ins
  // into an empty database, creates the admin (and the demo data), loads the
  // catalog and registers every route.
  static engine::Result<std::unique_ptr<App>> Open(Config config);
  App(const App&) = delete;
  App& operator=(const App&) = delete;
  ~App();

  const Config& config() const { return config_; }
  const Router& router() const { return router_; }
  storage::Catalog& catalog() { return catalog_; }
  storage::Writer& writer() { return *writer_; }
  storage::ReaderPool& readers() { return *readers_; }
  const storage::StageIndex& stage_index() const { return *stage_index_; }
  AuthCache& auth_cache() { return *auth_cache_; }
  ItemViews& item_views() { return *item_views_; }
  InboxPages& inbox_pages() { return *inbox_pages_; }
  storage::GenerationWatch& generation_watch() { return *generation_watch_; }
  storage::StampWatch& stamp_watch() { return *stamp_watch_; }

  // The largest body a request to `path` may carry: evidence uploads take
  // files, everything else JSON.
  size_t BodyLimitFor(std::string_view method, std::string_view path) const;

  engine::TimePoint Now() const;
  std::string NowText() const;

  // Counts the answers stored under an Idempotency-Key, so that every so many
  // stores the writer also purges the keys past their retention.
  uint64_t CountIdempotentStore() { return ++idempotent_stores_; }

  // Runs CPU-heavy work (password hashing) off the I/O threads.
  void RunBlocking(std::function<void()> work);

 private:
  explicit App(Config config);
  void RegisterRoutes();

  Config config_;
  storage::Catalog catalog_;
  std::unique_ptr<storage::ReaderPool> readers_;
  std::unique_ptr<storage::StageIndex> stage_index_;  // outlives the writer, which keeps it
  std::unique_ptr<storage::Writer> writer_;
  std::unique_ptr<AuthCache> auth_cache_;
  std::unique_ptr<ItemViews> item_views_;
  std::unique_ptr<InboxPages> inbox_pages_;
  std::unique_ptr<storage::GenerationWatch> generation_watch_;
  std::unique_ptr<storage::StampWatch> stamp_watch_;
  std::atomic<uint64_t> idempotent_stores_{0};
  Router router_;
  struct BlockingPool;
  std::unique_ptr<BlockingPool> blocking_;
};

}  // namespace jingsai::api
