// Helpers shared by the handlers: authentication gates, item encoding, and
// the checks every item endpoint makes.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/app.h"
#include "api/auth.h"
#include "api/http_types.h"
#include "api/item_views.h"
#include "api/json_text.h"
#include "engine/flow.h"
#include "engine/org_tree.h"
#include "engine/result.h"
#include "storage/items.h"
#include "storage/reader_pool.h"
#include "storage/records.h"

namespace jingsai::api {

void RespondError(const Respond& respond, const engine::Error& error);

// The request's principal; answers 401 and returns nullopt when there is none.
std::optional<Principal> RequirePrincipal(App& app, const Request& request, const Respond& respond);

// Answers 403 and returns false unless the principal is an admin.
bool RequireAdmin(const Principal& principal, const Respond& respond);

// The item as the API shows it to `viewer` (allowed_actions are the viewer's),
// written straight into the answer's text.
void WriteItem(JsonWriter& out, App& app, const storage::ItemRecord& item,
               const engine::Actor& viewer);

// The item's kept view, made and kept first if there is none for its state.
ItemViewPtr ViewOf(App& app, storage::ItemRecord item);
// The views of `stamps`, in their order: those not kept are read from `db`
// in one statement (possibly in a newer state); an item gone is left out.
engine::Result<std::vector<ItemViewPtr>> ViewsOf(App& app, storage::Database& db,
                                                 const std::vector<storage::ItemStamp>& stamps);

// A 200 page of items, as PageResponse would write it.
Response ItemPageResponse(App& app, const std::vector<ItemViewPtr>& views,
                          const engine::Actor& viewer, const std::optional<std::string>& next);

// A 200/201 answer with the item and its ETag. The body is rendered when the
// answer is sent (after the commit, for a step), not where this is called.
Response ItemResponse(App& app, int status, storage::ItemRecord item, engine::Actor viewer);
// The same for a record shared with the writer's kept copy (a step's answer).
Response ItemResponse(App& app, int status, std::shared_ptr<const storage::ItemRecord> item,
                      engine::Actor viewer);
// A 200 answer with a kept view of the item, for a GET.
Response ItemResponse(App& app, ItemViewPtr view, engine::Actor viewer);

// An If-Match precondition on an item's version (RFC 9110 13.1.1): absent or
// `*` holds for any version; otherwise one or more entity tags ("3", "3",
// "4"), compared strongly, so a weak tag (W/"3") never holds.
class IfMatch {
 public:
  IfMatch() = default;  // no precondition
  // kBadRequest when the header is not a list of versions' tags or `*`.
  static engine::Result<IfMatch> From(const Request& request);
  // kVersionMismatch (412) naming the current version when the precondition fails.
  // `what` names the resource in the message ("事项", "流程").
  engine::Status Check(int64_t current_version, std::string_view what = "事项") const;

 private:
  bool any_ = true;
  std::vector<int64_t> versions_;  // when !any_: the tags that hold
};
// The ETag of an item at `version` ("\"7\""), which If-Match gives back.
std::string VersionETag(int64_t version);

// Loads an item of `kind` that `actor` may see: kNotFound otherwise (an item
// the actor may not see does not exist for them).
engine::Result<storage::ItemRecord> LoadVisibleItem(
    App& app, storage::Database& db, int64_t id, std::string_view kind, const engine::Actor& actor,
    storage::LoadFor use = storage::LoadFor::kReading);

// One item read for a GET: the caller, a reader connection and the item.
struct VisibleRead {
  Principal principal;
  storage::ReaderPool::Lease db;
  storage::ItemRecord item;
};

// Authenticates, parses the id and loads the item the caller may see;
// answers 401/404 itself and returns nullopt when the request cannot go on.
std::optional<VisibleRead> ReadVisibleItem(App& app, const Request& request,
                                           const std::string& id_text, std::string_view kind,
                                           const Respond& respond);

// ReadVisibleItem for a GET of the item itself: the same checks and
// answers, through the kept view of the item's current state.
struct VisibleView {
  Principal principal;
  ItemViewPtr view;
};
std::optional<VisibleView> ReadVisibleView(App& app, const Request& request,
                                           const std::string& id_text, std::string_view kind,
                                           const Respond& respond);

boost::json::array EncodeRoles(const std::vector<engine::RoleBinding>& roles,
                               const engine::OrgTree& orgs, bool with_names);
boost::json::object EncodeUser(const storage::UserRecord& user, const engine::OrgTree& orgs);
boost::json::object EncodeOrg(const engine::Org& org, const engine::OrgTree& orgs);

}  // namespace jingsai::api
