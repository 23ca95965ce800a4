#include "engine/campaign.h"

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <cmath>
#include <set>
#include <utility>

namespace jingsai::engine {

namespace {

// Fields an indicator may carry; anything else is most likely a typo that
// would otherwise silently drop a target or a rate definition.
constexpr std::string_view kIndicatorFields[] = {"key",
                                                 "label",
                                                 "unit",
                                                 "target",
                                                 "numerator",
                                                 "denominator",
                                                 "per_county_minimum",
                                                 "target_is_minimum"};
constexpr std::string_view kCompetitionFields[] = {"key", "label"};

template <size_t N>
bool IsOneOf(std::string_view name, const std::string_view (&names)[N]) {
  for (std::string_view known : names) {
    if (known == name) return true;
  }
  return false;
}

// Collects problems while a campaign is read, each with its JSON path.
class Parser {
 public:
  explicit Parser(const boost::json::object& root) : root_(root) {}

  Result<Campaign> Run(const boost::json::value& json);

 private:
  void Problem(std::string path, std::string message) {
    problems_.push_back(Detail{std::move(path), std::move(message), ""});
  }

  // A required non-empty string member of `object`, or "" after a problem.
  std::string RequiredString(const boost::json::object& object, std::string_view name,
                             const std::string& path);
  // An optional string member; a problem if present with another type.
  std::string OptionalString(const boost::json::object& object, std::string_view name,
                             const std::string& path);
  std::optional<double> OptionalNumber(const boost::json::object& object, std::string_view name,
                                       const std::string& path);
  void ParseDeadline(Campaign& campaign);
  void ParseIndicators(Campaign& campaign);
  void CheckRate(const Campaign& campaign, const Indicator& rate, const std::string& path);
  void ParseCompetitions(Campaign& campaign);

