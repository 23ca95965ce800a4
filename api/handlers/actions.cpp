// Moving an item through its flow, and reading its history.
#include <boost/json.hpp>
#include <map>
#include <set>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/handlers/stage_entry.h"
#include "api/json_codec.h"
#include "api/write.h"
#include "engine/progress.h"
#include "engine/report_diff.h"
#include "engine/time_format.h"
#include "engine/transition.h"
#include "storage/evidence.h"
#include "storage/history.h"
#include "storage/items.h"
#include "storage/progress_totals.h"
#include "storage/snapshots.h"

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

// A return keeps a snapshot (to show what changed on resubmission), which
// the item then names as its latest: written before the item.
engine::Status KeepReturnSnapshot(storage::Database& db, storage::ItemRecord& item,
                                  const storage::HistoryRecord& row, std::string_view data_text,
                                  const std::vector<engine::EvidenceInfo>& evidence) {
  if (row.action != engine::kActionReturn) return engine::Ok{};
  return storage::SaveSnapshot(db, item, row.seq, data_text, evidence);
}

// An approved report adds its counts to the campaign's progress, in the
// step's transaction.
engine::Status CountIfApproved(storage::Database& db, const engine::FlowDefinition& flow,
                               const engine::Campaign* campaign, const storage::ItemRecord& item) {
  const engine::Stage* stage = flow.FindStage(item.instance.stage);
  bool approved_report = item.kind == storage::kKindSubmission && stage != nullptr &&
                         stage->kind == engine::StageKind::kEnd &&
                         item.instance.status == "approved";
  if (approved_report && campaign != nullptr) {
    engine::IndicatorTotals counts;
    engine::AddReportCounts(*campaign, item.instance.data, counts);
    return storage::AddToTotals(db, item.campaign, item.county_scope_id, counts);
  }
  return engine::Ok{};
}

// A step decided on the item's state: the item after it, its history row
// chained to the head it was decided on, and what it implies.
struct PlannedStep {
  storage::ItemRecord item;
  int64_t based_on_version = 0;
  storage::HistoryRecord row;
  std::string data_text;  // item.instance.data serialized
  std::vector<engine::EvidenceInfo> evidence;
  storage::FlowPtr flow;
  storage::CampaignPtr campaign;
};

// Everything a step reads and decides, before anything is written.
engine::Result<PlannedStep> PlanAction(App& app, storage::Database& db, int64_t id,
                                       std::string_view kind, const engine::Command& command,
                                       const engine::Actor& actor,
                                       const IfMatch& expected_version) {
  engine::Result<storage::ItemRecord> loaded =
      LoadVisibleItem(app, db, id, kind, actor, storage::LoadFor::kStep);
  if (!loaded.ok()) return std::move(loaded).error();
  PlannedStep plan;
  plan.item = std::move(loaded).value();
  storage::ItemRecord& item = plan.item;
  if (engine::Status holds = expected_version.Check(item.instance.version); !holds.ok()) {
    return std::move(holds).error();
  }
  plan.flow = app.catalog().Flow(item.flow_key, item.flow_version);
  if (plan.flow == nullptr) return engine::Error::Internal("flow of item is missing");
  const engine::FlowDefinition& flow = *plan.flow;
  plan.campaign = app.catalog().Campaign(item.campaign);
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  const engine::Stage* current = flow.FindStage(item.instance.stage);
  // The evidence is read only for what reads it: the action's validators,
  // and the snapshot a return keeps.
  const engine::ActionSpec* action = current ? current->FindAction(command.action) : nullptr;
  const bool reads_evidence =
      action == nullptr || !action->validators.empty() || command.action == engine::kActionReturn;
  if (reads_evidence) {
    engine::Result<std::vector<storage::EvidenceRecord>> attached =
        storage::ListEvidence(db, item.instance.id);
    if (!attached.ok()) return std::move(attached).error();
    plan.evidence = storage::InfosOf(attached.value());
  }
  engine::TimePoint now = app.Now();
  engine::TransitionContext context{&flow, orgs.get(), plan.campaign.get(),
                                    reads_evidence ? &plan.evidence : nullptr, now};
  std::map<std::string, std::set<int64_t>> acted;
  if (current != nullptr && !current->separate_from.empty()) {
    engine::Result<std::map<std::string, std::set<int64_t>>> past =
        ActedByStage(db, item.instance.id);
    if (!past.ok()) return std::move(past).error();
    acted = std::move(past).value();
    context.acted_by_stage = &acted;
  }

  // The plan is dropped when the engine refuses, so the item goes in whole.
  plan.based_on_version = item.instance.version;
  engine::Result<engine::Transition> moved =
      engine::Apply(context, std::move(item.instance), command, actor);
  if (!moved.ok()) return std::move(moved).error();

  std::string at = engine::FormatTime(now);
  const bool entered = moved->next.stage != moved->fact.from;
  item.instance = std::move(moved->next);
  if (entered) {
    item.stage_entered_at = at;
    if (engine::Status status =
            EnterStage(app, db, item, flow, now, ActingStep{moved->fact.from, actor.user_id});
        !status.ok()) {
      return std::move(status).error();
    }
  }
  item.last_action = command.action;
  item.updated_at = at;
  plan.data_text = boost::json::serialize(item.instance.data);
  plan.row =
      storage::ChainNextRow(item, plan.data_text, moved->fact, actor.user_id, actor.username, at);
  item.history_seq = plan.row.seq;    // written with the row, in WritePlannedStep
  item.history_head = plan.row.hash;  // (which also sets the row's rowid)
  return plan;
}

