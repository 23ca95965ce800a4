// Vote sessions: a city reviewer opens one over every nomination of a
// campaign now in its vote stage, with named committee members.
#include <boost/json.hpp>
#include <set>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/handlers/vote_common.h"
#include "api/json_codec.h"
#include "api/write.h"
#include "engine/tally.h"
#include "engine/text.h"
#include "storage/items.h"
#include "storage/users.h"

namespace jingsai::api {
namespace {

struct NewSession {
  std::string campaign;
  std::string title;
  std::vector<std::string> members;
};

engine::Result<NewSession> DecodeNewSession(App& app, const boost::json::object& body) {
  FieldReader fields(body);
  NewSession session;
  session.campaign = fields.RequiredString("campaign");
  session.title = fields.RequiredText("title");
  if (const boost::json::array* members = fields.RequiredArray("members")) {
    if (members->empty()) fields.Problem("members", "至少须有一名评审委员");
    std::set<std::string> seen;
    for (size_t i = 0; i < members->size(); ++i) {
      const std::string path = "members[" + std::to_string(i) + "]";
      const boost::json::string* name = (*members)[i].if_string();
      if (name == nullptr) {
        fields.Problem(path, "须为用户名");
      } else if (!seen.insert(std::string(*name)).second) {
        fields.Problem(path, "重复的委员：" + std::string(*name));
      } else {
        session.members.emplace_back(*name);
      }
    }
  }
  if (!session.title.empty() && engine::IsBlank(session.title)) {
    fields.Problem("title", "标题不能为空");
  }
  if (!session.campaign.empty() && app.catalog().Campaign(session.campaign) == nullptr) {
    fields.Problem("campaign", "没有这个活动：" + session.campaign);
  }
  if (engine::Status status = fields.Finish(); !status.ok()) return std::move(status).error();
  return session;
}

// The campaign's nominations now at a vote stage and in no open session.
engine::Result<std::vector<storage::ItemRecord>> NominationsAwaitingVote(
    App& app, storage::Database& db, const std::string& campaign) {
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  std::vector<storage::ItemRecord> awaiting;
  storage::SubtreeQuery query{std::string(storage::kKindNomination),
                              orgs->PathOf(orgs->Root()->id),
                              campaign,
                              std::nullopt,
                              INT64_MAX,
                              500};
  while (true) {
    engine::Result<std::vector<storage::ItemRecord>> page = storage::ListSubtree(db, query);
    if (!page.ok()) return std::move(page).error();
    for (storage::ItemRecord& item : page.value()) {
      storage::FlowPtr flow = app.catalog().Flow(item.flow_key, item.flow_version);
      const engine::Stage* stage = flow ? flow->FindStage(item.instance.stage) : nullptr;
      if (stage == nullptr || stage->kind != engine::StageKind::kVote) continue;
      engine::Result<std::optional<int64_t>> open = storage::OpenSessionOf(db, item.instance.id);
      if (!open.ok()) return std::move(open).error();
      if (!open.value()) awaiting.push_back(std::move(item));
    }
    if (static_cast<int>(page->size()) < query.limit) break;
    query.before_id = page->back().instance.id;
  }
  std::reverse(awaiting.begin(), awaiting.end());
  return awaiting;
}

// The vote stage the session decides, with its rules; every nomination of one
// session must be decided by the same rules.
engine::Result<const engine::Stage*> SharedVoteStage(
    App& app, const std::vector<storage::ItemRecord>& items) {
  const engine::Stage* shared = nullptr;
  for (const storage::ItemRecord& item : items) {
    storage::FlowPtr flow = app.catalog().Flow(item.flow_key, item.flow_version);
    const engine::Stage* stage = flow->FindStage(item.instance.stage);
    if (shared != nullptr && stage->rules != shared->rules) {
      return engine::Error::Conflict("待表决的推荐分属表决规则不同的流程版本，请先迁移到同一版本");
    }
    shared = stage;
  }
  return shared;
}

// Members must be able to act at the vote stage: the voter role where the
// stage's scope resolves (the city for the built-in flow).
engine::Result<std::vector<int64_t>> ResolveMembers(App& app, storage::Database& db,
                                                    const NewSession& request,
                                                    const engine::Stage& stage) {
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  std::vector<engine::Detail> problems;
  std::vector<int64_t> ids;
  for (size_t i = 0; i < request.members.size(); ++i) {
    const std::string path = "members[" + std::to_string(i) + "]";
    engine::Result<std::optional<storage::UserRecord>> user =
        storage::FindUserByName(db, request.members[i]);
    if (!user.ok()) return std::move(user).error();
    if (!user.value() || user.value()->disabled) {
      problems.push_back({path, "没有这个用户：" + request.members[i], ""});
    } else if (!stage.actor || !engine::MayAct(ActorOf(*user.value()), stage.actor->role,
                                               stage.actor->scope, *orgs, orgs->Root()->id)) {
      problems.push_back({path, request.members[i] + " 不是评审委员（须持有市级 voter 角色）", ""});
    } else {
      ids.push_back(user.value()->id);
    }
  }
  if (!problems.empty()) return engine::Error::BadRequest("评审委员有误", std::move(problems));
  std::sort(ids.begin(), ids.end());
  return ids;
}

engine::Result<Response> OpenSession(App& app, storage::Database& db, const NewSession& request,
                                     const engine::Actor& actor) {
  engine::Result<std::vector<storage::ItemRecord>> items =
      NominationsAwaitingVote(app, db, request.campaign);
  if (!items.ok()) return std::move(items).error();
  if (items->empty()) return engine::Error::InvalidAction("本活动当前没有待表决的推荐");
  engine::Result<const engine::Stage*> stage = SharedVoteStage(app, items.value());
  if (!stage.ok()) return std::move(stage).error();
  engine::Result<std::vector<int64_t>> members = ResolveMembers(app, db, request, *stage.value());
  if (!members.ok()) return std::move(members).error();

  storage::VoteSessionRecord session;
  session.campaign = request.campaign;
  session.title = request.title;
  session.rules =
      boost::json::serialize(engine::EncodeVoteRules(engine::ParseVoteRules(stage.value()->rules)));
  session.opened_by = actor.user_id;
  session.opened_at = app.NowText();
  session.members = std::move(members).value();
  for (const storage::ItemRecord& item : items.value()) {
    session.nominations.push_back(item.instance.id);
  }
  engine::Result<int64_t> id = storage::InsertVoteSession(db, session);
  if (!id.ok()) return std::move(id).error();
  session.id = id.value();
  session.status = "open";
  for (storage::ItemRecord& item : items.value()) {
    engine::Fact fact{"vote_open", item.instance.stage, item.instance.stage,
                      "第 " + std::to_string(session.id) + " 次表决开始：" + session.title};
    if (engine::Status status =
            RecordStep(db, item, fact, actor, session.opened_at, item.instance.version);
        !status.ok()) {
      return std::move(status).error();
    }
  }
  engine::Result<boost::json::object> encoded = EncodeSession(app, db, session, actor);
  if (!encoded.ok()) return std::move(encoded).error();
  Response response = JsonResponse(201, encoded.value());
  response.headers.emplace_back("Location", "/api/v1/votes/" + std::to_string(session.id));
  return response;
}

void PostSession(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  engine::Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return RespondError(respond, body.error());
  engine::Result<NewSession> session = DecodeNewSession(app, body.value());
  if (!session.ok()) return RespondError(respond, session.error());
  if (!MayRunVotes(principal->actor, *app.catalog().orgs())) {
    return RespondError(respond,
                        engine::Error::Forbidden("只有市总工会审核人或管理员可以组织表决"));
  }
  ExecuteWrite(
      app, request, *principal,
      [&app, session = std::move(session).value(), actor = principal->actor](
          storage::Database& db) { return OpenSession(app, db, session, actor); },
      std::move(respond));
}

void GetSession(App& app, Request request, const std::string& id_text, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return RespondError(respond, engine::Error::NotFound("没有这次表决：" + id_text));
  storage::ReaderPool::Lease db = app.readers().Acquire();
  engine::Result<storage::VoteSessionRecord> session = LoadSession(*db, *id);
  if (!session.ok()) return RespondError(respond, session.error());
  // A session its reader may not see does not exist for them (API.md: 404).
  if (!MaySeeSession(session.value(), principal->actor, *app.catalog().orgs())) {
    return RespondError(respond, engine::Error::NotFound("没有这次表决：" + id_text));
  }
  engine::Result<boost::json::object> encoded =
      EncodeSession(app, *db, session.value(), principal->actor);
  if (!encoded.ok()) return RespondError(respond, encoded.error());
  respond(JsonResponse(200, encoded.value()));
}

void ListSessions(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  engine::Result<PageRequest> page = ParsePage(request);
  if (!page.ok()) return RespondError(respond, page.error());
  storage::ReaderPool::Lease db = app.readers().Acquire();
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  boost::json::array items;
  std::optional<std::string> next;
  int64_t before = page->cursor.value_or(INT64_MAX);
  // Sessions are few; filter by visibility page by page.
  while (!next && static_cast<int>(items.size()) < page->limit) {
    engine::Result<std::vector<storage::VoteSessionRecord>> sessions =
        storage::ListVoteSessions(*db, request.Query("campaign"), before, page->limit);
    if (!sessions.ok()) return RespondError(respond, sessions.error());
    for (const storage::VoteSessionRecord& session : sessions.value()) {
      before = session.id;
      if (!MaySeeSession(session, principal->actor, *orgs)) continue;
      if (static_cast<int>(items.size()) == page->limit) {
        next = std::to_string(items.back().as_object().at("id").as_int64());
        break;
      }
      engine::Result<boost::json::object> encoded =
          EncodeSession(app, *db, session, principal->actor);
      if (!encoded.ok()) return RespondError(respond, encoded.error());
      items.push_back(std::move(encoded).value());
    }
    if (static_cast<int>(sessions->size()) < page->limit) break;
  }
  respond(PageResponse(std::move(items), next));
}

}  // namespace

void RegisterVoteRoutes(Router& router, App& app) {
  router.Add("POST", "/api/v1/votes", [&app](Request request, PathParams, Respond respond) {
    PostSession(app, std::move(request), std::move(respond));
  });
  router.Add("GET", "/api/v1/votes", [&app](Request request, PathParams, Respond respond) {
    ListSessions(app, std::move(request), std::move(respond));
  });
  router.Add("GET", "/api/v1/votes/{id}",
             [&app](Request request, PathParams params, Respond respond) {
               GetSession(app, std::move(request), params["id"], std::move(respond));
             });
  RegisterBallotRoutes(router, app);
}

}  // namespace jingsai::api
