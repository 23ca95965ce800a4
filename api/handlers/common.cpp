#include "api/handlers/common.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <tuple>
#include <utility>

#include "api/errors.h"
#include "api/handlers/stage_entry.h"
#include "api/json_codec.h"
#include "api/json_text.h"
#include "engine/time_format.h"
#include "engine/transition.h"
#include "storage/items.h"
#include "storage/users.h"

namespace jingsai::api {

void RespondError(const Respond& respond, const engine::Error& error) {
  respond(ErrorResponse(error));
}

std::optional<Principal> RequirePrincipal(App& app, const Request& request,
                                          const Respond& respond) {
  engine::Result<Principal> principal = Authenticate(app, request);
  if (!principal.ok()) {
    RespondError(respond, principal.error());
    return std::nullopt;
  }
  return std::move(principal).value();
}

bool RequireAdmin(const Principal& principal, const Respond& respond) {
  if (principal.IsAdmin()) return true;
  RespondError(respond, engine::Error::Forbidden("仅管理员可执行此操作"));
  return false;
}

namespace {

// Is the viewer barred from the stage's own actions by separation of duties?
// Read from the item's history only when the stage names separated stages.
bool SeparatedFromStage(App& app, const engine::Stage& stage, const storage::ItemRecord& item,
                        const engine::Actor& viewer) {
  if (stage.separate_from.empty()) return false;
  storage::ReaderPool::Lease db = app.readers().Acquire();
  engine::Result<engine::ActorsByStage> acted = ActedByStage(*db, item.instance.id);
  return acted.ok() && engine::SeparatedBy(stage, acted.value(), viewer.user_id) != nullptr;
}

void WriteAllowedActions(JsonWriter& out, const engine::FlowDefinition& flow,
                         const engine::Stage& stage, const engine::OrgTree& orgs,
                         const storage::ItemRecord& item, const engine::Actor& viewer,
                         bool separated) {
  out.BeginArray();
  for (const engine::ActionSpec& action : stage.actions) {
    const engine::ActorSpec* who = stage.ActorFor(action);
    if (who == nullptr || action.name == "pass" || action.name == "fail") continue;
    if (!engine::MayAct(viewer, who->role, who->scope, orgs, item.instance.org_id)) continue;
    // The stage's own actions wait for its assignee or undecided approvers.
    if (!action.actor && (separated || !engine::AwaitsActor(stage, item.instance, viewer, orgs))) {
      continue;
    }
    if (action.name == engine::kActionApprove && item.instance.created_by == viewer.user_id) {
      continue;
    }
    out.BeginObject().Key("action").String(action.name).Key("to").BeginArray();
    for (const std::string& to : action.to) {
      const engine::Stage* target = flow.FindStage(to);
      out.BeginObject().Key("stage").String(to).Key("title").String(target ? target->title : to);
      out.EndObject();
    }
    out.EndArray().EndObject();
  }
  out.EndArray();
}

// The assignee and the approvals of a multi-approver stage, by username.
void WriteAssignment(JsonWriter& out, App& app, const engine::Stage* stage,
                     const storage::ItemRecord& item) {
  storage::ReaderPool::Lease db = app.readers().Acquire();
  auto names = [&db](const std::vector<int64_t>& ids) {
    boost::json::array list;
    for (int64_t id : ids) {
      engine::Result<std::optional<storage::UserRecord>> user = storage::FindUserById(*db, id);
      list.push_back(user.ok() && user.value() ? boost::json::value(user.value()->username)
                                               : boost::json::value(id));
    }
    return list;
  };
  if (item.instance.assignee) out.Key("assignee").Value(names({*item.instance.assignee}).at(0));
  const engine::StageDecisions& decisions = item.instance.decisions;
  if (stage != nullptr && !decisions.approvers.empty()) {
    out.Key("approvals")
        .Value(boost::json::object{
            {"needed", stage->approvals.Needed(static_cast<int64_t>(decisions.approvers.size()))},
            {"approvers", names(decisions.approvers)},
            {"approved", names(decisions.approved)},
            {"returned", names(decisions.returned)}});
  }
}

}  // namespace

namespace {

// The members every viewer sees alike, from "id" to "submitted_at".
void WriteSharedMembers(JsonWriter& out, App& app, const storage::ItemRecord& item) {
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  storage::FlowPtr flow = app.catalog().Flow(item.flow_key, item.flow_version);
  const engine::Org* org = orgs->Find(item.instance.org_id);
  const engine::Stage* stage = flow ? flow->FindStage(item.instance.stage) : nullptr;
  out.Key("id").Int(item.instance.id);
  out.Key("kind").String(item.kind);
  out.Key("campaign").String(item.campaign);
  out.Key("org").String(org ? org->code : "");
  out.Key("org_name").String(org ? org->name : "");
  out.Key("flow").BeginObject().Key("key").String(item.flow_key);
  out.Key("version").Int(item.flow_version).EndObject();
  out.Key("stage").String(item.instance.stage);
  out.Key("stage_title").String(stage ? stage->title : item.instance.stage);
  out.Key("status").String(item.instance.status);
  out.Key("version").Int(item.instance.version);
  out.Key("title").String(item.title);
  out.Key("data").Value(item.instance.data);
  out.Key("late").Bool(item.instance.late);
  out.Key("created_at").String(item.created_at);
  out.Key("updated_at").String(item.updated_at);
  out.Key("stage_entered_at").String(item.stage_entered_at);
  out.Key("submitted_at");
  if (item.instance.first_submitted_at) {
    out.String(engine::FormatTime(*item.instance.first_submitted_at));
  } else {
    out.Null();
  }
}

// What the viewer-dependent members of one answer look up once: the org
// tree, the flow of the last item, and the actions of each kind of item the
// viewer sees. A page holds few kinds: the same flow, stage and unit, with no
// assignee, approvers or separated stages, give the viewer the same actions.
class ViewerContext {
 public:
  ViewerContext(App& app, const engine::Actor& viewer)
      : app_(app), viewer_(viewer), orgs_(app.catalog().orgs()) {}

