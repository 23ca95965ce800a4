// Moving the open items of one flow version to a later version, with an
// explicit stage mapping: all of them or none.
#include <boost/json.hpp>
#include <map>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/handlers/stage_entry.h"
#include "api/json_codec.h"
#include "api/write.h"
#include "engine/time_format.h"
#include "engine/transition.h"
#include "storage/history.h"
#include "storage/items.h"

namespace jingsai::api {
namespace {

struct Migration {
  std::string key;
  int from_version = 0;
  int to_version = 0;
  std::map<std::string, std::string> mapping;  // old stage -> new stage
};

engine::Result<Migration> DecodeMigration(App& app, const std::string& key,
                                          const boost::json::object& body) {
  FieldReader fields(body);
  Migration migration;
  migration.key = key;
  storage::FlowPtr latest = app.catalog().LatestFlow(key);
  if (latest == nullptr) return engine::Error::NotFound("没有这个流程：" + key);
  std::optional<int64_t> from = fields.OptionalInt("from_version");
  if (!body.contains("from_version")) fields.Problem("from_version", "缺少必填字段");
  std::optional<int64_t> to = fields.OptionalInt("to_version");
  migration.from_version = static_cast<int>(from.value_or(0));
  migration.to_version = static_cast<int>(to.value_or(latest->version));
  storage::FlowPtr source = app.catalog().Flow(key, migration.from_version);
  storage::FlowPtr target = app.catalog().Flow(key, migration.to_version);
  if (from && source == nullptr) fields.Problem("from_version", "没有这个版本");
  if (target == nullptr) fields.Problem("to_version", "没有这个版本");
  if (source && target && migration.to_version <= migration.from_version) {
    fields.Problem("to_version", "只能迁移到更新的版本");
  }
  const boost::json::value* mapping = fields.Required("mapping");
  const boost::json::object* pairs = mapping ? mapping->if_object() : nullptr;
  if (mapping != nullptr && pairs == nullptr)
    fields.Problem("mapping", "须为 {旧阶段: 新阶段} 对象");
  for (const auto& entry : pairs ? *pairs : boost::json::object{}) {
    const std::string path = "mapping." + std::string(entry.key());
    const boost::json::string* stage = entry.value().if_string();
    if (stage == nullptr) {
      fields.Problem(path, "须为新版本的阶段 id");
      continue;
    }
    const engine::Stage* previous = source ? source->FindStage(entry.key()) : nullptr;
    if (source && previous == nullptr) {
      fields.Problem(path, "原版本没有阶段 " + std::string(entry.key()));
    }
    const engine::Stage* next = target ? target->FindStage(*stage) : nullptr;
    if (target && next == nullptr) {
      fields.Problem(path, "新版本没有阶段 " + std::string(*stage));
    } else if (next != nullptr && next->kind == engine::StageKind::kEnd) {
      fields.Problem(path, "不能把进行中的事项迁移到终止阶段");
    } else if (next != nullptr && previous != nullptr &&
               previous->kind == engine::StageKind::kEdit &&
               next->kind != engine::StageKind::kEdit) {
      // A draft moved into review would skip its submission and the
      // validators that the submission runs.
      fields.Problem(path, "填报中的事项只能迁移到填报阶段：未经提交不能进入审核");
    }
    migration.mapping.emplace(std::string(entry.key()), std::string(*stage));
  }
  if (engine::Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return migration;
}

engine::Result<Response> Migrate(App& app, storage::Database& db, const Migration& migration,
                                 const engine::Actor& actor) {
  storage::FlowPtr source = app.catalog().Flow(migration.key, migration.from_version);
  storage::FlowPtr target = app.catalog().Flow(migration.key, migration.to_version);
  engine::Result<std::vector<storage::ItemRecord>> items =
      storage::ListOnFlowVersion(db, migration.key, migration.from_version);
  if (!items.ok()) return std::move(items).error();
  // Only open items move; those that reached an end stage keep their record.
  std::vector<storage::ItemRecord> open;
  std::map<std::string, int> unmapped;
  for (storage::ItemRecord& item : items.value()) {
    const engine::Stage* stage = source->FindStage(item.instance.stage);
    if (stage != nullptr && stage->kind == engine::StageKind::kEnd) continue;
    if (!migration.mapping.contains(item.instance.stage)) ++unmapped[item.instance.stage];
    open.push_back(std::move(item));
  }
  if (!unmapped.empty()) {
    std::vector<engine::Detail> details;
    for (const auto& [stage, count] : unmapped) {
      details.push_back({"mapping." + stage,
                         std::to_string(count) + " 个事项处于阶段 " + stage + "，未指定迁移目标",
                         "migration.unmapped"});
    }
    return engine::Error::ValidationFailed("有事项所处的阶段未指定迁移目标，未迁移任何事项",
                                           std::move(details));
  }
  const engine::TimePoint now = app.Now();
  const std::string at = engine::FormatTime(now);
  boost::json::array moved;
  for (storage::ItemRecord& item : open) {
    const int64_t previous_version = item.instance.version;
    const std::string from = item.instance.stage;
    item.flow_version = migration.to_version;
    item.instance.stage = migration.mapping.at(from);
    item.instance.status = engine::StatusFor(*target, item.instance.stage, item.last_action);
    item.instance.version += 1;
    item.updated_at = at;
    // Moving to the same stage of a later version is no new entry: the time
    // already waited (and so the due time) and the decisions already given
    // stay, where the new version's stage has approvers too.
    const bool same_stage = item.instance.stage == from;
    const engine::StageDecisions given = item.instance.decisions;
    const std::optional<int64_t> assignee = item.instance.assignee;
    engine::TimePoint entered = now;
    if (same_stage) {
      entered = engine::ParseTime(item.stage_entered_at).value_or(now);
    } else {
      item.stage_entered_at = at;
    }
    if (engine::Status status = EnterStage(app, db, item, *target, entered); !status.ok()) {
      return std::move(status).error();
    }
    if (same_stage) {
      if (!given.approvers.empty() && !item.instance.decisions.approvers.empty()) {
        item.instance.decisions = given;
      }
      item.instance.assignee = assignee;
    }
    engine::Fact fact{"migrate", from, item.instance.stage,
                      "流程 " + migration.key + " 由版本 " +
                          std::to_string(migration.from_version) + " 迁移到版本 " +
                          std::to_string(migration.to_version)};
    engine::Result<storage::HistoryRecord> row =
        storage::AppendHistory(db, item, fact, actor.user_id, actor.username, at);
    if (!row.ok()) return std::move(row).error();
    if (engine::Status status = storage::UpdateItem(db, item, previous_version); !status.ok()) {
      return std::move(status).error();
    }
    if (engine::Status status = storage::MoveToFlowVersion(db, item.instance.id, item.flow_version);
        !status.ok()) {
      return std::move(status).error();
    }
    moved.push_back(item.instance.id);
  }
  return JsonResponse(200, {{"key", migration.key},
                            {"from_version", migration.from_version},
                            {"to_version", migration.to_version},
                            {"moved", moved.size()},
                            {"items", std::move(moved)}});
}

void PostMigration(App& app, Request request, const std::string& key, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal || !RequireAdmin(*principal, respond)) return;
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  engine::Result<Migration> migration = DecodeMigration(app, key, body.value());
  if (!migration.ok()) return RespondError(respond, migration.error());
  ExecuteWrite(
      app, request, *principal,
      [&app, migration = std::move(migration).value(), actor = principal->actor](
          storage::Database& db) { return Migrate(app, db, migration, actor); },
      std::move(respond));
}

}  // namespace

void RegisterFlowMigrationRoutes(Router& router, App& app) {
  router.Add("POST", "/api/v1/flows/{key}/migrations",
             [&app](Request request, PathParams params, Respond respond) {
               PostMigration(app, std::move(request), params["key"], std::move(respond));
             });
}

}  // namespace jingsai::api