// Writes a planned step, if the stored item is still at the version it was
// planned on (kVersionMismatch otherwise), and gives the item as written. The
// history row and the snapshot go first: the item names their rowids.
engine::Result<std::shared_ptr<const storage::ItemRecord>> WritePlannedStep(storage::Database& db,
                                                                            PlannedStep& plan) {
  engine::Result<int64_t> history_row = storage::InsertHistory(db, plan.row);
  if (!history_row.ok()) return std::move(history_row).error();
  plan.item.history_row = history_row.value();
  if (engine::Status status =
          KeepReturnSnapshot(db, plan.item, plan.row, plan.data_text, plan.evidence);
      !status.ok()) {
    return std::move(status).error();
  }
  if (engine::Status status =
          storage::UpdateItem(db, plan.item, plan.based_on_version, plan.data_text);
      !status.ok()) {
    return std::move(status).error();
  }
  std::shared_ptr<const storage::ItemRecord> written =
      storage::KeepWrittenStep(db, std::move(plan.item));
  if (engine::Status status = CountIfApproved(db, *plan.flow, plan.campaign.get(), *written);
      !status.ok()) {
    return std::move(status).error();
  }
  return written;
}

}  // namespace

// Loads the item, applies the command through the engine, and writes the
// item and its history row, all inside the writer's transaction.
engine::Result<Response> ApplyAction(App& app, storage::Database& db, int64_t id,
                                     std::string_view kind, const engine::Command& command,
                                     const engine::Actor& actor, const IfMatch& expected_version) {
  engine::Result<PlannedStep> plan =
      PlanAction(app, db, id, kind, command, actor, expected_version);
  if (!plan.ok()) return std::move(plan).error();
  engine::Result<std::shared_ptr<const storage::ItemRecord>> written =
      WritePlannedStep(db, plan.value());
  if (!written.ok()) return std::move(written).error();
  return ItemResponse(app, 200, std::move(written).value(), actor);
}

