#include "engine/progress.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace jingsai::engine {
namespace {

constexpr std::string_view kStudios = "innovation_studios";

std::optional<int64_t> WholeCount(const boost::json::value& value) {
  if (value.is_int64() && value.as_int64() >= 0) return value.as_int64();
  if (value.is_uint64()) return static_cast<int64_t>(value.as_uint64());
  if (value.is_double()) {
    double number = value.as_double();
    if (number >= 0 && std::floor(number) == number && number < 9e15) {
      return static_cast<int64_t>(number);
    }
  }
  return std::nullopt;
}

// Reports' counts are bounded (kMaxReportedCount), but totals kept from
// before the bound must not wrap around into negative numbers either.
void AddCapped(int64_t& total, int64_t count) {
  if (__builtin_add_overflow(total, count, &total)) total = std::numeric_limits<int64_t>::max();
}

int64_t TotalOf(const IndicatorTotals& totals, const std::string& key) {
  auto it = totals.find(key);
  return it == totals.end() ? 0 : it->second;
}

// The county-level unions below an indicator's per-county minimum, by key.
using CountiesBelow = std::map<std::string, std::vector<std::string>>;

// `below` (for the city's figures): an indicator with a minimum in every
// county is met only when the total reaches its target and no county is
// below that minimum; its entry names the counties that are.
boost::json::array EncodeIndicators(const Campaign& campaign, const IndicatorTotals& totals,
                                    const CountiesBelow* below = nullptr) {
  boost::json::array indicators;
  for (const Indicator& indicator : campaign.indicators) {
    boost::json::object entry{
        {"key", indicator.key}, {"label", indicator.label}, {"unit", indicator.unit}};
    entry["target"] =
        indicator.target ? boost::json::value(*indicator.target) : boost::json::value(nullptr);
    std::optional<double> actual;
    if (indicator.IsRate()) {
      int64_t numerator = TotalOf(totals, indicator.numerator);
      int64_t denominator = TotalOf(totals, indicator.denominator);
      entry["numerator"] = numerator;
      entry["denominator"] = denominator;
      // A rate with nothing to divide by is unknown, not zero.
      if (denominator > 0)
        actual = static_cast<double>(numerator) / static_cast<double>(denominator);
      entry["actual"] = actual ? boost::json::value(*actual) : boost::json::value(nullptr);
    } else {
      actual = static_cast<double>(TotalOf(totals, indicator.key));
      entry["actual"] = TotalOf(totals, indicator.key);
    }
    // A target is a floor unless the campaign marks it as a ceiling.
    bool met =
        indicator.target && actual &&
        (indicator.target_is_minimum ? *actual >= *indicator.target : *actual <= *indicator.target);
    if (below != nullptr && indicator.per_county_minimum > 0) {
      boost::json::array counties;
      if (auto it = below->find(indicator.key); it != below->end()) {
        for (const std::string& code : it->second) counties.push_back(boost::json::value(code));
      }
      met = met && counties.empty();
      entry["per_county_minimum"] = indicator.per_county_minimum;
      entry["counties_below_minimum"] = std::move(counties);
    }
    entry["met"] = indicator.target ? boost::json::value(met) : boost::json::value(nullptr);
    indicators.push_back(std::move(entry));
  }
  return indicators;
}

}  // namespace

void AddReportCounts(const Campaign& campaign, const boost::json::value& data,
                     IndicatorTotals& totals) {
  const boost::json::object* object = data.if_object();
  const boost::json::value* given = object ? object->if_contains("indicators") : nullptr;
  if (given == nullptr || !given->is_object()) return;
  for (const auto& [key, value] : given->as_object()) {
    const Indicator* indicator = campaign.FindIndicator(key);
    if (indicator == nullptr || indicator->IsRate()) continue;
    if (std::optional<int64_t> count = WholeCount(value))
      AddCapped(totals[std::string(key)], *count);
  }
}

boost::json::object BuildProgress(const Campaign& campaign, const OrgTree& orgs,
                                  const std::map<int64_t, IndicatorTotals>& by_scope) {
  IndicatorTotals city;
  for (const auto& [scope, totals] : by_scope) {
    for (const auto& [key, total] : totals) AddCapped(city[key], total);
  }
  boost::json::array counties;
  boost::json::array without_studio;
  CountiesBelow below;
  const Org* root = orgs.Root();
  for (const Org* county : root ? orgs.Children(root->id) : std::vector<const Org*>{}) {
    if (county->level != OrgLevel::kCounty) continue;
    auto it = by_scope.find(county->id);
    static const IndicatorTotals kEmpty;
    const IndicatorTotals& totals = it == by_scope.end() ? kEmpty : it->second;
    counties.push_back({{"org", county->code},
                        {"name", county->name},
                        {"indicators", EncodeIndicators(campaign, totals)}});
    if (campaign.FindIndicator(kStudios) != nullptr && TotalOf(totals, std::string(kStudios)) < 1) {
      without_studio.push_back(boost::json::value(county->code));
    }
    for (const Indicator& indicator : campaign.indicators) {
      if (indicator.per_county_minimum > 0 && !indicator.IsRate() &&
          TotalOf(totals, indicator.key) < indicator.per_county_minimum) {
        below[indicator.key].push_back(county->code);
      }
    }
  }
  return {{"campaign", campaign.key},
          {"indicators", EncodeIndicators(campaign, city, &below)},
          {"by_county", std::move(counties)},
          {"counties_without_studio", std::move(without_studio)}};
}

}  // namespace jingsai::engine