  App& app() { return app_; }

  const engine::FlowDefinition* FlowOf(const storage::ItemRecord& item) {
    if (!flow_ || flow_->key != item.flow_key || flow_->version != item.flow_version) {
      flow_ = app_.catalog().Flow(item.flow_key, item.flow_version);
    }
    return flow_.get();
  }

  void WriteAllowedActions(JsonWriter& out, const engine::FlowDefinition& flow,
                           const engine::Stage& stage, const storage::ItemRecord& item) {
    const engine::Instance& instance = item.instance;
    const bool plain =
        !instance.assignee && instance.decisions.approvers.empty() && stage.separate_from.empty();
    if (!plain) {
      api::WriteAllowedActions(out, flow, stage, *orgs_, item, viewer_,
                               SeparatedFromStage(app_, stage, item, viewer_));
      return;
    }
    ActionsKey key{&flow, &stage, instance.org_id, instance.created_by == viewer_.user_id};
    auto [found, added] = actions_.try_emplace(key);
    if (added) {
      JsonWriter text(found->second);
      api::WriteAllowedActions(text, flow, stage, *orgs_, item, viewer_, false);
    }
    out.Raw(found->second);
  }

 private:
  using ActionsKey = std::tuple<const engine::FlowDefinition*, const engine::Stage*, int64_t, bool>;
  App& app_;
  const engine::Actor& viewer_;
  std::shared_ptr<const engine::OrgTree> orgs_;
  storage::FlowPtr flow_;
  std::map<ActionsKey, std::string> actions_;
};

// The members that depend on who looks and when: the viewer's actions,
// whether the item is overdue now, and who it is assigned to.
void WriteViewerMembers(JsonWriter& out, ViewerContext& context, const storage::ItemRecord& item) {
  const engine::FlowDefinition* flow = context.FlowOf(item);
  const engine::Stage* stage = flow ? flow->FindStage(item.instance.stage) : nullptr;
  out.Key("allowed_actions");
  if (flow && stage) {
    context.WriteAllowedActions(out, *flow, *stage, item);
  } else {
    out.BeginArray().EndArray();
  }
  out.Key("due_at").StringOrNull(item.due_at);
  out.Key("overdue").Bool(!item.due_at.empty() && item.due_at < context.app().NowText());
  if (item.instance.assignee || !item.instance.decisions.approvers.empty()) {
    WriteAssignment(out, context.app(), stage, item);
  }
}

void WriteItem(JsonWriter& out, ViewerContext& context, const ItemView& view) {
  out.BeginObject().Members(view.shared_members);
  WriteViewerMembers(out, context, view.item);
  out.EndObject();
}

}  // namespace

void WriteItem(JsonWriter& out, App& app, const storage::ItemRecord& item,
               const engine::Actor& viewer) {
  ViewerContext context(app, viewer);
  out.BeginObject();
  WriteSharedMembers(out, app, item);
  WriteViewerMembers(out, context, item);
  out.EndObject();
}

ItemViewPtr ViewOf(App& app, storage::ItemRecord item) {
  if (ItemViewPtr kept = app.item_views().Find(storage::StampOf(item))) return kept;
  auto view = std::make_shared<ItemView>();
  JsonWriter members(view->shared_members);
  WriteSharedMembers(members, app, item);
  view->item = std::move(item);
  app.item_views().Keep(view);
  return view;
}

engine::Result<std::vector<ItemViewPtr>> ViewsOf(App& app, storage::Database& db,
                                                 const std::vector<storage::ItemStamp>& stamps) {
  std::vector<ItemViewPtr> views(stamps.size());
  std::vector<int64_t> missing;
  for (size_t i = 0; i < stamps.size(); ++i) {
    views[i] = app.item_views().Find(stamps[i]);
    if (!views[i]) missing.push_back(stamps[i].id);
  }
  if (missing.empty()) return views;
  engine::Result<std::vector<storage::ItemRecord>> loaded = storage::LoadItems(db, missing);
  if (!loaded.ok()) return std::move(loaded).error();
  // Read after the stamps, an item may have moved on since: its newer state
  // is as good an answer (the caller judges each item by what it holds).
  std::map<int64_t, ItemViewPtr> by_id;
  for (storage::ItemRecord& item : loaded.value()) {
    const int64_t id = item.instance.id;
    by_id.emplace(id, ViewOf(app, std::move(item)));
  }
  for (size_t i = 0; i < stamps.size(); ++i) {
    if (!views[i]) {
      auto found = by_id.find(stamps[i].id);
      if (found != by_id.end()) views[i] = found->second;
    }
  }
  std::erase(views, nullptr);
  return views;
}

std::string VersionETag(int64_t version) {
  // Appended piece by piece: `"\"" + std::to_string(...)` makes GCC 12 at -O3
  // warn about a memcpy it cannot bound (a false positive).
  std::string tag = "\"";
  tag += std::to_string(version);
  tag += '"';
  return tag;
}

Response ItemResponse(App& app, int status, storage::ItemRecord item, engine::Actor viewer) {
  return ItemResponse(app, status, std::make_shared<const storage::ItemRecord>(std::move(item)),
                      std::move(viewer));
}

Response ItemResponse(App& app, int status, std::shared_ptr<const storage::ItemRecord> item,
                      engine::Actor viewer) {
  Response response;
  response.status = status;
  response.headers.emplace_back("ETag", VersionETag(item->instance.version));
  response.render_body = [&app, item = std::move(item), viewer = std::move(viewer)] {
    std::string body;
    body.reserve(2048);
    JsonWriter out(body);
    WriteItem(out, app, *item, viewer);
    return body;
  };
  return response;
}

Response ItemResponse(App& app, ItemViewPtr view, engine::Actor viewer) {
  Response response;
  response.status = 200;
  response.headers.emplace_back("ETag", VersionETag(view->item.instance.version));
  response.render_body = [&app, view = std::move(view), viewer = std::move(viewer)] {
    std::string body;
    body.reserve(256 + view->shared_members.size());
    JsonWriter out(body);
    ViewerContext context(app, viewer);
    WriteItem(out, context, *view);
    return body;
  };
  return response;
}

Response ItemPageResponse(App& app, const std::vector<ItemViewPtr>& views,
                          const engine::Actor& viewer, const std::optional<std::string>& next) {
  Response response;
  response.status = 200;
  size_t size = 256;
  for (const ItemViewPtr& view : views) size += 256 + view->shared_members.size();
  response.body.reserve(size);
  JsonWriter out(response.body);
  out.BeginObject().Key("items").BeginArray();
  ViewerContext context(app, viewer);
  for (const ItemViewPtr& view : views) WriteItem(out, context, *view);
  out.EndArray().Key("next_cursor");
  if (next) {
    out.String(*next);
  } else {
    out.Null();
  }
  out.EndObject();
  return response;
}

engine::Result<IfMatch> IfMatch::From(const Request& request) {
  std::optional<std::string> header = request.Header("if-match");
  IfMatch condition;
  if (!header || TrimSpaces(*header) == "*") return condition;
  condition.any_ = false;
  for (auto [tag, weak] : EntityTags(*header)) {
    // A bare number is taken as the version too: clients forget the quotes.
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
      tag = tag.substr(1, tag.size() - 2);
    }
    std::optional<int64_t> version = ParseId(tag);
    if (!version) {
      return engine::Error::BadRequest("If-Match 须为版本号，如 \"3\"",
                                       {{"If-Match", "无效的版本号", ""}});
    }
    if (!weak) condition.versions_.push_back(*version);
  }
  return condition;
}

