// Moving an item through its flow, and reading its history.
#include <boost/json.hpp>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/json_codec.h"
#include "api/write.h"
#include "engine/time_format.h"
#include "engine/transition.h"
#include "storage/history.h"
#include "storage/items.h"

namespace jingsai::api {
namespace {

engine::Result<engine::Command> DecodeCommand(const Request& request) {
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return std::move(body).error();
  FieldReader fields(body.value());
  engine::Command command;
  command.action = fields.RequiredString("action");
  command.comment = fields.OptionalString("comment").value_or("");
  command.to = fields.OptionalString("to").value_or("");
  if (engine::Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return command;
}

// Loads the item, applies the command through the engine, and writes the
// item and its history row, all inside the writer's transaction.
engine::Result<Response> ApplyAction(App& app, storage::Database& db, int64_t id,
                                     std::string_view kind, const engine::Command& command,
                                     const engine::Actor& actor,
                                     std::optional<int64_t> expected_version) {
  engine::Result<storage::ItemRecord> loaded = LoadVisibleItem(app, db, id, kind, actor);
  if (!loaded.ok()) return std::move(loaded).error();
  storage::ItemRecord& item = loaded.value();
  if (expected_version && *expected_version != item.instance.version) {
    return engine::Error::VersionMismatch("事项已更新到版本 " +
                                          std::to_string(item.instance.version));
  }
  storage::FlowPtr flow = app.catalog().Flow(item.flow_key, item.flow_version);
  if (flow == nullptr) return engine::Error::Internal("flow of item is missing");
  storage::CampaignPtr campaign = app.catalog().Campaign(item.campaign);
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  std::vector<engine::EvidenceInfo> evidence;
  engine::TimePoint now = app.Now();
  engine::TransitionContext context{flow.get(), orgs.get(), campaign.get(), &evidence, now};

  engine::Result<engine::Transition> moved = engine::Apply(context, item.instance, command, actor);
  if (!moved.ok()) return std::move(moved).error();

  int64_t previous_version = item.instance.version;
  std::string at = engine::FormatTime(now);
  if (moved->next.stage != item.instance.stage) item.stage_entered_at = at;
  item.instance = std::move(moved->next);
  item.last_action = command.action;
  item.updated_at = at;
  engine::Result<storage::HistoryRecord> row =
      storage::AppendHistory(db, item, moved->fact, actor.user_id, actor.username, at);
  if (!row.ok()) return std::move(row).error();
  if (engine::Status status = storage::UpdateItem(db, item, previous_version); !status.ok()) {
    return std::move(status).error();
  }
  return ItemResponse(app, 200, item, actor);
}

void PostAction(App& app, Request request, const std::string& id_text, std::string kind,
                Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return RespondError(respond, engine::Error::NotFound("没有这个事项：" + id_text));
  engine::Result<engine::Command> command = DecodeCommand(request);
  if (!command.ok()) return RespondError(respond, command.error());
  engine::Result<std::optional<int64_t>> if_match = IfMatchVersion(request);
  if (!if_match.ok()) return RespondError(respond, if_match.error());
  ExecuteWrite(
      app, request, *principal,
      [&app, id = *id, kind, command = std::move(command).value(), actor = principal->actor,
       expected = if_match.value()](storage::Database& db) {
        return ApplyAction(app, db, id, kind, command, actor, expected);
      },
      std::move(respond));
}

void GetHistory(App& app, Request request, const std::string& id_text, std::string_view kind,
                Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return RespondError(respond, engine::Error::NotFound("没有这个事项：" + id_text));
  storage::ReaderPool::Lease db = app.readers().Acquire();
  engine::Result<storage::ItemRecord> item = LoadVisibleItem(app, *db, *id, kind, principal->actor);
  if (!item.ok()) return RespondError(respond, item.error());
  engine::Result<std::vector<storage::HistoryRecord>> rows = storage::LoadHistory(*db, *id);
  if (!rows.ok()) return RespondError(respond, rows.error());
  boost::json::array items;
  for (const storage::HistoryRecord& row : rows.value()) {
    items.push_back(
        {{"seq", row.seq},
         {"at", row.at},
         {"actor", row.actor},
         {"action", row.action},
         {"from", row.from.empty() ? boost::json::value(nullptr) : boost::json::value(row.from)},
         {"to", row.to},
         {"comment", row.comment},
         {"data_hash", row.data_hash},
         {"prev_hash", row.prev_hash},
         {"hash", row.hash}});
  }
  respond(JsonResponse(200, {{"items", std::move(items)}, {"head", item->history_head}}));
}

}  // namespace

void RegisterActionRoutes(Router& router, App& app) {
  router.Add("POST", "/api/v1/submissions/{id}/actions",
             [&app](Request request, PathParams params, Respond respond) {
               PostAction(app, std::move(request), params["id"],
                          std::string(storage::kKindSubmission), std::move(respond));
             });
  router.Add("GET", "/api/v1/submissions/{id}/history",
             [&app](Request request, PathParams params, Respond respond) {
               GetHistory(app, std::move(request), params["id"], storage::kKindSubmission,
                          std::move(respond));
             });
}

}  // namespace jingsai::api
