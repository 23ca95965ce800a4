#include "engine/report_diff.h"

#include <algorithm>
#include <set>
#include <string>

namespace jingsai::engine {
namespace {

const boost::json::value* Field(const boost::json::value& data, std::string_view key) {
  const boost::json::object* object = data.if_object();
  return object ? object->if_contains(key) : nullptr;
}

const boost::json::object& IndicatorsOf(const boost::json::value& data) {
  static const boost::json::object kEmpty;
  const boost::json::value* indicators = Field(data, "indicators");
  return indicators && indicators->is_object() ? indicators->as_object() : kEmpty;
}

std::set<std::string> CompetitionsOf(const boost::json::value& data) {
  std::set<std::string> keys;
  const boost::json::value* list = Field(data, "competitions");
  if (list == nullptr || !list->is_array()) return keys;
  for (const boost::json::value& key : list->as_array()) {
    if (key.is_string()) keys.insert(std::string(key.as_string()));
  }
  return keys;
}

boost::json::array Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  boost::json::array out;
  for (const std::string& key : a) {
    if (!b.contains(key)) out.push_back(boost::json::value(key));
  }
  return out;
}

// Evidence is the same file when its hash, kind and reference are the same.
std::string EvidenceKey(const EvidenceInfo& info) {
  return info.sha256 + "|" + info.kind + "|" + info.ref;
}

boost::json::array EvidenceMinus(const std::vector<EvidenceInfo>& a,
                                 const std::vector<EvidenceInfo>& b) {
  std::multiset<std::string> present;
  for (const EvidenceInfo& info : b) present.insert(EvidenceKey(info));
  boost::json::array out;
  for (const EvidenceInfo& info : a) {
    auto it = present.find(EvidenceKey(info));
    if (it != present.end()) {
      present.erase(it);
    } else {
      out.push_back(EncodeEvidenceInfo(info));
    }
  }
  return out;
}

}  // namespace

boost::json::object EncodeEvidenceInfo(const EvidenceInfo& info) {
  return {{"sha256", info.sha256}, {"filename", info.filename},         {"kind", info.kind},
          {"ref", info.ref},       {"content_type", info.content_type}, {"size", info.size}};
}

boost::json::object DiffReports(const Campaign* campaign, const boost::json::value& before,
                                const std::vector<EvidenceInfo>& before_evidence,
                                const boost::json::value& after,
                                const std::vector<EvidenceInfo>& after_evidence) {
  const boost::json::object& old_values = IndicatorsOf(before);
  const boost::json::object& new_values = IndicatorsOf(after);
  std::set<std::string> keys;
  for (const auto& [key, value] : old_values) keys.insert(std::string(key));
  for (const auto& [key, value] : new_values) keys.insert(std::string(key));

  boost::json::array indicators;
  for (const std::string& key : keys) {
    const boost::json::value* old_value = old_values.if_contains(key);
    const boost::json::value* new_value = new_values.if_contains(key);
    if (old_value && new_value && *old_value == *new_value) continue;
    const Indicator* indicator = campaign ? campaign->FindIndicator(key) : nullptr;
    indicators.push_back({{"key", key},
                          {"label", indicator ? indicator->label : key},
                          {"before", old_value ? *old_value : boost::json::value(nullptr)},
                          {"after", new_value ? *new_value : boost::json::value(nullptr)}});
  }
  std::set<std::string> old_competitions = CompetitionsOf(before);
  std::set<std::string> new_competitions = CompetitionsOf(after);
  const boost::json::value* old_narrative = Field(before, "narrative");
  const boost::json::value* new_narrative = Field(after, "narrative");
  bool narrative_changed = (old_narrative == nullptr) != (new_narrative == nullptr) ||
                           (old_narrative && *old_narrative != *new_narrative);
  return {{"indicators", std::move(indicators)},
          {"competitions",
           {{"added", Minus(new_competitions, old_competitions)},
            {"removed", Minus(old_competitions, new_competitions)}}},
          {"narrative_changed", narrative_changed},
          {"evidence",
           {{"added", EvidenceMinus(after_evidence, before_evidence)},
            {"removed", EvidenceMinus(before_evidence, after_evidence)}}}};
}

}  // namespace jingsai::engine