  const boost::json::object& root_;
  std::vector<Detail> problems_;
};

std::string JoinPath(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

std::string IndexPath(std::string_view array, size_t index) {
  return std::string(array) + "[" + std::to_string(index) + "]";
}

std::string Parser::RequiredString(const boost::json::object& object, std::string_view name,
                                   const std::string& path) {
  const boost::json::value* found = object.if_contains(name);
  const std::string member_path = JoinPath(path, name);
  if (found == nullptr) {
    Problem(member_path, "缺少必填项 " + std::string(name));
    return "";
  }
  const boost::json::string* text = found->if_string();
  if (text == nullptr) {
    Problem(member_path, std::string(name) + " 必须是字符串");
    return "";
  }
  if (text->empty()) {
    Problem(member_path, std::string(name) + " 不能为空");
    return "";
  }
  return std::string(*text);
}

std::string Parser::OptionalString(const boost::json::object& object, std::string_view name,
                                   const std::string& path) {
  const boost::json::value* found = object.if_contains(name);
  if (found == nullptr) return "";
  const boost::json::string* text = found->if_string();
  if (text == nullptr) {
    Problem(JoinPath(path, name), std::string(name) + " 必须是字符串");
    return "";
  }
  return std::string(*text);
}

std::optional<double> Parser::OptionalNumber(const boost::json::object& object,
                                             std::string_view name, const std::string& path) {
  const boost::json::value* found = object.if_contains(name);
  if (found == nullptr) return std::nullopt;
  double number = 0;
  if (found->is_int64()) {
    number = static_cast<double>(found->get_int64());
  } else if (found->is_uint64()) {
    number = static_cast<double>(found->get_uint64());
  } else if (found->is_double()) {
    number = found->get_double();
  } else {
    Problem(JoinPath(path, name), std::string(name) + " 必须是数字");
    return std::nullopt;
  }
  if (!std::isfinite(number) || number < 0) {
    Problem(JoinPath(path, name), std::string(name) + " 必须是不小于 0 的数");
    return std::nullopt;
  }
  return number;
}

// "YYYY-MM-DD" exactly: fixed width, digits, a real calendar date.
std::optional<std::chrono::year_month_day> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t count) -> std::optional<int> {
    int value = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  std::optional<int> year = digits(0, 4);
  std::optional<int> month = digits(5, 2);
  std::optional<int> day = digits(8, 2);
  if (!year || !month || !day) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year{*year},
                                   std::chrono::month{static_cast<unsigned>(*month)},
                                   std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

// The fixed UTC offsets we support. A tz database would be I/O and would make
// the engine depend on the host; the plan's city has had no DST since 1991.
std::optional<std::chrono::minutes> UtcOffset(std::string_view timezone) {
  if (timezone == "Asia/Shanghai") return std::chrono::hours{8};
  if (timezone == "UTC") return std::chrono::minutes{0};
  return std::nullopt;
}

void Parser::ParseDeadline(Campaign& campaign) {
  campaign.deadline_date = RequiredString(root_, "deadline", "");
  campaign.timezone = RequiredString(root_, "timezone", "");
  std::optional<std::chrono::year_month_day> date;
  if (!campaign.deadline_date.empty()) {
    date = ParseDate(campaign.deadline_date);
    if (!date) Problem("deadline", "截止日期必须是有效日期，格式为 YYYY-MM-DD");
  }
  std::optional<std::chrono::minutes> offset;
  if (!campaign.timezone.empty()) {
    offset = UtcOffset(campaign.timezone);
    if (!offset)
      Problem("timezone", "不支持的时区 " + campaign.timezone + "（支持 Asia/Shanghai、UTC）");
  }
  if (date && offset) {
    // "Before 2014-10-20" in the plan is read as "by the end of that day":
    // the first late instant is the local midnight that starts the next day.
    std::chrono::sys_days next_day = std::chrono::sys_days{*date} + std::chrono::days{1};
    campaign.deadline = TimePoint{next_day} - *offset;
  }
}

void Parser::ParseIndicators(Campaign& campaign) {
  const boost::json::value* found = root_.if_contains("indicators");
  const boost::json::array* array = found == nullptr ? nullptr : found->if_array();
  if (array == nullptr) {
    Problem("indicators", found == nullptr ? "缺少指标列表 indicators" : "indicators 必须是数组");
    return;
  }
  if (array->empty()) Problem("indicators", "至少需要一项指标");
  std::set<std::string, std::less<>> seen;
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string path = IndexPath("indicators", i);
    const boost::json::object* object = (*array)[i].if_object();
    if (object == nullptr) {
      Problem(path, "指标必须是对象");
      continue;
    }
    for (const auto& member : *object) {
      if (!IsOneOf(member.key(), kIndicatorFields)) {
        Problem(JoinPath(path, member.key()), "未知字段 " + std::string(member.key()));
      }
    }
    Indicator indicator;
    indicator.key = RequiredString(*object, "key", path);
    indicator.label = RequiredString(*object, "label", path);
    indicator.unit = RequiredString(*object, "unit", path);
    indicator.numerator = OptionalString(*object, "numerator", path);
    indicator.denominator = OptionalString(*object, "denominator", path);
    indicator.target = OptionalNumber(*object, "target", path);
    std::optional<double> minimum = OptionalNumber(*object, "per_county_minimum", path);
    indicator.per_county_minimum =
        minimum && *minimum > 0 ? static_cast<int64_t>(std::ceil(*minimum)) : 0;
    if (const boost::json::value* is_minimum = object->if_contains("target_is_minimum")) {
      if (is_minimum->is_bool()) {
        indicator.target_is_minimum = is_minimum->get_bool();
      } else {
        Problem(JoinPath(path, "target_is_minimum"), "target_is_minimum 必须是布尔值");
      }
    }
    indicator.reported = indicator.numerator.empty() && indicator.denominator.empty();
    if (!indicator.key.empty() && !seen.insert(indicator.key).second) {
      Problem(JoinPath(path, "key"), "指标 " + indicator.key + " 重复");
    }
    campaign.indicators.push_back(std::move(indicator));
  }
  // Rates refer to other indicators, so they are checked once all are known.
  for (size_t i = 0; i < campaign.indicators.size(); ++i) {
    const Indicator& indicator = campaign.indicators[i];
    if (!indicator.reported) CheckRate(campaign, indicator, IndexPath("indicators", i));
  }
}

void Parser::CheckRate(const Campaign& campaign, const Indicator& rate, const std::string& path) {
  auto check_part = [&](std::string_view field, const std::string& key) {
    const std::string field_path = JoinPath(path, field);
    if (key.empty()) {
      Problem(field_path, "比率指标必须同时给出 numerator 与 denominator");
      return;
    }
    if (key == rate.key) {
      Problem(field_path, std::string(field) + " 不能指向比率指标自身");
      return;
    }
    const Indicator* part = campaign.FindIndicator(key);
    if (part == nullptr) {
      Problem(field_path, "未知指标 " + key);
    } else if (!part->reported) {
      Problem(field_path, std::string(field) + " 必须是填报的计数指标，" + key + " 是比率");
    }
  };
  check_part("numerator", rate.numerator);
  check_part("denominator", rate.denominator);
  if (rate.target && *rate.target > 1) {
    Problem(JoinPath(path, "target"), "比率目标是小数（0.9 表示 90%），不能大于 1");
  }
}

void Parser::ParseCompetitions(Campaign& campaign) {
  const boost::json::value* found = root_.if_contains("competitions");
  const boost::json::array* array = found == nullptr ? nullptr : found->if_array();
  if (array == nullptr) {
    Problem("competitions",
            found == nullptr ? "缺少竞赛项目列表 competitions" : "competitions 必须是数组");
    return;
  }
  std::set<std::string, std::less<>> seen;
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string path = IndexPath("competitions", i);
    const boost::json::object* object = (*array)[i].if_object();
    if (object == nullptr) {
      Problem(path, "竞赛项目必须是对象");
      continue;
    }
    for (const auto& member : *object) {
      if (!IsOneOf(member.key(), kCompetitionFields)) {
        Problem(JoinPath(path, member.key()), "未知字段 " + std::string(member.key()));
      }
    }
    Competition competition;
    competition.key = RequiredString(*object, "key", path);
    competition.label = RequiredString(*object, "label", path);
    if (!competition.key.empty() && !seen.insert(competition.key).second) {
      Problem(JoinPath(path, "key"), "竞赛项目 " + competition.key + " 重复");
    }
    campaign.competitions.push_back(std::move(competition));
  }
}

Result<Campaign> Parser::Run(const boost::json::value& json) {
  Campaign campaign;
  campaign.key = RequiredString(root_, "key", "");
  campaign.title = RequiredString(root_, "title", "");
  ParseDeadline(campaign);
  std::string policy = RequiredString(root_, "late_policy", "");
  if (policy == "refuse") {
    campaign.late_policy = LatePolicy::kRefuse;
  } else if (policy == "flag") {
    campaign.late_policy = LatePolicy::kFlag;
  } else if (!policy.empty()) {
    Problem("late_policy", "late_policy 只能是 flag 或 refuse");
  }
  ParseIndicators(campaign);
  ParseCompetitions(campaign);
  if (!problems_.empty()) return Error::BadRequest("活动定义有误", std::move(problems_));
  campaign.source = json;
  return campaign;
}

}  // namespace

const Indicator* Campaign::FindIndicator(std::string_view key) const {
  for (const Indicator& indicator : indicators) {
    if (indicator.key == key) return &indicator;
  }
  return nullptr;
}

bool Campaign::IsKnownCompetition(std::string_view key) const {
  for (const Competition& competition : competitions) {
    if (competition.key == key) return true;
  }
  return false;
}

Result<Campaign> ParseCampaign(const boost::json::value& json) {
  const boost::json::object* root = json.if_object();
  if (root == nullptr) {
    return Error::BadRequest("活动定义有误", {Detail{"", "活动定义必须是 JSON 对象", ""}});
  }
  return Parser(*root).Run(json);
}

}  // namespace jingsai::engine
