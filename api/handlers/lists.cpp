// Lists: the reports and nominations a user may see, and the inbox of items awaiting them.
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <tuple>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/handlers/stage_entry.h"
#include "api/inbox_pages.h"
#include "api/json_codec.h"
#include "engine/transition.h"
#include "storage/items.h"
#include "storage/votes.h"

namespace jingsai::api {
namespace {

// The subtree roots to search: the actor's visible roots, narrowed to the
// ?org= filter where it lies inside one of them.
std::vector<int64_t> SearchRoots(const engine::Actor& actor, const engine::OrgTree& orgs,
                                 const engine::Org* filter) {
  std::set<int64_t> roots;
  for (const engine::RoleBinding& role : actor.roles) {
    if (filter == nullptr) {
      roots.insert(role.org_id);
    } else if (orgs.Contains(role.org_id, filter->id)) {
      roots.insert(filter->id);
    } else if (orgs.Contains(filter->id, role.org_id)) {
      roots.insert(role.org_id);
    }
  }
  // Drop roots inside other roots, so no item is listed twice.
  std::vector<int64_t> minimal;
  for (int64_t root : roots) {
    bool nested = std::any_of(roots.begin(), roots.end(), [&](int64_t other) {
      return other != root && orgs.Contains(other, root);
    });
    if (!nested) minimal.push_back(root);
  }
  return minimal;
}

// The county scopes that cover exactly the subtree of `root` when it is the
// city or a county union: the county unions in it (and the city itself,
// whose scope holds the city-direct units). Empty for any other org, whose
// subtree is small enough to read by path.
std::vector<int64_t> CountyScopesOf(const engine::OrgTree& orgs, const engine::Org& root) {
  if (root.parent_id && root.level != engine::OrgLevel::kCounty) return {};
  std::vector<int64_t> scopes;
  if (!root.parent_id) scopes.push_back(root.id);
  for (const engine::Org& org : orgs.All()) {
    if (org.level == engine::OrgLevel::kCounty && orgs.Contains(root.id, org.id)) {
      scopes.push_back(org.id);
    }
  }
  return scopes;
}

std::vector<ItemViewPtr> Views(App& app, std::vector<storage::ItemRecord>& items) {
  std::vector<ItemViewPtr> views;
  views.reserve(items.size());
  for (storage::ItemRecord& item : items) views.push_back(ViewOf(app, std::move(item)));
  return views;
}

// A list filter from the query; an empty value (`?stage=`) filters nothing.
std::optional<std::string> Filter(const Request& request, std::string_view name) {
  std::optional<std::string> value = request.Query(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

void ListItems(App& app, Request request, std::string_view kind, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  engine::Result<PageRequest> page = ParsePage(request);
  if (!page.ok()) return RespondError(respond, page.error());
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  const engine::Org* filter = nullptr;
  if (std::optional<std::string> org = Filter(request, "org")) {
    filter = orgs->FindByCode(*org);
    if (filter == nullptr) {
      return RespondError(respond, engine::Error::BadRequest("没有这个组织：" + *org,
                                                             {{"org", "没有这个组织", ""}}));
    }
  }
  storage::ReaderPool::Lease db = app.readers().Acquire();
  storage::ReadSnapshot snapshot(*db);
  std::vector<storage::ItemRecord> found;
  for (int64_t root : SearchRoots(principal->actor, *orgs, filter)) {
    storage::SubtreeQuery query{std::string(kind),
                                orgs->PathOf(root),
                                Filter(request, "campaign"),
                                Filter(request, "stage"),
                                page->cursor.value_or(INT64_MAX),
                                page->limit + 1};
    engine::Result<std::vector<storage::ItemRecord>> items =
        storage::ListSubtree(*db, query, CountyScopesOf(*orgs, *orgs->Find(root)));
    if (!items.ok()) return RespondError(respond, items.error());
    std::move(items->begin(), items->end(), std::back_inserter(found));
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.instance.id > b.instance.id; });
  std::optional<std::string> next;
  if (static_cast<int>(found.size()) > page->limit) {
    found.resize(static_cast<size_t>(page->limit));
    next = std::to_string(found.back().instance.id);
  }
  respond(ItemPageResponse(app, Views(app, found), principal->actor, next));
}

// Where a role binding puts the holder's inbox for a stage of `scope`:
// which column to match, or nothing when the binding cannot act there.
std::optional<storage::ScopeColumn> InboxColumn(engine::Scope scope, const engine::Org& org) {
  switch (scope) {
    case engine::Scope::kSelf:
      return storage::ScopeColumn::kOrg;
    case engine::Scope::kCounty:
      // A county scope resolves to a county union, or the city for city-direct units.
      if (org.level == engine::OrgLevel::kUnit) return std::nullopt;
      return storage::ScopeColumn::kCountyScope;
    case engine::Scope::kCity:
      if (org.parent_id) return std::nullopt;
      return storage::ScopeColumn::kAny;
  }
  return std::nullopt;
}

// A nomination at a vote stage awaits a voter only while an open session
// has them as a member and they have not voted on it yet.
engine::Result<bool> AwaitsBallot(storage::Database& db, int64_t item_id, int64_t user_id) {
  engine::Result<std::optional<int64_t>> open = storage::OpenSessionOf(db, item_id);
  if (!open.ok()) return std::move(open).error();
  if (!open.value()) return false;
  engine::Result<std::optional<storage::VoteSessionRecord>> session =
      storage::LoadVoteSession(db, *open.value());
  if (!session.ok()) return std::move(session).error();
  const std::vector<int64_t>& members = session.value()->members;
  if (!std::binary_search(members.begin(), members.end(), user_id)) return false;
  engine::Result<std::vector<storage::BallotRecord>> ballots =
      storage::LoadBallots(db, *open.value());
  if (!ballots.ok()) return std::move(ballots).error();
  return std::none_of(ballots->begin(), ballots->end(), [&](const storage::BallotRecord& ballot) {
    return ballot.user_id == user_id && ballot.item_id == item_id;
  });
}

// Names a viewer's page of the inbox among the kept ones.
std::string InboxPageKey(int64_t user_id, const PageRequest& page, bool overdue_only) {
  return std::to_string(user_id) + ':' + std::to_string(page.cursor.value_or(0)) + ':' +
         std::to_string(page.limit) + (overdue_only ? ":overdue" : "");
}

// Whether a kept page still shows what making it anew would show now.
bool StillHolds(App& app, const InboxPage& page, const engine::Actor& actor,
                uint64_t catalog_generation, int64_t items_generation, const std::string& now) {
  return page.roles == actor.roles && page.catalog_generation == catalog_generation &&
         (!page.holds_until || now <= *page.holds_until) &&
         app.stage_index().UnchangedSince(page.queries, page.items_generation, items_generation);
}

void ListTasks(App& app, Request request, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  engine::Result<PageRequest> page = ParsePage(request);
  if (!page.ok()) return RespondError(respond, page.error());
  // Read before anything made from the catalog: a change after it is seen.
  const uint64_t catalog_generation = app.catalog().generation();
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  const engine::Actor& actor = principal->actor;
  std::optional<std::string> overdue_param = request.Query("overdue");
  if (overdue_param && *overdue_param != "true" && *overdue_param != "false" &&
      !overdue_param->empty()) {
    return RespondError(respond,
                        engine::Error::BadRequest("overdue 须为 true 或 false",
                                                  {{"overdue", "须为 true 或 false", ""}}));
  }
  const bool overdue_only = overdue_param == "true";
  const std::string now = app.NowText();
  // An administrator's overdue list is every overdue item, whoever it awaits.
  if (overdue_only && principal->IsAdmin()) {
    storage::ReaderPool::Lease db = app.readers().Acquire();
    engine::Result<std::vector<storage::ItemRecord>> overdue =
        storage::ListOverdue(*db, now, page->cursor.value_or(0), page->limit + 1);
    if (!overdue.ok()) return RespondError(respond, overdue.error());
    std::optional<std::string> next;
    if (static_cast<int>(overdue->size()) > page->limit) {
      overdue->resize(static_cast<size_t>(page->limit));
      next = std::to_string(overdue->back().instance.id);
    }
    return respond(ItemPageResponse(app, Views(app, overdue.value()), actor, next));
  }

  // A kept page needs only the generation now: no snapshot (BEGIN and
  // COMMIT), and no statement at all while nobody has committed since the
  // generation was last read.
  std::optional<storage::ReaderPool::Lease> leased;
  engine::Result<int64_t> generation = app.generation_watch().Current([&] {
    leased.emplace(app.readers().Acquire());
    return storage::ItemsGeneration(**leased);
  });
  if (!generation.ok()) return RespondError(respond, generation.error());
  const std::string page_key = InboxPageKey(actor.user_id, page.value(), overdue_only);
  if (InboxPagePtr kept = app.inbox_pages().Find(page_key, [&](const InboxPage& kept_page) {
        return StillHolds(app, kept_page, actor, catalog_generation, generation.value(), now);
      })) {
    Response response;
    response.shared_body = std::shared_ptr<const std::string>(kept, &kept->body);
    return respond(std::move(response));
  }
  // Made anew, every query sees one state: the generation's, read again in it.
  storage::ReaderPool::Lease db = leased ? std::move(*leased) : app.readers().Acquire();
  storage::ReadSnapshot snapshot(*db);
  generation = storage::ItemsGeneration(*db);
  if (!generation.ok()) return RespondError(respond, generation.error());
  // One query per (stage, binding) that could put items in the inbox, over
  // every flow whose stage of that name the binding acts at; each found item
  // is then checked against its own flow version.
  std::map<std::tuple<std::string, int, int64_t>, std::set<std::string>> queries;
  for (const storage::FlowPtr& flow : app.catalog().AllFlows()) {
    for (const engine::Stage& stage : flow->stages) {
      if (!stage.actor) continue;
      for (const engine::RoleBinding& role : actor.roles) {
        const engine::Org* org = orgs->Find(role.org_id);
        if (role.role != stage.actor->role || org == nullptr) continue;
        if (std::optional<storage::ScopeColumn> column = InboxColumn(stage.actor->scope, *org)) {
          queries[{stage.id, static_cast<int>(*column), org->id}].insert(flow->key);
        }
      }
    }
  }
  // What this page is made from, to keep it by (InboxPages).
  auto made_of = std::make_shared<InboxPage>();
  made_of->roles = actor.roles;
  made_of->catalog_generation = catalog_generation;
  made_of->items_generation = generation.value();
  bool all_from_index = true;
  auto stamps_at_stage = [&](const storage::StageQuery& query) {
    if (std::optional<std::vector<storage::ItemStamp>> kept =
            app.stage_index().StampsAtStage(query, generation.value())) {
      return engine::Result<std::vector<storage::ItemStamp>>(std::move(kept).value());
    }
    all_from_index = false;
    return storage::StampsAtStage(*db, query);
  };
  // Does the item await the caller now (and is it overdue, when asked)?
  auto awaits = [&](const storage::ItemRecord& item) -> engine::Result<bool> {
    // The page holds until the first of these items turns overdue.
    if (!item.due_at.empty() && item.due_at >= now &&
        (!made_of->holds_until || item.due_at < *made_of->holds_until)) {
      made_of->holds_until = item.due_at;
    }
    storage::FlowPtr flow = app.catalog().Flow(item.flow_key, item.flow_version);
    const engine::Stage* at = flow ? flow->FindStage(item.instance.stage) : nullptr;
    if (at == nullptr || !engine::AwaitsActor(*at, item.instance, actor, *orgs)) return false;
    // Nor does it await whom separation of duties keeps from the stage.
    if (!at->separate_from.empty()) {
      engine::Result<engine::ActorsByStage> acted = ActedByStage(*db, item.instance.id);
      if (!acted.ok()) return std::move(acted).error();
      if (engine::SeparatedBy(*at, acted.value(), actor.user_id) != nullptr) return false;
    }
    if (at->kind == engine::StageKind::kVote) {
      engine::Result<bool> awaiting = AwaitsBallot(*db, item.instance.id, actor.user_id);
      if (!awaiting.ok()) return std::move(awaiting).error();
      if (!awaiting.value()) return false;
    }
    return !overdue_only || (!item.due_at.empty() && item.due_at < now);
  };
  // From each query, the first limit + 1 items that pass, reading on past
  // those that do not, so that a page is never cut short by them.
  std::map<int64_t, ItemViewPtr> found;
  for (const auto& [key, flow_keys] : queries) {
    const auto& [stage, column, org_id] = key;
    storage::StageQuery query;
    query.flow_keys.assign(flow_keys.begin(), flow_keys.end());
    query.stage = stage;
    query.column = static_cast<storage::ScopeColumn>(column);
    query.org_id = org_id;
    if (query.column == storage::ScopeColumn::kOrg) query.org_path = orgs->PathOf(org_id);
    if (query.column == storage::ScopeColumn::kAny) {
      query.county_scopes = CountyScopesOf(*orgs, *orgs->Find(org_id));
    }
    query.after_id = page->cursor.value_or(0);
    query.limit = page->limit + 1;
    made_of->queries.push_back(query);
    for (int passed = 0; passed <= page->limit;) {
      engine::Result<std::vector<storage::ItemStamp>> stamps = stamps_at_stage(query);
      if (!stamps.ok()) return RespondError(respond, stamps.error());
      if (stamps->empty()) break;
      query.after_id = stamps->back().id;
      engine::Result<std::vector<ItemViewPtr>> views = ViewsOf(app, *db, stamps.value());
      if (!views.ok()) return RespondError(respond, views.error());
      for (ItemViewPtr& view : views.value()) {
        engine::Result<bool> pass = awaits(view->item);
        if (!pass.ok()) return RespondError(respond, pass.error());
        if (!pass.value()) continue;
        ++passed;
        found.emplace(view->item.instance.id, std::move(view));
      }
      if (static_cast<int>(stamps->size()) < query.limit) break;
    }
  }
  std::vector<ItemViewPtr> views;
  std::optional<std::string> next;
  for (auto& [id, view] : found) {
    if (static_cast<int>(views.size()) == page->limit) {
      next = std::to_string(views.back()->item.instance.id);
      break;
    }
    views.push_back(std::move(view));
  }
  Response response = ItemPageResponse(app, views, actor, next);
  if (all_from_index) {
    made_of->body = response.body;
    app.inbox_pages().Keep(page_key, std::move(made_of));
  }
  respond(std::move(response));
}

}  // namespace

void RegisterListRoutes(Router& router, App& app) {
  router.Add("GET", "/api/v1/submissions", [&app](Request request, PathParams, Respond respond) {
    ListItems(app, std::move(request), storage::kKindSubmission, std::move(respond));
  });
  router.Add("GET", "/api/v1/nominations", [&app](Request request, PathParams, Respond respond) {
    ListItems(app, std::move(request), storage::kKindNomination, std::move(respond));
  });
  router.Add("GET", "/api/v1/tasks", [&app](Request request, PathParams, Respond respond) {
    ListTasks(app, std::move(request), std::move(respond));
  });
}

}  // namespace jingsai::api
