// Actor: who is acting, with the roles they hold, and the rules that turn a
// flow's declared role and scope into an organization.
//
// A role at an organization lets its holder SEE that organization's subtree;
// to ACT at a stage, the actor must hold the stage's role at exactly the
// organization the stage's scope resolves to (API.md, Identity).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/org_tree.h"

namespace jingsai::engine {

// Roles known to the system; flow definitions may only name these.
inline constexpr std::string_view kRoleSubmitter = "submitter";
inline constexpr std::string_view kRoleReviewer = "reviewer";
inline constexpr std::string_view kRoleVoter = "voter";
inline constexpr std::string_view kRoleAdmin = "admin";
bool IsKnownRole(std::string_view role);

enum class Scope { kSelf, kCounty, kCity };
std::string_view ScopeName(Scope scope);
std::optional<Scope> ParseScope(std::string_view name);

struct RoleBinding {
  std::string role;
  int64_t org_id = 0;

  bool operator==(const RoleBinding&) const = default;
};

struct Actor {
  int64_t user_id = 0;
  std::string username;
  std::vector<RoleBinding> roles;

  bool HoldsAt(std::string_view role, int64_t org_id) const;
  bool HasRole(std::string_view role) const;
};

// The organization at which `scope` puts the acting role for an item of `item_org`.
int64_t ResolveScope(Scope scope, const OrgTree& orgs, int64_t item_org);

// True when the actor may act with `role` at `scope` on an item of `item_org`.
bool MayAct(const Actor& actor, std::string_view role, Scope scope, const OrgTree& orgs,
            int64_t item_org);

// True when any of the actor's roles is held at `org` or one of its ancestors.
bool CanSee(const Actor& actor, const OrgTree& orgs, int64_t org);

}  // namespace jingsai::engine
