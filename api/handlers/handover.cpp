// Handing an item over (转办): a reviewer passes an item at their stage to
// another reviewer of the same scope, on the record.
#include <boost/json.hpp>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/handlers/stage_entry.h"
#include "api/json_codec.h"
#include "api/write.h"
#include "engine/transition.h"
#include "storage/history.h"
#include "storage/items.h"
#include "storage/users.h"

namespace jingsai::api {
namespace {

struct HandoverRequest {
  std::string to;
  std::string comment;
};

engine::Result<Response> HandOver(App& app, storage::Database& db, int64_t id,
                                  std::string_view kind, const HandoverRequest& handover,
                                  const engine::Actor& actor, const IfMatch& expected) {
  engine::Result<storage::ItemRecord> loaded = LoadVisibleItem(app, db, id, kind, actor);
  if (!loaded.ok()) return std::move(loaded).error();
  storage::ItemRecord& item = loaded.value();
  if (engine::Status holds = expected.Check(item.instance.version); !holds.ok()) {
    return std::move(holds).error();
  }
  storage::FlowPtr flow = app.catalog().Flow(item.flow_key, item.flow_version);
  if (flow == nullptr) return engine::Error::Internal("flow of item is missing");
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  // Who may not hand it over learns nothing about the receiver.
  if (engine::Status may = engine::CheckMayHandOver(*flow, *orgs, item.instance, actor);
      !may.ok()) {
    return std::move(may).error();
  }
  engine::Result<std::optional<storage::UserRecord>> target =
      storage::FindUserByName(db, handover.to);
  if (!target.ok()) return std::move(target).error();
  if (!target.value() || target.value()->disabled) {
    return engine::Error::BadRequest("没有这个用户：" + handover.to,
                                     {{"to", "没有这个用户：" + handover.to, ""}});
  }
  const engine::Stage* stage = flow->FindStage(item.instance.stage);
  engine::ActorsByStage acted;
  if (!stage->separate_from.empty()) {
    engine::Result<engine::ActorsByStage> past = ActedByStage(db, item.instance.id);
    if (!past.ok()) return std::move(past).error();
    acted = std::move(past).value();
  }
  const engine::Actor receiver = ActorOf(*target.value());
  if (engine::Status allowed =
          engine::CheckHandover(*flow, *orgs, item.instance, actor, receiver, &acted);
      !allowed.ok()) {
    return std::move(allowed).error();
  }

  const int64_t previous_version = item.instance.version;
  engine::StageDecisions& decisions = item.instance.decisions;
  if (engine::IsMultiApprover(*stage) && !decisions.approvers.empty()) {
    // The receiver takes the giver's place among the approvers.
    std::replace(decisions.approvers.begin(), decisions.approvers.end(), actor.user_id,
                 receiver.user_id);
    std::sort(decisions.approvers.begin(), decisions.approvers.end());
  } else {
    item.instance.assignee = receiver.user_id;
  }
  item.instance.version += 1;
  const std::string at = app.NowText();
  item.updated_at = at;
  item.last_action = "handover";
  std::string comment = "转办给 " + receiver.username;
  if (!handover.comment.empty()) comment += "：" + handover.comment;
  engine::Fact fact{"handover", item.instance.stage, item.instance.stage, comment};
  engine::Result<storage::HistoryRecord> row =
      storage::AppendHistory(db, item, fact, actor.user_id, actor.username, at);
  if (!row.ok()) return std::move(row).error();
  if (engine::Status status = storage::UpdateItem(db, item, previous_version); !status.ok()) {
    return std::move(status).error();
  }
  return ItemResponse(app, 200, item, actor);
}

void PostHandover(App& app, Request request, const std::string& id_text, std::string_view kind,
                  Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return RespondError(respond, engine::Error::NotFound("没有这个事项：" + id_text));
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  FieldReader fields(body.value());
  HandoverRequest handover{fields.RequiredString("to"),
                           fields.OptionalString("comment").value_or("")};
  if (engine::Status status = fields.Finish(); !status.ok()) {
    return RespondError(respond, status.error());
  }
  engine::Result<IfMatch> if_match = IfMatch::From(request);
  if (!if_match.ok()) return RespondError(respond, if_match.error());
  ExecuteWrite(
      app, request, *principal,
      [&app, id = *id, kind, handover, actor = principal->actor, expected = if_match.value()](
          storage::Database& db) { return HandOver(app, db, id, kind, handover, actor, expected); },
      std::move(respond));
}

}  // namespace

void RegisterHandoverRoutes(Router& router, App& app) {
  for (std::string_view kind : {storage::kKindSubmission, storage::kKindNomination}) {
    router.Add("POST", "/api/v1/" + std::string(kind) + "s/{id}/handover",
               [&app, kind](Request request, PathParams params, Respond respond) {
                 PostHandover(app, std::move(request), params["id"], kind, std::move(respond));
               });
  }
}

}  // namespace jingsai::api
