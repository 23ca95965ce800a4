#include "engine/actor.h"

#include <algorithm>

namespace jingsai::engine {

bool IsKnownRole(std::string_view role) {
  return role == kRoleSubmitter || role == kRoleReviewer || role == kRoleVoter ||
         role == kRoleAdmin;
}

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kSelf:
      return "self";
    case Scope::kCounty:
      return "county";
    case Scope::kCity:
      return "city";
  }
  return "self";
}

std::optional<Scope> ParseScope(std::string_view name) {
  if (name == "self") return Scope::kSelf;
  if (name == "county") return Scope::kCounty;
  if (name == "city") return Scope::kCity;
  return std::nullopt;
}

bool Actor::HoldsAt(std::string_view role, int64_t org_id) const {
  return std::any_of(roles.begin(), roles.end(), [&](const RoleBinding& binding) {
    return binding.role == role && binding.org_id == org_id;
  });
}

bool Actor::HasRole(std::string_view role) const {
  return std::any_of(roles.begin(), roles.end(),
                     [&](const RoleBinding& binding) { return binding.role == role; });
}

int64_t ResolveScope(Scope scope, const OrgTree& orgs, int64_t item_org) {
  switch (scope) {
    case Scope::kSelf:
      return item_org;
    case Scope::kCounty:
      return orgs.CountyScopeOf(item_org);
    case Scope::kCity: {
      const Org* root = orgs.Root();
      return root ? root->id : 0;
    }
  }
  return item_org;
}

bool MayAct(const Actor& actor, std::string_view role, Scope scope, const OrgTree& orgs,
            int64_t item_org) {
  return actor.HoldsAt(role, ResolveScope(scope, orgs, item_org));
}

bool CanSee(const Actor& actor, const OrgTree& orgs, int64_t org) {
  return std::any_of(actor.roles.begin(), actor.roles.end(), [&](const RoleBinding& binding) {
    return orgs.Contains(binding.org_id, org);
  });
}

}  // namespace jingsai::engine