engine::Status IfMatch::Check(int64_t current_version, std::string_view what) const {
  if (any_ || std::find(versions_.begin(), versions_.end(), current_version) != versions_.end()) {
    return engine::Ok{};
  }
  return engine::Error::VersionMismatch(std::string(what) + "已更新到版本 " +
                                        std::to_string(current_version));
}

namespace {

// Whether `actor` may see `item` as an item of `kind`. An item they may not
// see does not exist for them: it is answered as a missing one is.
bool IsVisible(App& app, const storage::ItemRecord& item, std::string_view kind,
               const engine::Actor& actor) {
  return item.kind == kind && engine::CanSee(actor, *app.catalog().orgs(), item.instance.org_id);
}

engine::Error NotFoundItem(int64_t id) {
  return engine::Error::NotFound("没有这个事项：" + std::to_string(id));
}

}  // namespace

engine::Result<storage::ItemRecord> LoadVisibleItem(App& app, storage::Database& db, int64_t id,
                                                    std::string_view kind,
                                                    const engine::Actor& actor,
                                                    storage::LoadFor use) {
  engine::Result<std::optional<storage::ItemRecord>> loaded = storage::LoadItem(db, id, use);
  if (!loaded.ok()) return std::move(loaded).error();
  std::optional<storage::ItemRecord>& item = loaded.value();
  if (!item || !IsVisible(app, *item, kind, actor)) return NotFoundItem(id);
  return std::move(*item);
}

