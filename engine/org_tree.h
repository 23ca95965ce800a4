// OrgTree: the organization hierarchy (city -> county -> unit) as a value.
//
// Scope resolution and visibility are questions about this tree. An OrgTree is
// immutable once built by the caller; share it as std::shared_ptr<const OrgTree>
// and replace it whole when an organization is added. Not thread-safe to
// mutate; safe to read from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jingsai::engine {

enum class OrgLevel { kCity, kCounty, kUnit };

std::string_view OrgLevelName(OrgLevel level);
std::optional<OrgLevel> ParseOrgLevel(std::string_view name);

struct Org {
  int64_t id = 0;
  std::string code;
  std::string name;
  OrgLevel level = OrgLevel::kUnit;
  std::optional<int64_t> parent_id;  // empty only for the root
};

class OrgTree {
 public:
  // REQUIRES: the parent (if any) was added before; ids and codes are unique.
  void Add(Org org);

  const Org* Find(int64_t id) const;
  const Org* FindByCode(std::string_view code) const;
  const Org* Root() const;  // nullptr while empty
  const std::vector<Org>& All() const { return orgs_; }
  std::vector<const Org*> Children(int64_t id) const;

  // True when `org` is `ancestor` or lies below it.
  bool Contains(int64_t ancestor, int64_t org) const;

  // The county-level ancestor (or self) of `org`; for an org with none (the
  // root, or a city-direct unit), the root.
  int64_t CountyScopeOf(int64_t org) const;

  // True when the org's reports go straight to the city: a county-level union
  // itself, or any org with no county-level ancestor (a city-direct unit).
  bool IsCityDirect(int64_t org) const;

  // "/1/5/23/": the ids from the root down to `org`. Prefix matching on this
  // string answers subtree questions in SQL.
  std::string PathOf(int64_t org) const;

 private:
  std::vector<Org> orgs_;
  std::unordered_map<int64_t, size_t> by_id_;
  std::unordered_map<std::string, size_t> by_code_;
};

}  // namespace jingsai::engine
