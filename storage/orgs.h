// The organizations table.
#pragma once

#include <string_view>

#include "engine/org_tree.h"
#include "engine/result.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

// Every organization, parents before children.
engine::Result<engine::OrgTree> LoadOrgs(Database& db);

// Inserts `org` (its id is ignored) and returns the new id; kConflict when
// the code exists.
engine::Result<int64_t> InsertOrg(Database& db, const engine::Org& org, std::string_view at);

}  // namespace jingsai::storage