namespace {

void PostAction(App& app, Request request, const std::string& id_text, std::string kind,
                Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return RespondError(respond, engine::Error::NotFound("没有这个事项：" + id_text));
  engine::Result<engine::Command> command = DecodeCommand(request);
  if (!command.ok()) return RespondError(respond, command.error());
  engine::Result<IfMatch> if_match = IfMatch::From(request);
  if (!if_match.ok()) return RespondError(respond, if_match.error());
  // Decided inside the writer, not on a reader beside it: SQLite empties a
  // reader's page cache after every commit, so under a stream of steps the
  // reads cost more there than they take from the writer (bench/README.md).
  ExecuteWrite(
      app, request, *principal,
      [&app, id = *id, kind, command = std::move(command).value(), actor = principal->actor,
       expected = if_match.value()](storage::Database& db) {
        return ApplyAction(app, db, id, kind, command, actor, expected);
      },
      std::move(respond));
}

boost::json::object EncodeHistoryRow(const storage::HistoryRecord& row) {
  return {{"seq", row.seq},
          {"at", row.at},
          {"actor", row.actor},
          {"action", row.action},
          {"from", row.from.empty() ? boost::json::value(nullptr) : boost::json::value(row.from)},
          {"to", row.to},
          {"comment", row.comment},
          {"data_hash", row.data_hash},
          {"prev_hash", row.prev_hash},
          {"hash", row.hash}};
}

// The rows oldest first, a page at a time like every list; the cursor is the
// seq of the last row given, and `head` is the hash of the item's newest row.
void GetHistory(App& app, Request request, const std::string& id_text, std::string_view kind,
                Respond respond) {
  std::optional<VisibleRead> read = ReadVisibleItem(app, request, id_text, kind, respond);
  if (!read) return;
  engine::Result<PageRequest> page = ParsePage(request);
  if (!page.ok()) return RespondError(respond, page.error());
  storage::Database& db = *read->db;
  const storage::ItemRecord& item = read->item;
  engine::Result<std::vector<storage::HistoryRecord>> rows =
      storage::LoadHistory(db, item.instance.id);
  if (!rows.ok()) return RespondError(respond, rows.error());
  const int64_t after = page->cursor.value_or(0);
  Page rows_page = PageItemsOf(
      rows.value(), page->limit,
      [after](const storage::HistoryRecord& row) { return row.seq > after; },
      [](const storage::HistoryRecord& row) { return std::to_string(row.seq); }, EncodeHistoryRow);
  boost::json::value next = rows_page.next_cursor ? boost::json::value(*rows_page.next_cursor)
                                                  : boost::json::value(nullptr);
  respond(JsonResponse(200, {{"items", std::move(rows_page.items)},
                             {"next_cursor", std::move(next)},
                             {"head", item.history_head}}));
}

// What changed since the item was last returned: indicator values,
// competitions, narrative and evidence, against the snapshot of the return.
void GetChanges(App& app, Request request, const std::string& id_text, Respond respond) {
  std::optional<VisibleRead> read =
      ReadVisibleItem(app, request, id_text, storage::kKindSubmission, respond);
  if (!read) return;
  storage::Database& db = *read->db;
  const storage::ItemRecord& item = read->item;
  engine::Result<std::optional<storage::Snapshot>> snapshot =
      storage::LatestSnapshot(db, item.instance.id);
  if (!snapshot.ok()) return RespondError(respond, snapshot.error());
  if (!snapshot.value()) {
    return respond(JsonResponse(200, {{"returned", false}, {"since", nullptr}}));
  }
  engine::Result<std::vector<storage::EvidenceRecord>> evidence =
      storage::ListEvidence(db, item.instance.id);
  if (!evidence.ok()) return RespondError(respond, evidence.error());
  engine::Result<std::vector<storage::HistoryRecord>> rows =
      storage::LoadHistory(db, item.instance.id);
  if (!rows.ok()) return RespondError(respond, rows.error());

  const storage::Snapshot& before = *snapshot.value();
  storage::CampaignPtr campaign = app.catalog().Campaign(item.campaign);
  boost::json::object diff =
      engine::DiffReports(campaign.get(), before.data, before.evidence, item.instance.data,
                          storage::InfosOf(evidence.value()));
  diff["returned"] = true;
  for (const storage::HistoryRecord& row : rows.value()) {
    if (row.seq != before.seq) continue;
    diff["since"] = {{"seq", row.seq},   {"at", row.at}, {"actor", row.actor},
                     {"from", row.from}, {"to", row.to}, {"comment", row.comment}};
  }
  respond(JsonResponse(200, diff));
}

}  // namespace

void RegisterActionRoutes(Router& router, App& app) {
  for (std::string_view kind : {storage::kKindSubmission, storage::kKindNomination}) {
    const std::string base = "/api/v1/" + std::string(kind) + "s/{id}";
    router.Add("POST", base + "/actions",
               [&app, kind](Request request, PathParams params, Respond respond) {
                 PostAction(app, std::move(request), params["id"], std::string(kind),
                            std::move(respond));
               });
    router.Add("GET", base + "/history",
               [&app, kind](Request request, PathParams params, Respond respond) {
                 GetHistory(app, std::move(request), params["id"], kind, std::move(respond));
               });
  }
  router.Add("GET", "/api/v1/submissions/{id}/changes",
             [&app](Request request, PathParams params, Respond respond) {
               GetChanges(app, std::move(request), params["id"], std::move(respond));
             });
}

}  // namespace jingsai::api
