// The checks over a parsed definition that look at more than one node: the
// stage graph (ids, targets, reachability, returns) and a vote stage's rules.

#include "engine/flow_check.h"

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace jingsai::engine::flow_internal {
namespace {

namespace json = boost::json;

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// Moves that lead back rather than onward. They make stages reachable, but
// they do not make a stage "earlier": a withdraw from county review back to
// the draft must not let a later stage count as coming before an earlier one.
bool IsBackwardAction(std::string_view name) {
  return name == kActionReturn || name == kActionWithdraw;
}

using Adjacency = std::vector<std::vector<std::size_t>>;

// Marks every node reachable from `seeds` (the seeds included).
std::vector<bool> Reach(const Adjacency& edges, const std::vector<std::size_t>& seeds) {
  std::vector<bool> seen(edges.size(), false);
  std::vector<std::size_t> pending;
  for (std::size_t seed : seeds) {
    if (!seen[seed]) {
      seen[seed] = true;
      pending.push_back(seed);
    }
  }
  while (!pending.empty()) {
    std::size_t node = pending.back();
    pending.pop_back();
    for (std::size_t next : edges[node]) {
      if (!seen[next]) {
        seen[next] = true;
        pending.push_back(next);
      }
    }
  }
  return seen;
}

class GraphChecker {
 public:
  GraphChecker(const FlowDefinition& flow, const std::vector<StageSource>& sources)
      : flow_(flow),
        sources_(sources),
        size_(flow.stages.size()),
        in_graph_(size_, false),
        all_(size_),
        forward_(size_) {}

  std::vector<Detail> Run() {
    IndexIds();
    CollectEdges();
    std::optional<std::size_t> start = FindStart();
    const bool can_end = CheckHasEnd();
    if (start) ReportUnreachable(*start);
    if (can_end) ReportNoWayToEnd();
    CheckReturns();
    return std::move(details_);
  }

 private:
  void Problem(std::string path, std::string message) {
    details_.push_back(Detail{std::move(path), std::move(message), ""});
  }

  const Stage& StageAt(std::size_t i) const { return flow_.stages[i]; }

  // Duplicates are reported on the later stage; the first keeps the id.
  void IndexIds() {
    for (std::size_t i = 0; i < size_; ++i) {
      const std::string& id = StageAt(i).id;
      if (id.empty()) continue;  // already reported as missing
      if (index_.emplace(id, i).second) {
        in_graph_[i] = true;
      } else {
        Problem(sources_[i].path + ".id", "阶段 id " + Quoted(id) + " 重复");
      }
    }
  }

  void CollectEdges() {
    for (std::size_t i = 0; i < size_; ++i) {
      const Stage& stage = StageAt(i);
      for (std::size_t k = 0; k < stage.actions.size(); ++k) {
        const ActionSpec& action = stage.actions[k];
        for (std::size_t j = 0; j < action.to.size(); ++j) {
          const std::string& path = sources_[i].target_paths[k][j];
          auto found = index_.find(action.to[j]);
          if (found == index_.end()) {
            Problem(path, "未知的目标阶段 " + Quoted(action.to[j]));
            continue;
          }
          if (!in_graph_[i]) continue;  // a stage without its own id has no place in the graph
          const std::size_t target = found->second;
          all_[i].push_back(target);
          if (IsBackwardAction(action.name)) continue;
          forward_[i].push_back(target);
          if (target == i) Problem(path, "动作 " + Quoted(action.name) + " 不能转到本阶段");
        }
      }
    }
  }

  std::optional<std::size_t> FindStart() {
    if (flow_.start.empty()) return std::nullopt;  // already reported as missing
    auto found = index_.find(flow_.start);
    if (found == index_.end()) {
      Problem("start", "起始阶段 " + Quoted(flow_.start) + " 不存在");
      return std::nullopt;
    }
    // An item would be created finished, with nobody ever to act on it.
    if (sources_[found->second].kind_known && StageAt(found->second).kind == StageKind::kEnd) {
      Problem("start", "起始阶段 " + Quoted(flow_.start) + " 不能是终止阶段");
    }
    return found->second;
  }

  bool IsEndLike(std::size_t i) const {
    // A stage whose kind is unknown may have been meant as an end; treating it
    // as one keeps a mistyped kind from flagging every stage before it.
    return !sources_[i].kind_known || StageAt(i).kind == StageKind::kEnd;
  }

  // Returns whether "a way to an end" is worth checking at all.
  bool CheckHasEnd() {
    for (std::size_t i = 0; i < size_; ++i) {
      if (IsEndLike(i)) return true;
    }
    Problem("stages", "流程至少需要一个终止阶段（kind 为 end）");
    return false;
  }

  void ReportUnreachable(std::size_t start) {
    std::vector<bool> reached = Reach(all_, {start});
    for (std::size_t i = 0; i < size_; ++i) {
      if (in_graph_[i] && !reached[i]) {
        Problem(sources_[i].path, "阶段 " + Quoted(StageAt(i).id) + " 从起始阶段无法到达");
      }
    }
  }

  void ReportNoWayToEnd() {
    Adjacency reversed(size_);
    std::vector<std::size_t> ends;
    for (std::size_t i = 0; i < size_; ++i) {
      if (!in_graph_[i]) continue;
      for (std::size_t target : all_[i]) reversed[target].push_back(i);
      if (IsEndLike(i)) ends.push_back(i);
    }
    std::vector<bool> ending = Reach(reversed, ends);
    for (std::size_t i = 0; i < size_; ++i) {
      if (in_graph_[i] && !ending[i]) {
        Problem(sources_[i].path, "阶段 " + Quoted(StageAt(i).id) + " 无法到达任何终止阶段");
      }
    }
  }

  // A return must go to a stage that comes before this one on some path: the
  // target reaches this stage by onward moves. Reach sets are cached per
  // target, so a large definition costs at most one search per stage.
  void CheckReturns() {
    for (std::size_t i = 0; i < size_; ++i) {
      if (!in_graph_[i]) continue;
      const Stage& stage = StageAt(i);
      for (std::size_t k = 0; k < stage.actions.size(); ++k) {
        const ActionSpec& action = stage.actions[k];
        if (action.name != kActionReturn) continue;
        for (std::size_t j = 0; j < action.to.size(); ++j) {
          auto found = index_.find(action.to[j]);
          if (found == index_.end()) continue;  // reported as unknown
          const std::size_t target = found->second;
          const std::string& path = sources_[i].target_paths[k][j];
          if (target == i) {
            Problem(path, "不能退回到本阶段");
          } else if (!OnwardFrom(target)[i]) {
            Problem(path, "只能退回到之前的阶段，" + Quoted(action.to[j]) + " 不在阶段 " +
                              Quoted(stage.id) + " 之前");
          }
        }
      }
    }
  }

  const std::vector<bool>& OnwardFrom(std::size_t stage) {
    auto cached = onward_.find(stage);
    if (cached == onward_.end()) {
      cached = onward_.emplace(stage, Reach(forward_, {stage})).first;
    }
    return cached->second;
  }

  const FlowDefinition& flow_;
  const std::vector<StageSource>& sources_;
  const std::size_t size_;
  std::unordered_map<std::string_view, std::size_t> index_;  // views into flow_.stages
  std::vector<bool> in_graph_;  // has an id, and is the first stage with it
  Adjacency all_;               // every move
  Adjacency forward_;           // onward moves only (see IsBackwardAction)
  std::unordered_map<std::size_t, std::vector<bool>> onward_;
  std::vector<Detail> details_;
};

// Vote rules: the API's tally reads these numbers unchecked, so each must be
// present and in range here.

void CheckFraction(const json::object& object, std::string_view key, const std::string& parent,
                   std::vector<Detail>& details) {
  const std::string path = parent + "." + std::string(key);
  const json::value* value = object.if_contains(key);
  if (value == nullptr) {
    details.push_back({path, "缺少必填字段 " + Quoted(key), ""});
    return;
  }
  if (!value->is_number()) {
    details.push_back({path, "应为数字", ""});
    return;
  }
  boost::system::error_code ec;
  const double number = value->to_number<double>(ec);
  if (ec || !(number > 0.0 && number <= 1.0)) {
    details.push_back({path, "应大于 0 且不大于 1", ""});
  }
}

void CheckPass(const json::object& rules, const std::string& parent, std::vector<Detail>& details) {
  const std::string path = parent + ".pass";
  const json::value* value = rules.if_contains("pass");
  if (value == nullptr) {
    details.push_back({path, "缺少必填字段 \"pass\"", ""});
    return;
  }
  const json::object* pass = value->if_object();
  if (pass == nullptr) {
    details.push_back(
        {path, "应为对象，如 {\"ratio\": 0.5, \"of\": \"members\", \"strict\": true}", ""});
    return;
  }
  CheckFraction(*pass, "ratio", path, details);
  const json::value* of = pass->if_contains("of");
  if (of == nullptr) {
    details.push_back({path + ".of", "缺少必填字段 \"of\"", ""});
  } else if (const json::string* base = of->if_string();
             base == nullptr || (*base != "members" && *base != "cast")) {
    details.push_back({path + ".of", "应为 \"members\" 或 \"cast\"", ""});
  }
  const json::value* strict = pass->if_contains("strict");
  if (strict == nullptr) {
    details.push_back({path + ".strict", "缺少必填字段 \"strict\"", ""});
  } else if (!strict->is_bool()) {
    details.push_back({path + ".strict", "应为 true 或 false", ""});
  }
}

// Nominations are of kind "unit" or "individual" (API.md); a misspelt kind
// would silently leave the real one without its cap.
void CheckQuota(const json::object& rules, const std::string& parent,
                std::vector<Detail>& details) {
  const std::string path = parent + ".quota";
  const json::value* value = rules.if_contains("quota");
  if (value == nullptr) {
    details.push_back({path, "缺少必填字段 \"quota\"", ""});
    return;
  }
  const json::object* quota = value->if_object();
  if (quota == nullptr) {
    details.push_back({path, "应为对象，如 {\"unit\": 30, \"individual\": 50}", ""});
    return;
  }
  if (quota->empty()) details.push_back({path, "至少需要一个类别的名额", ""});
  for (const json::key_value_pair& entry : *quota) {
    const std::string kind_path = path + "." + std::string(entry.key());
    if (entry.key() != "unit" && entry.key() != "individual") {
      details.push_back(
          {kind_path, "未知的表彰类别 " + Quoted(entry.key()) + "，应为 unit 或 individual", ""});
      continue;
    }
    const json::value& places = entry.value();
    const bool positive = (places.is_int64() && places.get_int64() > 0) ||
                          (places.is_uint64() && places.get_uint64() > 0);
    if (!positive) details.push_back({kind_path, "应为正整数", ""});
  }
}

}  // namespace

std::vector<Detail> CheckGraph(const FlowDefinition& flow,
                               const std::vector<StageSource>& sources) {
  return GraphChecker(flow, sources).Run();
}

std::vector<Detail> CheckVoteRules(const boost::json::value* rules, const std::string& path) {
  std::vector<Detail> details;
  if (rules == nullptr) {
    details.push_back({path, "表决阶段缺少 rules", ""});
    return details;
  }
  const json::object* object = rules->if_object();
  if (object == nullptr) {
    details.push_back({path, "应为对象", ""});
    return details;
  }
  CheckFraction(*object, "quorum", path, details);
  CheckPass(*object, path, details);
  CheckQuota(*object, path, details);
  return details;
}

}  // namespace jingsai::engine::flow_internal
