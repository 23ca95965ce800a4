// Nominations for commendation: a county or city reviewer names an advanced
// unit or individual, resting on approved reports of that organization.
#include <boost/json.hpp>
#include <set>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/handlers/stage_entry.h"
#include "api/json_codec.h"
#include "api/write.h"
#include "engine/tally.h"
#include "engine/text.h"
#include "engine/transition.h"
#include "storage/history.h"
#include "storage/items.h"

namespace jingsai::api {
namespace {

constexpr std::string_view kBasisRule = "nomination.basis";

struct NewNomination {
  storage::CampaignPtr campaign;
  storage::FlowPtr flow;
  const engine::Org* org = nullptr;
  std::string kind;
  boost::json::object person;
  std::vector<int64_t> basis;
  std::string citation;
  std::string title;
};

// The person of an individual nomination: a name, and optional plain-text
// particulars (position, unit, gender...).
boost::json::object DecodePerson(const boost::json::value* value, bool individual,
                                 FieldReader& fields) {
  boost::json::object person;
  if (value == nullptr || value->is_null()) {
    if (individual) fields.Problem("person", "推荐先进个人须填写 person.name");
    return person;
  }
  const boost::json::object* object = value->if_object();
  if (object == nullptr) {
    fields.Problem("person", "须为 JSON 对象");
    return person;
  }
  FieldReader nested(*object, fields.PathOf("person"));
  std::string name =
      individual ? nested.RequiredText("name") : nested.OptionalText("name").value_or("");
  for (const auto& entry : *object) {
    if (!entry.value().is_string()) {
      nested.Problem(entry.key(), "须为字符串");
    } else {
      person[entry.key()] = entry.value();
    }
  }
  fields.Absorb(nested);
  return person;
}

std::vector<int64_t> DecodeBasis(const boost::json::array* basis, FieldReader& fields) {
  std::vector<int64_t> ids;
  if (basis == nullptr) return ids;
  if (basis->empty()) fields.Problem("basis", "至少须引用一份已通过的报送");
  std::set<int64_t> seen;
  for (size_t i = 0; i < basis->size(); ++i) {
    const boost::json::value& entry = (*basis)[i];
    const std::string path = "basis[" + std::to_string(i) + "]";
    if (!entry.is_int64() || entry.get_int64() <= 0) {
      fields.Problem(path, "须为报送编号（正整数）");
    } else if (!seen.insert(entry.get_int64()).second) {
      fields.Problem(path, "重复引用了同一份报送");
    } else {
      ids.push_back(entry.get_int64());
    }
  }
  return ids;
}

engine::Result<NewNomination> DecodeNewNomination(App& app, const boost::json::object& body,
                                                  const engine::OrgTree& orgs) {
  FieldReader fields(body);
  NewNomination created;
  std::string campaign = fields.RequiredString("campaign");
  created.kind = fields.RequiredString("kind");
  std::string org_code = fields.RequiredString("org");
  created.citation = fields.RequiredText("citation", FieldReader::Lines::kMultiLine);
  // A blank title asks for the one made from the nominee.
  std::optional<std::string> title = fields.OptionalString("title");
  std::optional<std::string> flow_key = fields.OptionalString("flow");
  const bool individual = created.kind == "individual";
  if (!created.kind.empty() && created.kind != "unit" && !individual) {
    fields.Problem("kind", "须为 unit（先进单位）或 individual（先进个人）");
  }
  created.person = DecodePerson(body.if_contains("person"), individual, fields);
  created.basis = DecodeBasis(fields.RequiredArray("basis"), fields);
  if (!campaign.empty()) {
    created.campaign = app.catalog().Campaign(campaign);
    if (created.campaign == nullptr) fields.Problem("campaign", "没有这个活动：" + campaign);
  }
  if (!org_code.empty()) {
    created.org = orgs.FindByCode(org_code);
    if (created.org == nullptr) {
      fields.Problem("org", "没有这个组织：" + org_code);
    } else if (!created.org->parent_id) {
      // The city federation is who commends; it is nobody's nominee.
      fields.Problem("org", "市总工会是评选表扬的主体，不能被推荐");
    }
  }
  created.flow = app.catalog().LatestFlow(flow_key.value_or("commendation"));
  if (created.flow == nullptr || created.flow->subject != engine::kSubjectNomination) {
    fields.Problem("flow", "没有这个评选流程：" + flow_key.value_or("commendation"));
  }
  if (engine::Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  if (title && !engine::IsBlank(*title)) {
    created.title = *title;
  } else if (individual) {
    created.title = "先进个人：" + std::string(created.person.at("name").as_string()) + "（" +
                    created.org->name + "）";
  } else {
    created.title = "先进单位：" + created.org->name;
  }
  return created;
}

// County reviewers nominate within their county, city reviewers anywhere.
bool MayNominate(const engine::Actor& actor, const engine::OrgTree& orgs, int64_t org) {
  const int64_t county_scope = orgs.CountyScopeOf(org);
  for (const engine::RoleBinding& role : actor.roles) {
    if (role.role == engine::kRoleReviewer && orgs.Contains(role.org_id, county_scope)) {
      return true;
    }
  }
  return false;
}

// Every cited report must be an approved report of the same campaign from
// the nominee's subtree: a nomination rests on what was reviewed. A report
// the nominator may not see is answered as a missing one.
engine::Status CheckBasis(storage::Database& db, const engine::OrgTree& orgs,
                          const NewNomination& nomination, const engine::Actor& nominator) {
  std::vector<engine::Detail> violations;
  for (size_t i = 0; i < nomination.basis.size(); ++i) {
    const std::string path = "basis[" + std::to_string(i) + "]";
    const std::string id = std::to_string(nomination.basis[i]);
    engine::Result<std::optional<storage::ItemRecord>> loaded =
        storage::LoadItem(db, nomination.basis[i]);
    if (!loaded.ok()) return std::move(loaded).error();
    const std::optional<storage::ItemRecord>& report = loaded.value();
    if (!report || report->kind != storage::kKindSubmission ||
        !engine::CanSee(nominator, orgs, report->instance.org_id)) {
      violations.push_back({path, "没有编号为 " + id + " 的报送", std::string(kBasisRule)});
    } else if (report->campaign != nomination.campaign->key) {
      violations.push_back({path, "报送 " + id + " 不属于本次活动", std::string(kBasisRule)});
    } else if (!orgs.Contains(nomination.org->id, report->instance.org_id)) {
      violations.push_back(
          {path, "报送 " + id + " 不是「" + nomination.org->name + "」及其下属单位的报送",
           std::string(kBasisRule)});
    } else if (report->instance.status != "approved") {
      violations.push_back({path, "报送 " + id + " 尚未审核通过", std::string(kBasisRule)});
    }
  }
  if (violations.empty()) return engine::Ok{};
  return engine::Error::ValidationFailed("推荐依据不成立", std::move(violations));
}

storage::ItemRecord NominationItem(const NewNomination& created, const engine::OrgTree& orgs,
                                   int64_t creator) {
  storage::ItemRecord item;
  item.kind = storage::kKindNomination;
  item.campaign = created.campaign->key;
  item.flow_key = created.flow->key;
  item.flow_version = created.flow->version;
  item.title = created.title;
  item.last_action = "create";
  item.org_path = orgs.PathOf(created.org->id);
  item.county_scope_id = orgs.CountyScopeOf(created.org->id);
  item.instance.org_id = created.org->id;
  item.instance.created_by = creator;
  item.instance.stage = created.flow->start;
  item.instance.status = engine::StatusFor(*created.flow, item.instance.stage, "create");
  item.instance.version = 1;
  boost::json::array basis;
  for (int64_t id : created.basis) basis.push_back(id);
  boost::json::object data{
      {"kind", created.kind}, {"basis", std::move(basis)}, {"citation", created.citation}};
  if (!created.person.empty()) data["person"] = created.person;
  item.instance.data = std::move(data);
  return item;
}

void CreateNomination(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  engine::Result<NewNomination> created = DecodeNewNomination(app, body.value(), *orgs);
  if (!created.ok()) return RespondError(respond, created.error());
  if (!MayNominate(principal->actor, *orgs, created->org->id)) {
    return RespondError(respond,
                        engine::Error::Forbidden("只有「" + created->org->name +
                                                 "」所在县级工会或市总工会的审核人可以推荐"));
  }
  engine::Actor actor = principal->actor;
  ExecuteWrite(
      app, request, *principal,
      [&app, orgs, created = std::move(created).value(),
       actor](storage::Database& db) -> engine::Result<Response> {
        if (engine::Status basis = CheckBasis(db, *orgs, created, actor); !basis.ok()) {
          return std::move(basis).error();
        }
        return InsertNewItem(app, db, NominationItem(created, *orgs, actor.user_id), *created.flow,
                             actor, "/api/v1/nominations");
      },
      std::move(respond));
}

void GetNomination(App& app, Request request, const std::string& id_text, Respond respond) {
  std::optional<VisibleView> read =
      ReadVisibleView(app, request, id_text, storage::kKindNomination, respond);
  if (!read) return;
  respond(ItemResponse(app, std::move(read->view), read->principal.actor));
}

// An objection lodged during the public notice (公示) that follows a passed
// vote: recorded on the nomination and its history; a city reviewer then
// upholds it (return to screening) or confirms the nomination (approve).
engine::Result<Response> LodgeObjection(App& app, storage::Database& db, int64_t id,
                                        const std::string& reason, const engine::Actor& actor) {
  engine::Result<storage::ItemRecord> loaded =
      LoadVisibleItem(app, db, id, storage::kKindNomination, actor);
  if (!loaded.ok()) return std::move(loaded).error();
  storage::ItemRecord& item = loaded.value();
  storage::FlowPtr flow = app.catalog().Flow(item.flow_key, item.flow_version);
  const engine::Stage* stage = flow ? flow->FindStage(item.instance.stage) : nullptr;
  if (stage == nullptr || stage->kind == engine::StageKind::kEnd ||
      !engine::StagesHoldingPlace(*flow).contains(item.instance.stage)) {
    return engine::Error::InvalidAction("只有在表决通过后的公示期间才能提出异议");
  }
  const std::string at = app.NowText();
  boost::json::object& data = item.instance.data.as_object();
  if (!data.contains("objections")) data["objections"] = boost::json::array{};
  data["objections"].as_array().push_back({{"by", actor.username}, {"at", at}, {"reason", reason}});
  const int64_t previous_version = item.instance.version;
  item.instance.version += 1;
  item.updated_at = at;
  engine::Fact fact{"objection", item.instance.stage, item.instance.stage, reason};
  engine::Result<storage::HistoryRecord> row =
      storage::AppendHistory(db, item, fact, actor.user_id, actor.username, at);
  if (!row.ok()) return std::move(row).error();
  if (engine::Status status = storage::UpdateItem(db, item, previous_version); !status.ok()) {
    return std::move(status).error();
  }
  return ItemResponse(app, 201, std::move(item), actor);
}

void PostObjection(App& app, Request request, const std::string& id_text, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return RespondError(respond, engine::Error::NotFound("没有这个事项：" + id_text));
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  FieldReader fields(body.value());
  std::string reason = fields.RequiredText("reason", FieldReader::Lines::kMultiLine);
  if (engine::Status status = fields.Finish(); !status.ok()) {
    return RespondError(respond, status.error());
  }
  ExecuteWrite(
      app, request, *principal,
      [&app, id = *id, reason, actor = principal->actor](storage::Database& db) {
        return LodgeObjection(app, db, id, reason, actor);
      },
      std::move(respond));
}

}  // namespace

void RegisterNominationRoutes(Router& router, App& app) {
  router.Add("POST", "/api/v1/nominations", [&app](Request request, PathParams, Respond respond) {
    CreateNomination(app, std::move(request), std::move(respond));
  });
  router.Add("GET", "/api/v1/nominations/{id}",
             [&app](Request request, PathParams params, Respond respond) {
               GetNomination(app, std::move(request), params["id"], std::move(respond));
             });
  router.Add("POST", "/api/v1/nominations/{id}/objections",
             [&app](Request request, PathParams params, Respond respond) {
               PostObjection(app, std::move(request), params["id"], std::move(respond));
             });
}

}  // namespace jingsai::api
