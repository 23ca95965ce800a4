#include "engine/progress.h"

#include <cmath>

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

int64_t TotalOf(const IndicatorTotals& totals, const std::string& key) {
  auto it = totals.find(key);
  return it == totals.end() ? 0 : it->second;
}

boost::json::array EncodeIndicators(const Campaign& campaign, const IndicatorTotals& totals) {
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
    if (std::optional<int64_t> count = WholeCount(value)) totals[std::string(key)] += *count;
  }
}

boost::json::object BuildProgress(const Campaign& campaign, const OrgTree& orgs,
                                  const std::map<int64_t, IndicatorTotals>& by_scope) {
  IndicatorTotals city;
  for (const auto& [scope, totals] : by_scope) {
    for (const auto& [key, total] : totals) city[key] += total;
  }
  boost::json::array counties;
  boost::json::array without_studio;
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
  }
  return {{"campaign", campaign.key},
          {"indicators", EncodeIndicators(campaign, city)},
          {"by_county", std::move(counties)},
          {"counties_without_studio", std::move(without_studio)}};
}

}  // namespace jingsai::engine
