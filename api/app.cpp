#include "api/app.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>

#include "api/auth.h"
#include "api/bootstrap.h"
#include "api/handlers/handlers.h"
#include "api/inbox_pages.h"
#include "api/item_views.h"
#include "engine/time_format.h"
#include "storage/migrations.h"

namespace jingsai::api {
namespace {

// Stamps of items read since the last commit (about 64 bytes each): all of
// them are dropped at the next commit, or when this many are kept.
constexpr size_t kStampsKept = 65536;

}  // namespace

struct App::BlockingPool {
  boost::asio::thread_pool pool{2};
};

App::App(Config config)
    : config_(std::move(config)),
      auth_cache_(std::make_unique<AuthCache>()),
      item_views_(std::make_unique<ItemViews>(config_.item_cache_bytes)),
      inbox_pages_(std::make_unique<InboxPages>(config_.inbox_cache_bytes)),
      blocking_(std::make_unique<BlockingPool>()) {
  if (!config_.clock) config_.clock = [] { return std::chrono::system_clock::now(); };
}

App::~App() {
  // Finish blocking work (which may still submit to the writer) before the
  // writer and its database go away.
  blocking_->pool.join();
}

engine::Result<std::unique_ptr<App>> App::Open(Config config) {
  if (sodium_init() < 0) return engine::Error::Internal("libsodium failed to initialize");
  std::unique_ptr<App> app(new App(std::move(config)));

  storage::Database::Options options;
  options.synchronous = app->config_.synchronous;
  options.cache_kib = 64 * 1024;  // the writer's: a batch's pages and the hot indexes
  engine::Result<std::unique_ptr<storage::Database>> db =
      storage::Database::Open(app->config_.db_path, options);
  if (!db.ok()) return std::move(db).error();
  if (engine::Status migrated = storage::Migrate(*db.value()); !migrated.ok()) {
    return std::move(migrated).error();
  }
  storage::Catalog& catalog = app->catalog_;
  app->stage_index_ = std::make_unique<storage::StageIndex>(
      [&catalog](std::string_view flow_key, int version, std::string_view stage) {
        storage::FlowPtr flow = catalog.Flow(flow_key, version);
        const engine::Stage* at = flow ? flow->FindStage(stage) : nullptr;
        return at == nullptr || at->actor.has_value();
      });
  app->writer_ = std::make_unique<storage::Writer>(std::move(db).value(), /*max_batch=*/512,
                                                   app->stage_index_.get());
  app->readers_ = std::make_unique<storage::ReaderPool>(app->config_.db_path);
  app->generation_watch_ = std::make_unique<storage::GenerationWatch>(app->config_.db_path);
  app->stamp_watch_ =
      std::make_unique<storage::StampWatch>(app->generation_watch_->header(), kStampsKept);

  BootstrapOptions bootstrap{app->config_.admin_password, app->config_.demo, app->NowText()};
  if (engine::Status status = Bootstrap(*app->writer_, bootstrap); !status.ok()) {
    return std::move(status).error();
  }
  if (engine::Status loaded = app->catalog_.Load(*app->readers_->Acquire()); !loaded.ok()) {
    return std::move(loaded).error();
  }
  // After the catalog, which tells which stages anyone acts at.
  const auto loading = std::chrono::steady_clock::now();
  if (engine::Status loaded = app->stage_index_->Load(*app->readers_->Acquire()); !loaded.ok()) {
    return std::move(loaded).error();
  }
  spdlog::info("待办索引：{} 个事项在有人办理的阶段，载入用时 {} 毫秒", app->stage_index_->size(),
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - loading)
                   .count());
  app->RegisterRoutes();
  return app;
}

void App::RegisterRoutes() {
  RegisterSystemRoutes(router_, *this);
  RegisterIdentityRoutes(router_, *this);
  RegisterUserRoutes(router_, *this);
  RegisterOrgRoutes(router_, *this);
  RegisterFlowRoutes(router_, *this);
  RegisterCampaignRoutes(router_, *this);
  RegisterSubmissionRoutes(router_, *this);
  RegisterActionRoutes(router_, *this);
  RegisterEvidenceRoutes(router_, *this);
  RegisterListRoutes(router_, *this);
  RegisterNominationRoutes(router_, *this);
  RegisterVoteRoutes(router_, *this);
  RegisterCommendationRoutes(router_, *this);
  RegisterHandoverRoutes(router_, *this);
  RegisterFlowMigrationRoutes(router_, *this);
  RegisterStaticRoutes(router_, *this);
}

size_t App::BodyLimitFor(std::string_view method, std::string_view path) const {
  constexpr std::string_view kPrefix = "/api/v1/submissions/";
  constexpr std::string_view kSuffix = "/evidence";
  bool upload = method == "POST" && path.size() > kPrefix.size() + kSuffix.size() &&
                path.substr(0, kPrefix.size()) == kPrefix &&
                path.substr(path.size() - kSuffix.size()) == kSuffix;
  return upload ? config_.evidence_body_limit : config_.json_body_limit;
}

engine::TimePoint App::Now() const { return config_.clock(); }

std::string App::NowText() const { return engine::FormatTime(Now()); }

void App::RunBlocking(std::function<void()> work) {
  boost::asio::post(blocking_->pool, std::move(work));
}

}  // namespace jingsai::api
