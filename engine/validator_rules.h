// The named validators' implementations and the helpers they share. Internal
// to the engine: flows and callers go through engine/validators.h.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "engine/validators.h"

namespace jingsai::engine::rules {

inline constexpr std::string_view kReportComplete = "report.complete";
inline constexpr std::string_view kReportConsistent = "report.consistent";
inline constexpr std::string_view kEvidenceBacksClaims = "evidence.backs_claims";
inline constexpr std::string_view kCampaignDeadline = "campaign.deadline";

// report.complete's parameter: the fewest characters of narrative accepted.
inline constexpr std::string_view kMinNarrativeChars = "min_narrative_chars";
inline constexpr int64_t kDefaultMinNarrativeChars = 20;

// Signature shared by every validator. `params` were checked when the flow
// was loaded, so a validator only falls back to defaults on odd values.
using Validator = std::vector<Detail> (*)(const ValidationInput& input,
                                          const boost::json::object& params);

std::vector<Detail> ReportComplete(const ValidationInput& input, const boost::json::object& params);
std::vector<Detail> ReportConsistent(const ValidationInput& input,
                                     const boost::json::object& params);
std::vector<Detail> EvidenceBacksClaims(const ValidationInput& input,
                                        const boost::json::object& params);

// A count as the reports carry it: a JSON integer >= 0, or a double with no
// fraction (some clients send 12.0). Anything else is not a count.
std::optional<int64_t> WholeCount(const boost::json::value& value);

// The largest count a report may give for one indicator: far above anything
// a city of three million reports (its largest target is 300,000 person-
// times), and small enough that the city's totals never overflow.
inline constexpr int64_t kMaxReportedCount = 1'000'000'000;

// The count reported for `key` in data.indicators, if it is a valid count.
std::optional<int64_t> ReportedCount(const boost::json::value* data, std::string_view key);

// data.indicators when data is an object holding an indicators object.
const boost::json::object* IndicatorsOf(const boost::json::value* data);

// The one violation a campaign-dependent validator reports without a campaign.
Detail UnknownCampaign(std::string_view rule);

}  // namespace jingsai::engine::rules
