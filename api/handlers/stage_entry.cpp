#include "api/handlers/stage_entry.h"

#include <algorithm>
#include <chrono>

#include "api/handlers/common.h"
#include "engine/time_format.h"
#include "engine/transition.h"
#include "storage/history.h"
#include "storage/items.h"
#include "storage/users.h"

namespace jingsai::api {

engine::Status EnterStage(App& app, storage::Database& db, storage::ItemRecord& item,
                          const engine::FlowDefinition& flow, engine::TimePoint now,
                          std::optional<ActingStep> acting) {
  const engine::Stage* stage = flow.FindStage(item.instance.stage);
  item.due_at.clear();
  item.instance.decisions = {};
  item.instance.assignee.reset();
  if (stage == nullptr) return engine::Ok{};
  if (stage->due_minutes) {
    item.due_at = engine::FormatTime(now + std::chrono::minutes{*stage->due_minutes});
  }
  if (engine::IsMultiApprover(*stage) && stage->actor) {
    std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
    const int64_t org = engine::ResolveScope(stage->actor->scope, *orgs, item.instance.org_id);
    engine::Result<std::vector<int64_t>> holders =
        storage::UsersWithRoleAt(db, stage->actor->role, org);
    if (!holders.ok()) return std::move(holders).error();
    std::vector<int64_t>& approvers = holders.value();
    std::erase(approvers, item.instance.created_by);
    // Who may not act here (they acted at a stage it is kept apart from) is
    // no approver: counted, they would hold the stage open for ever.
    if (!stage->separate_from.empty()) {
      engine::Result<std::map<std::string, std::set<int64_t>>> acted =
          ActedByStage(db, item.instance.id);
      if (!acted.ok()) return std::move(acted).error();
      if (acting) acted.value()[std::string(acting->from_stage)].insert(acting->user_id);
      for (const std::string& other : stage->separate_from) {
        auto found = acted.value().find(other);
        if (found == acted.value().end()) continue;
        std::erase_if(approvers, [&](int64_t user) { return found->second.contains(user); });
      }
    }
    item.instance.decisions.approvers = std::move(approvers);
  }
  return engine::Ok{};
}

engine::Result<std::map<std::string, std::set<int64_t>>> ActedByStage(storage::Database& db,
                                                                      int64_t item_id) {
  engine::Result<std::vector<storage::HistoryRecord>> rows = storage::LoadHistory(db, item_id);
  if (!rows.ok()) return std::move(rows).error();
  std::map<std::string, std::set<int64_t>> acted;
  for (const storage::HistoryRecord& row : rows.value()) {
    if (!row.from.empty() && row.actor_id) acted[row.from].insert(*row.actor_id);
  }
  return acted;
}

}  // namespace jingsai::api

namespace jingsai::api {

engine::Result<Response> InsertNewItem(App& app, storage::Database& db, storage::ItemRecord item,
                                       const engine::FlowDefinition& flow,
                                       const engine::Actor& actor, std::string_view collection) {
  const engine::TimePoint now = app.Now();
  const std::string at = engine::FormatTime(now);
  item.created_at = item.updated_at = item.stage_entered_at = at;
  engine::Result<int64_t> id = storage::InsertItem(db, item);
  if (!id.ok()) return std::move(id).error();
  item.instance.id = id.value();
  if (engine::Status status = EnterStage(app, db, item, flow, now); !status.ok()) {
    return std::move(status).error();
  }
  engine::Fact fact{"create", "", item.instance.stage, ""};
  engine::Result<storage::HistoryRecord> row =
      storage::AppendHistory(db, item, fact, actor.user_id, actor.username, at);
  if (!row.ok()) return std::move(row).error();
  if (engine::Status status = storage::UpdateItem(db, item, item.instance.version); !status.ok()) {
    return std::move(status).error();
  }
  const int64_t created = item.instance.id;
  // The next step on a new report (an upload, its submit) finds it kept.
  Response response = ItemResponse(app, 201, storage::KeepWrittenStep(db, std::move(item)), actor);
  response.headers.emplace_back("Location",
                                std::string(collection) + "/" + std::to_string(created));
  return response;
}

}  // namespace jingsai::api
