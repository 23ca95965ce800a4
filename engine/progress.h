// Progress: a campaign's indicators summed over approved reports, against
// the plan's targets, for the city and per county. Pure: the caller supplies
// the totals per county scope; rates are computed from summed counts.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/org_tree.h"

namespace jingsai::engine {

// indicator key -> total, for one county scope.
using IndicatorTotals = std::map<std::string, int64_t>;

// Adds a report's reported counts (whole numbers >= 0 of known, reported
// indicators; anything else is ignored) to `totals`.
void AddReportCounts(const Campaign& campaign, const boost::json::value& data,
                     IndicatorTotals& totals);

// {"campaign", "indicators": [...], "by_county": [...], "counties_without_studio": [...]}
// `by_scope` maps a county scope org id (a county union, or the root for
// city-direct units) to its totals.
boost::json::object BuildProgress(const Campaign& campaign, const OrgTree& orgs,
                                  const std::map<int64_t, IndicatorTotals>& by_scope);

}  // namespace jingsai::engine
