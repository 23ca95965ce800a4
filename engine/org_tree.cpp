#include "engine/org_tree.h"

#include <algorithm>
#include <cassert>

namespace jingsai::engine {

std::string_view OrgLevelName(OrgLevel level) {
  switch (level) {
    case OrgLevel::kCity:
      return "city";
    case OrgLevel::kCounty:
      return "county";
    case OrgLevel::kUnit:
      return "unit";
  }
  return "unit";
}

std::optional<OrgLevel> ParseOrgLevel(std::string_view name) {
  if (name == "city") return OrgLevel::kCity;
  if (name == "county") return OrgLevel::kCounty;
  if (name == "unit") return OrgLevel::kUnit;
  return std::nullopt;
}

void OrgTree::Add(Org org) {
  assert(!by_id_.contains(org.id));
  assert(!org.parent_id || by_id_.contains(*org.parent_id));
  by_id_[org.id] = orgs_.size();
  by_code_[org.code] = orgs_.size();
  orgs_.push_back(std::move(org));
}

const Org* OrgTree::Find(int64_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &orgs_[it->second];
}

const Org* OrgTree::FindByCode(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? nullptr : &orgs_[it->second];
}

const Org* OrgTree::Root() const {
  for (const Org& org : orgs_) {
    if (!org.parent_id) return &org;
  }
  return nullptr;
}

std::vector<const Org*> OrgTree::Children(int64_t id) const {
  std::vector<const Org*> children;
  for (const Org& org : orgs_) {
    if (org.parent_id == id) children.push_back(&org);
  }
  return children;
}

bool OrgTree::Contains(int64_t ancestor, int64_t org) const {
  for (const Org* at = Find(org); at != nullptr;
       at = at->parent_id ? Find(*at->parent_id) : nullptr) {
    if (at->id == ancestor) return true;
  }
  return false;
}

int64_t OrgTree::CountyScopeOf(int64_t org) const {
  for (const Org* at = Find(org); at != nullptr;
       at = at->parent_id ? Find(*at->parent_id) : nullptr) {
    if (at->level == OrgLevel::kCounty) return at->id;
  }
  const Org* root = Root();
  return root ? root->id : 0;
}

bool OrgTree::IsCityDirect(int64_t org) const {
  const Org* found = Find(org);
  if (found == nullptr || !found->parent_id) return false;
  if (found->level == OrgLevel::kCounty) return true;  // a county union reports to the city
  const Org* root = Root();
  return root != nullptr && CountyScopeOf(org) == root->id;
}

std::string OrgTree::PathOf(int64_t org) const {
  std::vector<int64_t> ids;
  for (const Org* at = Find(org); at != nullptr;
       at = at->parent_id ? Find(*at->parent_id) : nullptr) {
    ids.push_back(at->id);
  }
  std::string path = "/";
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    path += std::to_string(*it);
    path += '/';
  }
  return path;
}

}  // namespace jingsai::engine
