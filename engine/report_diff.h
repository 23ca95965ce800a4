// What changed in a report between two moments (typically: when a reviewer
// returned it, and now): indicator values, competitions, the narrative, and
// evidence files added or removed. Pure.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <vector>

#include "engine/campaign.h"
#include "engine/validators.h"

namespace jingsai::engine {

// {"indicators": [{"key", "label", "before", "after"}], "competitions": {"added", "removed"},
//  "narrative_changed", "evidence": {"added": [...], "removed": [...]}}; only what differs.
// `campaign` may be null (labels then fall back to keys).
boost::json::object DiffReports(const Campaign* campaign, const boost::json::value& before,
                                const std::vector<EvidenceInfo>& before_evidence,
                                const boost::json::value& after,
                                const std::vector<EvidenceInfo>& after_evidence);

boost::json::object EncodeEvidenceInfo(const EvidenceInfo& info);

}  // namespace jingsai::engine