namespace {

// The caller and the item id of a GET of one item; answers 401/404 itself
// and returns nullopt when the request cannot go on.
std::optional<std::pair<Principal, int64_t>> CallerAndId(App& app, const Request& request,
                                                         const std::string& id_text,
                                                         const Respond& respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return std::nullopt;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) {
    RespondError(respond, engine::Error::NotFound("没有这个事项：" + id_text));
    return std::nullopt;
  }
  return std::pair{std::move(*principal), *id};
}

}  // namespace

std::optional<VisibleRead> ReadVisibleItem(App& app, const Request& request,
                                           const std::string& id_text, std::string_view kind,
                                           const Respond& respond) {
  std::optional<std::pair<Principal, int64_t>> caller = CallerAndId(app, request, id_text, respond);
  if (!caller) return std::nullopt;
  auto& [principal, id] = *caller;
  storage::ReaderPool::Lease db = app.readers().Acquire();
  engine::Result<storage::ItemRecord> item = LoadVisibleItem(app, *db, id, kind, principal.actor);
  if (!item.ok()) {
    RespondError(respond, item.error());
    return std::nullopt;
  }
  return VisibleRead{std::move(principal), std::move(db), std::move(item).value()};
}

std::optional<VisibleView> ReadVisibleView(App& app, const Request& request,
                                           const std::string& id_text, std::string_view kind,
                                           const Respond& respond) {
  std::optional<std::pair<Principal, int64_t>> caller = CallerAndId(app, request, id_text, respond);
  if (!caller) return std::nullopt;
  auto& [principal, id] = *caller;
  auto fail = [&](const engine::Error& error) {
    RespondError(respond, error);
    return std::nullopt;
  };
  // A reader only when SQLite is asked: a kept view whose stamp is known
  // since the last commit needs none.
  std::optional<storage::ReaderPool::Lease> lease;
  auto reader = [&]() -> storage::Database& {
    if (!lease) lease.emplace(app.readers().Acquire());
    return **lease;
  };
  const int64_t item_id = id;  // clang 14 cannot capture a structured binding
  engine::Result<std::optional<storage::ItemStamp>> stamp =
      app.stamp_watch().Load(id, [&] { return storage::LoadStamp(reader(), item_id); });
  if (!stamp.ok()) return fail(stamp.error());
  if (!stamp.value()) return fail(NotFoundItem(id));
  ItemViewPtr view = app.item_views().Find(*stamp.value());
  if (!view) {
    engine::Result<std::optional<storage::ItemRecord>> item = storage::LoadItem(reader(), id);
    if (!item.ok()) return fail(item.error());
    if (!item.value()) return fail(NotFoundItem(id));
    view = ViewOf(app, std::move(*item.value()));
  }
  if (!IsVisible(app, view->item, kind, principal.actor)) return fail(NotFoundItem(id));
  return VisibleView{std::move(principal), std::move(view)};
}

