// A stage's optional practice rules: how many approvers must approve
// (approvals), who may not act here (separate_from), and how long the stage
// may take (due).
#include <algorithm>
#include <boost/json.hpp>
#include <initializer_list>

#include "engine/flow_check.h"

namespace jingsai::engine::flow_internal {
namespace {

namespace json = boost::json;

std::string Member(const std::string& path, std::string_view key) {
  return path + "." + std::string(key);
}

// A member the option does not know ("minutes" in a due time) would be
// ignored silently; it is reported instead.
void ReportUnknownMembers(const json::object& object, const std::string& path,
                          std::initializer_list<std::string_view> known,
                          std::vector<Detail>& problems) {
  for (const json::key_value_pair& entry : object) {
    if (std::find(known.begin(), known.end(), entry.key()) == known.end()) {
      problems.push_back(
          {Member(path, entry.key()), "未知的字段 \"" + std::string(entry.key()) + "\"", ""});
    }
  }
}

void ParseApprovals(const json::value& value, const std::string& path, Stage& stage,
                    std::vector<Detail>& problems) {
  const json::object* object = value.if_object();
  if (object == nullptr) {
    problems.push_back({path, "应为对象，如 {\"mode\": \"ratio\", \"ratio\": 0.6}", ""});
    return;
  }
  ReportUnknownMembers(*object, path, {"mode", "ratio"}, problems);
  const json::value* mode = object->if_contains("mode");
  const json::string* name = mode ? mode->if_string() : nullptr;
  if (name == nullptr) {
    problems.push_back({Member(path, "mode"), "缺少 mode，应为 any、all 或 ratio", ""});
    return;
  }
  if (*name == "any") {
    stage.approvals.mode = ApprovalMode::kAny;
  } else if (*name == "all") {
    stage.approvals.mode = ApprovalMode::kAll;
  } else if (*name == "ratio") {
    stage.approvals.mode = ApprovalMode::kRatio;
    const json::value* ratio = object->if_contains("ratio");
    double share = ratio && ratio->is_number() ? ratio->to_number<double>() : 0.0;
    if (!(share > 0.0 && share <= 1.0)) {
      problems.push_back(
          {Member(path, "ratio"), "mode 为 ratio 时须有大于 0 且不大于 1 的 ratio", ""});
    } else {
      stage.approvals.ratio = share;
    }
  } else {
    problems.push_back({Member(path, "mode"),
                        "未知的审批方式 \"" + std::string(*name) + "\"，应为 any、all 或 ratio",
                        ""});
  }
}

void ParseSeparation(const json::value& value, const std::string& path, Stage& stage,
                     std::vector<Detail>& problems) {
  const json::array* list = value.if_array();
  if (list == nullptr) {
    problems.push_back({path, "应为阶段 id 的数组", ""});
    return;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const json::string* id = (*list)[i].if_string();
    if (id == nullptr || id->empty()) {
      problems.push_back({path + "[" + std::to_string(i) + "]", "应为阶段 id", ""});
      // Keeps the indices of later entries, which CheckSeparation reports by.
      stage.separate_from.emplace_back();
    } else {
      stage.separate_from.emplace_back(*id);
    }
  }
}

void ParseDue(const json::value& value, const std::string& path, Stage& stage,
              std::vector<Detail>& problems) {
  const json::object* object = value.if_object();
  if (object == nullptr) {
    problems.push_back({path, "应为对象，如 {\"days\": 5} 或 {\"hours\": 48}", ""});
    return;
  }
  ReportUnknownMembers(*object, path, {"days", "hours"}, problems);
  int64_t minutes = 0;
  bool any = false;
  for (const auto& [unit, factor] : {std::pair<std::string_view, int64_t>{"days", 24 * 60},
                                     std::pair<std::string_view, int64_t>{"hours", 60}}) {
    const json::value* amount = object->if_contains(unit);
    if (amount == nullptr) continue;
    any = true;
    // Far beyond any campaign (87,600 hours are ten years); the bound keeps
    // the sum of minutes far from overflowing.
    constexpr int64_t kMaxAmount = 3650 * 24;
    if (!amount->is_int64() || amount->get_int64() <= 0) {
      problems.push_back({Member(path, unit), "应为正整数", ""});
    } else if (amount->get_int64() > kMaxAmount) {
      problems.push_back({Member(path, unit), "不能超过 " + std::to_string(kMaxAmount), ""});
    } else {
      minutes += amount->get_int64() * factor;
    }
  }
  if (!any) {
    problems.push_back({path, "须给出 days 或 hours", ""});
  } else if (minutes > 0) {
    stage.due_minutes = minutes;
  }
}

}  // namespace

std::vector<Detail> ParseStageOptions(const boost::json::object& object, const std::string& path,
                                      std::optional<StageKind> kind, Stage& stage) {
  std::vector<Detail> problems;
  const bool is_end = kind == StageKind::kEnd;
  if (const json::value* approvals = object.if_contains("approvals")) {
    if (kind && kind != StageKind::kReview) {
      problems.push_back({Member(path, "approvals"), "只有审核阶段可以规定 approvals", ""});
    } else {
      ParseApprovals(*approvals, Member(path, "approvals"), stage, problems);
    }
  }
  if (const json::value* separate = object.if_contains("separate_from")) {
    if (is_end) {
      problems.push_back({Member(path, "separate_from"), "终止阶段不能规定 separate_from", ""});
    } else {
      ParseSeparation(*separate, Member(path, "separate_from"), stage, problems);
    }
  }
  if (const json::value* due = object.if_contains("due")) {
    if (is_end) {
      problems.push_back({Member(path, "due"), "终止阶段没有办理时限", ""});
    } else {
      ParseDue(*due, Member(path, "due"), stage, problems);
    }
  }
  return problems;
}

std::vector<Detail> CheckSeparation(const FlowDefinition& flow,
                                    const std::vector<StageSource>& sources) {
  std::vector<Detail> problems;
  for (size_t i = 0; i < flow.stages.size(); ++i) {
    const Stage& stage = flow.stages[i];
    for (size_t j = 0; j < stage.separate_from.size(); ++j) {
      const std::string& other = stage.separate_from[j];
      if (other.empty()) continue;  // not a stage id; reported when parsed
      const std::string path = sources[i].path + ".separate_from[" + std::to_string(j) + "]";
      const Stage* named = flow.FindStage(other);
      if (named == nullptr) {
        problems.push_back({path, "未知的阶段 \"" + other + "\"", ""});
      } else if (other == stage.id) {
        problems.push_back({path, "不能与本阶段自身分离", ""});
      } else if (named->kind == StageKind::kEnd) {
        problems.push_back({path, "终止阶段无人办理，无需分离", ""});
      }
    }
  }
  return problems;
}

}  // namespace jingsai::engine::flow_internal
