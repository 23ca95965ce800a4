// Campaign: a year's labor-competition plan as data: its indicators with
// targets, the competitions a report may name, the deadline and late policy.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"

namespace jingsai::engine {

using TimePoint = std::chrono::system_clock::time_point;

enum class LatePolicy { kFlag, kRefuse };

struct Indicator {
  std::string key;
  std::string label;  // Chinese, as in the plan
  std::string unit;   // e.g. "件", "人次", "%"
  // Rates are derived: numerator / denominator keys of reported counts.
  std::string numerator;
  std::string denominator;
  std::optional<double> target;  // for rates a fraction (0.9 = 90%)
  bool target_is_minimum = true;
  int64_t per_county_minimum = 0;  // e.g. 1: at least one studio in every county
  bool reported = true;            // false for derived rates

  bool IsRate() const { return !numerator.empty(); }
};

struct Competition {
  std::string key;
  std::string label;
};

struct Campaign {
  std::string key;
  std::string title;
  std::string deadline_date;  // "2014-10-20", local date in `timezone`
  std::string timezone;       // "Asia/Shanghai"
  TimePoint deadline;         // the first instant that is late
  LatePolicy late_policy = LatePolicy::kFlag;
  std::vector<Indicator> indicators;
  std::vector<Competition> competitions;
  boost::json::value source;

  const Indicator* FindIndicator(std::string_view key) const;
  bool IsKnownCompetition(std::string_view key) const;
  bool IsLate(TimePoint at) const { return at >= deadline; }
};

// Parses a campaign definition (see workflows/leshan-2014.json); kBadRequest
// with every problem's path on failure.
Result<Campaign> ParseCampaign(const boost::json::value& json);

}  // namespace jingsai::engine