boost::json::array EncodeRoles(const std::vector<engine::RoleBinding>& roles,
                               const engine::OrgTree& orgs, bool with_names) {
  boost::json::array encoded;
  for (const engine::RoleBinding& role : roles) {
    const engine::Org* org = orgs.Find(role.org_id);
    boost::json::object entry{{"role", role.role}, {"org", org ? org->code : ""}};
    if (with_names) entry["org_name"] = org ? org->name : "";
    encoded.push_back(std::move(entry));
  }
  return encoded;
}

boost::json::object EncodeUser(const storage::UserRecord& user, const engine::OrgTree& orgs) {
  return {{"username", user.username},
          {"display_name", user.display_name},
          {"disabled", user.disabled},
          {"created_at", user.created_at},
          {"roles", EncodeRoles(user.roles, orgs, true)}};
}

boost::json::object EncodeOrg(const engine::Org& org, const engine::OrgTree& orgs) {
  const engine::Org* parent = org.parent_id ? orgs.Find(*org.parent_id) : nullptr;
  boost::json::object json{
      {"code", org.code},
      {"name", org.name},
      {"level", engine::OrgLevelName(org.level)},
      {"parent", parent ? boost::json::value(parent->code) : boost::json::value(nullptr)}};
  // A city-direct unit is a unit with no county union above it. (A county
  // union's own reports also go straight to the city, but it is no unit.)
  json["city_direct"] = org.level == engine::OrgLevel::kUnit && orgs.IsCityDirect(org.id);
  return json;
}

}  // namespace jingsai::api
