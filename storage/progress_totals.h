// Progress totals: indicator sums of approved reports per campaign and
// county scope, kept incrementally as reports are approved, so the progress
// endpoint reads a few hundred rows instead of re-summing every report.
#pragma once

#include <map>
#include <string>

#include "engine/progress.h"
#include "engine/result.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

// Adds `counts` to the totals of (campaign, scope). Call in the transaction
// that approves the report.
engine::Status AddToTotals(Database& db, const std::string& campaign, int64_t scope_org,
                           const engine::IndicatorTotals& counts);

engine::Result<std::map<int64_t, engine::IndicatorTotals>> LoadTotals(Database& db,
                                                                      const std::string& campaign);

}  // namespace jingsai::storage
