// report.complete and report.consistent: the shape and the arithmetic of a
// report's data, judged against the campaign's indicators and competitions.
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

#include "engine/text.h"
#include "engine/validator_rules.h"

namespace jingsai::engine::rules {

namespace {

Detail Violation(std::string path, std::string message, std::string_view rule) {
  return Detail{std::move(path), std::move(message), std::string(rule)};
}

std::string Count(int64_t value) { return std::to_string(value); }

// One "part <= whole" rule. From a rate, a part without its whole is also a
// problem: the rate the campaign asks for could not be computed.
struct Bound {
  const Indicator* part;
  const Indicator* whole;
  const Indicator* rate;  // null when the bound is not a campaign rate
};

// Containments the campaign's rates do not state (or that a campaign might
// leave out): a subset never outnumbers its set. Person-times
// (workers_participating, skill_contest_participants) count events, not
// people, so they have no cap.
constexpr std::pair<std::string_view, std::string_view> kContainments[] = {
    {"proposals_implemented", "proposals_submitted"},
    {"workers_in_competition", "workers_total"},
    {"nonpublic_enterprises_competing", "nonpublic_enterprises"},
    {"nonpublic_enterprises", "enterprises_total"},
};

std::vector<Bound> BoundsOf(const Campaign& campaign) {
  std::vector<Bound> bounds;
  auto add = [&](const Indicator* part, const Indicator* whole, const Indicator* rate) {
    if (part == nullptr || whole == nullptr || !part->reported || !whole->reported) return;
    for (Bound& bound : bounds) {
      if (bound.part == part && bound.whole == whole) {
        if (bound.rate == nullptr) bound.rate = rate;
        return;
      }
    }
    bounds.push_back(Bound{part, whole, rate});
  };
  for (const Indicator& indicator : campaign.indicators) {
    if (indicator.IsRate()) {
      add(campaign.FindIndicator(indicator.numerator),
          campaign.FindIndicator(indicator.denominator), &indicator);
    }
  }
  for (const auto& [part, whole] : kContainments) {
    add(campaign.FindIndicator(part), campaign.FindIndicator(whole), nullptr);
  }
  return bounds;
}

void CheckIndicators(const Campaign& campaign, const boost::json::object& indicators,
                     std::vector<Detail>& out) {
  for (const auto& member : indicators) {
    const std::string key(member.key());
    const std::string path = "data.indicators." + key;
    const Indicator* indicator = campaign.FindIndicator(key);
    if (indicator == nullptr) {
      out.push_back(Violation(path, "未知指标 " + key, kReportComplete));
    } else if (!indicator->reported) {
      const Indicator* numerator = campaign.FindIndicator(indicator->numerator);
      const Indicator* denominator = campaign.FindIndicator(indicator->denominator);
      std::string how = numerator != nullptr && denominator != nullptr
                            ? "由" + numerator->label + "与" + denominator->label + "计算得出"
                            : "由计数指标计算得出";
      out.push_back(
          Violation(path, indicator->label + "是比率，" + how + "，不能直接填报", kReportComplete));
    } else {
      // 1e20 is no count a double can hold exactly, but the problem is its size.
      const boost::json::value& value = member.value();
      std::optional<int64_t> count = WholeCount(value);
      const bool too_large = count
                                 ? *count > kMaxReportedCount
                                 : value.is_number() && value.to_number<double>() >
                                                            static_cast<double>(kMaxReportedCount);
      if (too_large) {
        out.push_back(Violation(path,
                                indicator->label + "不能超过 " + std::to_string(kMaxReportedCount),
                                kReportComplete));
      } else if (!count) {
        out.push_back(Violation(path, indicator->label + "必须是不小于 0 的整数", kReportComplete));
      }
    }
  }
}

void CheckNarrative(const boost::json::object& data, int64_t min_chars, std::vector<Detail>& out) {
  const boost::json::value* narrative = data.if_contains("narrative");
  if (narrative == nullptr) {
    out.push_back(Violation("data.narrative", "缺少经验材料", kReportComplete));
    return;
  }
  const boost::json::string* text = narrative->if_string();
  if (text == nullptr) {
    out.push_back(Violation("data.narrative", "经验材料必须是文本", kReportComplete));
    return;
  }
  const auto chars = static_cast<int64_t>(TrimmedCodePoints(*text));
  if (chars < min_chars) {
    out.push_back(Violation(
        "data.narrative",
        "经验材料过短：至少需要 " + Count(min_chars) + " 个字，现有 " + Count(chars) + " 个字",
        kReportComplete));
  }
}

// Returns how many competition entries were given, valid or not.
size_t CheckCompetitions(const Campaign& campaign, const boost::json::value& value,
                         std::vector<Detail>& out) {
  const boost::json::array* competitions = value.if_array();
  if (competitions == nullptr) {
    out.push_back(Violation("data.competitions", "竞赛活动必须是数组", kReportComplete));
    return 1;
  }
  std::set<std::string, std::less<>> seen;
  for (size_t i = 0; i < competitions->size(); ++i) {
    const std::string path = "data.competitions[" + std::to_string(i) + "]";
    const boost::json::string* key = (*competitions)[i].if_string();
    if (key == nullptr) {
      out.push_back(Violation(path, "竞赛活动须以其代码（文本）填写", kReportComplete));
    } else if (!campaign.IsKnownCompetition(*key)) {
      out.push_back(Violation(path, "未知的竞赛活动 " + std::string(*key), kReportComplete));
    } else if (!seen.emplace(*key).second) {
      out.push_back(Violation(path, "竞赛活动 " + std::string(*key) + " 重复", kReportComplete));
    }
  }
  return competitions->size();
}

}  // namespace

std::optional<int64_t> WholeCount(const boost::json::value& value) {
  if (value.is_int64()) {
    const int64_t count = value.get_int64();
    return count >= 0 ? std::optional<int64_t>(count) : std::nullopt;
  }
  if (value.is_uint64()) {
    const uint64_t count = value.get_uint64();
    if (count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(count);
  }
  if (value.is_double()) {
    // Above 2^53 a double no longer tells whole numbers apart.
    const double count = value.get_double();
    if (!std::isfinite(count) || count < 0 || count > 9007199254740992.0 ||
        std::floor(count) != count) {
      return std::nullopt;
    }
    return static_cast<int64_t>(count);
  }
  return std::nullopt;
}

const boost::json::object* IndicatorsOf(const boost::json::value* data) {
  const boost::json::object* object = data == nullptr ? nullptr : data->if_object();
  const boost::json::value* indicators =
      object == nullptr ? nullptr : object->if_contains("indicators");
  return indicators == nullptr ? nullptr : indicators->if_object();
}

std::optional<int64_t> ReportedCount(const boost::json::value* data, std::string_view key) {
  const boost::json::object* indicators = IndicatorsOf(data);
  const boost::json::value* value = indicators == nullptr ? nullptr : indicators->if_contains(key);
  return value == nullptr ? std::nullopt : WholeCount(*value);
}

Detail UnknownCampaign(std::string_view rule) {
  return Violation("campaign", "未知的竞赛活动计划，无法按其定义校验", rule);
}

std::vector<Detail> ReportComplete(const ValidationInput& input,
                                   const boost::json::object& params) {
  if (input.campaign == nullptr) return {UnknownCampaign(kReportComplete)};
  const Campaign& campaign = *input.campaign;
  std::vector<Detail> out;
  const boost::json::object* data = input.data == nullptr ? nullptr : input.data->if_object();
  if (data == nullptr) {
    out.push_back(Violation("data", "报送内容必须是对象", kReportComplete));
    return out;
  }
  // Malformed containers count as "given": their own violation says enough.
  size_t given = 0;
  if (const boost::json::value* indicators = data->if_contains("indicators")) {
    if (const boost::json::object* object = indicators->if_object()) {
      CheckIndicators(campaign, *object, out);
      given += object->size();
    } else {
      out.push_back(Violation("data.indicators", "指标必须是对象", kReportComplete));
      ++given;
    }
  }
  int64_t min_chars = kDefaultMinNarrativeChars;
  if (const boost::json::value* param = params.if_contains(kMinNarrativeChars)) {
    min_chars = WholeCount(*param).value_or(kDefaultMinNarrativeChars);
  }
  CheckNarrative(*data, min_chars, out);
  if (const boost::json::value* competitions = data->if_contains("competitions")) {
    given += CheckCompetitions(campaign, *competitions, out);
  }
  if (given == 0) {
    out.push_back(Violation("data", "至少需要填报一项指标或一项竞赛活动", kReportComplete));
  }
  return out;
}

std::vector<Detail> ReportConsistent(const ValidationInput& input,
                                     const boost::json::object& /*params*/) {
  if (input.campaign == nullptr) return {UnknownCampaign(kReportConsistent)};
  // Shape problems (no data, bad counts) are report.complete's to name; here
  // only valid counts are compared.
  const boost::json::object* indicators = IndicatorsOf(input.data);
  if (indicators == nullptr) return {};
  std::vector<Detail> out;
  for (const Bound& bound : BoundsOf(*input.campaign)) {
    if (!indicators->contains(bound.part->key)) continue;
    const std::string path = "data.indicators." + bound.part->key;
    if (!indicators->contains(bound.whole->key)) {
      if (bound.rate != nullptr) {
        out.push_back(Violation(path,
                                "填报了" + bound.part->label + "，但缺少" + bound.whole->label +
                                    "，无法计算" + bound.rate->label,
                                kReportConsistent));
      }
      continue;
    }
    std::optional<int64_t> part = ReportedCount(input.data, bound.part->key);
    std::optional<int64_t> whole = ReportedCount(input.data, bound.whole->key);
    if (part && whole && *part > *whole) {
      out.push_back(Violation(path,
                              bound.part->label + "（" + Count(*part) + "）不能多于" +
                                  bound.whole->label + "（" + Count(*whole) + "）",
                              kReportConsistent));
    }
  }
  return out;
}

}  // namespace jingsai::engine::rules
