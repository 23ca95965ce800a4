// Reports (submissions): created by a unit's submitter, edited while in an
// edit stage, read by everyone whose roles cover the unit.
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

namespace jingsai::api {
namespace {

struct NewSubmission {
  storage::CampaignPtr campaign;
  storage::FlowPtr flow;
  const engine::Org* org = nullptr;
  std::string title;
  boost::json::value data;
};

// The report flow for an org: city-direct orgs skip the county stage.
storage::FlowPtr DefaultReportFlow(App& app, const engine::OrgTree& orgs, int64_t org) {
  return app.catalog().LatestFlow(orgs.IsCityDirect(org) ? "report-city-direct" : "report-county");
}

// The org a submitter reports for when the body names none: their only
// submitter role's org, so a unit clerk need not repeat it.
std::string SoleSubmitterOrg(const engine::Actor& actor, const engine::OrgTree& orgs) {
  const engine::Org* sole = nullptr;
  for (const engine::RoleBinding& role : actor.roles) {
    if (role.role != engine::kRoleSubmitter) continue;
    if (sole != nullptr) return "";
    sole = orgs.Find(role.org_id);
  }
  return sole == nullptr ? "" : sole->code;
}

engine::Result<NewSubmission> DecodeNewSubmission(App& app, const boost::json::object& body,
                                                  const engine::OrgTree& orgs,
                                                  const engine::Actor& actor) {
  FieldReader fields(body);
  NewSubmission created;
  std::string campaign = fields.RequiredString("campaign");
  std::optional<std::string> named_org = fields.OptionalString("org");
  std::string org_code =
      body.contains("org") ? named_org.value_or("") : SoleSubmitterOrg(actor, orgs);
  if (org_code.empty() && (named_org || !body.contains("org"))) {
    fields.Problem("org", "缺少必填字段");
  }
  created.title = fields.RequiredText("title");
  if (const boost::json::value* data = fields.Required("data")) {
    if (!data->is_object()) fields.Problem("data", "须为 JSON 对象");
    created.data = *data;
  }
  std::optional<std::string> flow_key = fields.OptionalString("flow");
  if (!campaign.empty()) {
    created.campaign = app.catalog().Campaign(campaign);
    if (created.campaign == nullptr) fields.Problem("campaign", "没有这个活动：" + campaign);
  }
  if (!org_code.empty()) {
    created.org = orgs.FindByCode(org_code);
    if (created.org == nullptr) {
      fields.Problem("org", "没有这个组织：" + org_code);
    } else if (!created.org->parent_id) {
      fields.Problem("org", "市总工会本级不报送劳动竞赛情况");
    }
  }
  if (flow_key) {
    created.flow = app.catalog().LatestFlow(*flow_key);
    if (created.flow == nullptr || created.flow->subject != engine::kSubjectReport) {
      fields.Problem("flow", "没有这个报送流程：" + *flow_key);
    }
  } else if (created.org != nullptr && created.org->parent_id) {
    created.flow = DefaultReportFlow(app, orgs, created.org->id);
  }
  if (engine::Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return created;
}

void CreateSubmission(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  engine::Result<NewSubmission> created =
      DecodeNewSubmission(app, body.value(), *orgs, principal->actor);
  if (!created.ok()) return RespondError(respond, created.error());

  // Whoever may act at the flow's first stage for this org may create the item.
  const engine::Stage* start = created->flow->FindStage(created->flow->start);
  if (start == nullptr ||
      !engine::IsStageActor(*start, principal->actor, *orgs, created->org->id)) {
    return RespondError(respond,
                        engine::Error::Forbidden("您不是「" + created->org->name + "」的填报人"));
  }

  storage::ItemRecord item;
  item.kind = storage::kKindSubmission;
  item.campaign = created->campaign->key;
  item.flow_key = created->flow->key;
  item.flow_version = created->flow->version;
  item.title = created->title;
  item.last_action = "create";
  item.org_path = orgs->PathOf(created->org->id);
  item.county_scope_id = orgs->CountyScopeOf(created->org->id);
  item.instance.org_id = created->org->id;
  item.instance.created_by = principal->user.id;
  item.instance.stage = created->flow->start;
  item.instance.status = engine::StatusFor(*created->flow, item.instance.stage, "create");
  item.instance.version = 1;
  item.instance.data = std::move(created->data);

  engine::Actor actor = principal->actor;
  ExecuteWrite(
      app, request, *principal,
      [&app, item = std::move(item), flow = created->flow, actor](storage::Database& db) {
        return InsertNewItem(app, db, item, *flow, actor, "/api/v1/submissions");
      },
      std::move(respond));
}

void GetSubmission(App& app, Request request, const std::string& id_text, Respond respond) {
  std::optional<VisibleView> read =
      ReadVisibleView(app, request, id_text, storage::kKindSubmission, respond);
  if (!read) return;
  respond(ItemResponse(app, std::move(read->view), read->principal.actor));
}

// PATCH {"title"?, "data"?}: replaces what it names, only at an edit stage.
void PatchSubmission(App& app, Request request, const std::string& id_text, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return RespondError(respond, engine::Error::NotFound("没有这个事项：" + id_text));
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  FieldReader fields(body.value());
  std::optional<std::string> title = fields.OptionalText("title");
  std::optional<boost::json::value> data;
  if (const boost::json::value* given = fields.Optional("data")) {
    if (!given->is_object()) fields.Problem("data", "须为 JSON 对象");
    data = *given;
  }
  if (!title && !data) fields.Problem("", "请至少提供 title 或 data");
  if (engine::Status status = fields.Finish(); !status.ok()) {
    return RespondError(respond, status.error());
  }
  engine::Result<IfMatch> if_match = IfMatch::From(request);
  if (!if_match.ok()) return RespondError(respond, if_match.error());

  engine::Actor actor = principal->actor;
  ExecuteWrite(
      app, request, *principal,
      [&app, id = *id, actor, title, data,
       expected = if_match.value()](storage::Database& db) -> engine::Result<Response> {
        engine::Result<storage::ItemRecord> loaded =
            LoadVisibleItem(app, db, id, storage::kKindSubmission, actor);
        if (!loaded.ok()) return std::move(loaded).error();
        storage::ItemRecord& item = loaded.value();
        if (engine::Status holds = expected.Check(item.instance.version); !holds.ok()) {
          return std::move(holds).error();
        }
        storage::FlowPtr flow = app.catalog().Flow(item.flow_key, item.flow_version);
        if (flow == nullptr) return engine::Error::Internal("flow of item is missing");
        engine::Status editable =
            engine::CheckEdit(*flow, *app.catalog().orgs(), item.instance, actor);
        if (!editable.ok()) return std::move(editable).error();

        int64_t previous_version = item.instance.version;
        if (title) item.title = *title;
        if (data) item.instance.data = *data;
        item.instance.version += 1;
        item.updated_at = app.NowText();
        engine::Fact fact{"edit", item.instance.stage, item.instance.stage, ""};
        engine::Result<storage::HistoryRecord> row =
            storage::AppendHistory(db, item, fact, actor.user_id, actor.username, item.updated_at);
        if (!row.ok()) return std::move(row).error();
        if (engine::Status status = storage::UpdateItem(db, item, previous_version); !status.ok()) {
          return std::move(status).error();
        }
        return ItemResponse(app, 200, std::move(item), actor);
      },
      std::move(respond));
}

}  // namespace

void RegisterSubmissionRoutes(Router& router, App& app) {
  router.Add("POST", "/api/v1/submissions", [&app](Request request, PathParams, Respond respond) {
    CreateSubmission(app, std::move(request), std::move(respond));
  });
  router.Add("GET", "/api/v1/submissions/{id}",
             [&app](Request request, PathParams params, Respond respond) {
               GetSubmission(app, std::move(request), params["id"], std::move(respond));
             });
  router.Add("PATCH", "/api/v1/submissions/{id}",
             [&app](Request request, PathParams params, Respond respond) {
               PatchSubmission(app, std::move(request), params["id"], std::move(respond));
             });
}

}  // namespace jingsai::api
