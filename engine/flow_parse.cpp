// ParseFlow: reads a definition's JSON shape into a FlowDefinition, reporting
// every problem with its path, then hands the stage graph to CheckGraph.
//
// Input is untrusted (an administrator's upload), so nothing here uses the
// throwing boost::json accessors; every node is probed with if_*() first.

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/actor.h"
#include "engine/flow.h"
#include "engine/flow_check.h"
#include "engine/result.h"
#include "engine/validators.h"

namespace jingsai::engine {
namespace {

namespace json = boost::json;
using flow_internal::StageSource;

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string Member(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Element(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// Keys appear in URLs (/api/v1/flows/{key}), so they stay plain.
bool IsValidKey(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool IsVoteOnlyAction(std::string_view name) {
  return name == flow_internal::kActionPass || name == flow_internal::kActionFail;
}

class FlowParser {
 public:
  explicit FlowParser(const json::value& input) : input_(input) {}

  Result<FlowDefinition> Run() {
    const json::object* root = input_.if_object();
    if (root == nullptr) {
      Problem("", "流程定义应为 JSON 对象");
      return Error::InvalidFlow(std::move(details_));
    }
    flow_.source = input_;
    if (std::optional<std::string> key = RequiredString(*root, "key", "")) {
      if (!IsValidKey(*key)) Problem("key", "key 只能由小写字母、数字和连字符组成，最长 64 个字符");
      flow_.key = std::move(*key);
    }
    if (std::optional<std::string> title = RequiredString(*root, "title", "")) {
      flow_.title = std::move(*title);
    }
    if (std::optional<std::string> subject = RequiredString(*root, "subject", "")) {
      if (*subject != kSubjectReport && *subject != kSubjectNomination) {
        Problem("subject", "未知的 subject " + Quoted(*subject) + "，应为 report 或 nomination");
      }
      flow_.subject = std::move(*subject);
    }
    if (std::optional<std::string> start = RequiredString(*root, "start", "")) {
      flow_.start = std::move(*start);
    }
    if (ParseStages(*root)) {
      std::vector<Detail> graph = flow_internal::CheckGraph(flow_, sources_);
      details_.insert(details_.end(), graph.begin(), graph.end());
      Append(flow_internal::CheckSeparation(flow_, sources_));
    }
    if (!details_.empty()) return Error::InvalidFlow(std::move(details_));
    return std::move(flow_);
  }

 private:
  void Problem(std::string path, std::string message) {
    details_.push_back(Detail{std::move(path), std::move(message), ""});
  }

  void Append(std::vector<Detail> more) {
    for (Detail& detail : more) details_.push_back(std::move(detail));
  }

  // The non-empty string at `key`; reports a missing, mistyped or empty one.
  std::optional<std::string> RequiredString(const json::object& object, std::string_view key,
                                            const std::string& parent) {
    const json::value* value = object.if_contains(key);
    if (value == nullptr) {
      Problem(Member(parent, key), "缺少必填字段 " + Quoted(key));
      return std::nullopt;
    }
    return NonEmptyString(*value, Member(parent, key));
  }

  std::optional<std::string> NonEmptyString(const json::value& value, const std::string& path) {
    const json::string* text = value.if_string();
    if (text == nullptr) {
      Problem(path, "应为字符串");
      return std::nullopt;
    }
    if (text->empty()) {
      Problem(path, "不能为空");
      return std::nullopt;
    }
    return std::string(text->data(), text->size());
  }

  // Returns true when there were stages to look at, so that the graph checks
  // have something to say beyond "no stages".
  bool ParseStages(const json::object& root) {
    const json::value* value = root.if_contains("stages");
    if (value == nullptr) {
      Problem("stages", "缺少必填字段 \"stages\"");
      return false;
    }
    const json::array* stages = value->if_array();
    if (stages == nullptr) {
      Problem("stages", "应为数组");
      return false;
    }
    if (stages->empty()) {
      Problem("stages", "至少需要一个阶段");
      return false;
    }
    for (std::size_t i = 0; i < stages->size(); ++i) ParseStage((*stages)[i], i);
    return true;
  }

  // A member the definition does not know: most likely a misspelt one
  // ("aprovals"), which would otherwise switch its rule off unseen.
  void ReportUnknownMembers(const json::object& object, const std::string& path,
                            std::initializer_list<std::string_view> known) {
    for (const json::key_value_pair& entry : object) {
      if (std::find(known.begin(), known.end(), entry.key()) == known.end()) {
        Problem(Member(path, entry.key()), "未知的字段 " + Quoted(entry.key()));
      }
    }
  }

  void ParseStage(const json::value& value, std::size_t index) {
    const std::string path = Element("stages", index);
    const json::object* object = value.if_object();
    if (object == nullptr) {
      Problem(path, "阶段应为 JSON 对象");
      return;
    }
    ReportUnknownMembers(*object, path,
                         {"id", "kind", "title", "description", "actor", "actions", "outcome",
                          "rules", "approvals", "separate_from", "due"});
    Stage stage;
    StageSource source{path, true, {}};
    if (std::optional<std::string> id = RequiredString(*object, "id", path)) {
      stage.id = std::move(*id);
    }
    std::optional<StageKind> kind = ParseKind(*object, path);
    // Only nominations are voted on: a report would wait in a vote stage
    // that no vote session ever covers.
    if (kind == StageKind::kVote && flow_.subject == kSubjectReport) {
      Problem(Member(path, "kind"), "报送流程（subject 为 report）不能有表决阶段");
    }
    source.kind_known = kind.has_value();
    stage.kind = kind.value_or(StageKind::kEdit);
    const bool is_end = kind == StageKind::kEnd;

    if (const json::value* title = object->if_contains("title")) {
      if (const json::string* text = title->if_string()) {
        stage.title.assign(text->data(), text->size());
      } else {
        Problem(Member(path, "title"), "应为字符串");
      }
    }

    const json::value* actor = object->if_contains("actor");
    if (is_end) {
      if (actor != nullptr) Problem(Member(path, "actor"), "终止阶段不需要 actor");
    } else if (actor != nullptr) {
      stage.actor = ParseActor(*actor, Member(path, "actor"));
    } else if (kind) {
      // With an unknown kind the stage may have been meant as an end stage;
      // the kind problem is reported already.
      Problem(Member(path, "actor"), "缺少必填字段 \"actor\"");
    }

    if (const json::value* outcome = object->if_contains("outcome")) {
      if (!is_end) {
        if (kind) Problem(Member(path, "outcome"), "只有终止阶段可以有 outcome");
      } else if (std::optional<std::string> text =
                     NonEmptyString(*outcome, Member(path, "outcome"))) {
        stage.outcome = std::move(*text);
      }
    }
    if (is_end && stage.outcome.empty()) stage.outcome = stage.id;

    const json::value* rules = object->if_contains("rules");
    if (kind == StageKind::kVote) {
      Append(flow_internal::CheckVoteRules(rules, Member(path, "rules")));
      if (rules != nullptr) stage.rules = *rules;
    } else if (rules != nullptr && kind) {
      Problem(Member(path, "rules"), "只有表决阶段可以有 rules");
    }

    Append(flow_internal::ParseStageOptions(*object, path, kind, stage));

    const json::value* actions = object->if_contains("actions");
    if (is_end) {
      const json::object* listed = actions == nullptr ? nullptr : actions->if_object();
      if (actions != nullptr && (listed == nullptr || !listed->empty())) {
        Problem(Member(path, "actions"), "终止阶段不能有动作");
      }
    } else if (actions != nullptr) {
      ParseActions(*actions, Member(path, "actions"), kind, stage, source);
    } else if (kind) {
      Problem(Member(path, "actions"), "缺少必填字段 \"actions\"");
    }

    flow_.stages.push_back(std::move(stage));
    sources_.push_back(std::move(source));
  }

  std::optional<StageKind> ParseKind(const json::object& object, const std::string& path) {
    const std::string kind_path = Member(path, "kind");
    const json::value* value = object.if_contains("kind");
    if (value == nullptr) {
      Problem(kind_path, "缺少必填字段 \"kind\"");
      return std::nullopt;
    }
    const json::string* name = value->if_string();
    if (name == nullptr) {
      Problem(kind_path, "应为字符串");
      return std::nullopt;
    }
    std::optional<StageKind> kind = ParseStageKind(*name);
    if (!kind) {
      Problem(kind_path, "未知的阶段类型 " + Quoted(*name) + "，应为 edit、review、vote 或 end");
    }
    return kind;
  }

  std::optional<ActorSpec> ParseActor(const json::value& value, const std::string& path) {
    const json::object* object = value.if_object();
    if (object == nullptr) {
      Problem(path, "应为对象，如 {\"role\": \"reviewer\", \"scope\": \"county\"}");
      return std::nullopt;
    }
    std::optional<std::string> role = RequiredString(*object, "role", path);
    if (role && !IsKnownRole(*role)) {
      Problem(Member(path, "role"),
              "未知的角色 " + Quoted(*role) + "，应为 submitter、reviewer、voter 或 admin");
      role.reset();
    }
    std::optional<Scope> scope;
    if (std::optional<std::string> name = RequiredString(*object, "scope", path)) {
      scope = ParseScope(*name);
      if (!scope) {
        Problem(Member(path, "scope"),
                "未知的范围 " + Quoted(*name) + "，应为 self、county 或 city");
      }
    }
    if (!role || !scope) return std::nullopt;
    return ActorSpec{std::move(*role), *scope};
  }

  void ParseActions(const json::value& value, const std::string& path,
                    std::optional<StageKind> kind, Stage& stage, StageSource& source) {
    const json::object* actions = value.if_object();
    if (actions == nullptr) {
      Problem(path, "应为对象，以动作名为键");
      return;
    }
    if (actions->empty() && kind) Problem(path, "至少需要一个动作");
    for (const json::key_value_pair& entry : *actions) {
      const std::string_view name = entry.key();
      const std::string action_path = Member(path, name);
      if (!IsKnownAction(name)) {
        Problem(action_path, "未知的动作 " + Quoted(name));
      } else if (kind == StageKind::kVote && !IsVoteOnlyAction(name)) {
        Problem(action_path, "表决阶段只能有 pass 和 fail 动作");
      } else if (kind && kind != StageKind::kVote && IsVoteOnlyAction(name)) {
        Problem(action_path, "动作 " + Quoted(name) + " 只能用于表决阶段");
      }
      // Even a misplaced or unknown action is kept, so that its targets still
      // count in the graph and do not add unreachable-stage noise.
      std::vector<std::string> target_paths;
      if (std::optional<ActionSpec> action =
              ParseAction(name, entry.value(), action_path, target_paths)) {
        stage.actions.push_back(std::move(*action));
        source.target_paths.push_back(std::move(target_paths));
      }
    }
    if (kind == StageKind::kVote) {
      for (std::string_view required : {flow_internal::kActionPass, flow_internal::kActionFail}) {
        if (!actions->contains(required)) {
          Problem(Member(path, required), "表决阶段缺少 " + std::string(required) + " 动作");
        }
      }
    }
  }

  std::optional<ActionSpec> ParseAction(std::string_view name, const json::value& value,
                                        const std::string& path,
                                        std::vector<std::string>& target_paths) {
    const json::object* object = value.if_object();
    if (object == nullptr) {
      Problem(path, "动作应为 JSON 对象");
      return std::nullopt;
    }
    ReportUnknownMembers(*object, path, {"to", "actor", "validators", "description"});
    ActionSpec action;
    action.name = std::string(name);
    ParseTargets(*object, name == kActionReturn, Member(path, "to"), action, target_paths);
    if (const json::value* actor = object->if_contains("actor")) {
      action.actor = ParseActor(*actor, Member(path, "actor"));
    }
    if (const json::value* validators = object->if_contains("validators")) {
      action.validators = ParseValidators(*validators, Member(path, "validators"));
    }
    return action;
  }

  // `to` is one stage id; only a return may list several (the allowed earlier
  // stages, the first being the default).
  void ParseTargets(const json::object& action_object, bool list_allowed, const std::string& path,
                    ActionSpec& action, std::vector<std::string>& target_paths) {
    const json::value* to = action_object.if_contains("to");
    if (to == nullptr) {
      Problem(path, "缺少必填字段 \"to\"");
      return;
    }
    if (to->is_string()) {
      if (std::optional<std::string> target = NonEmptyString(*to, path)) {
        action.to.push_back(std::move(*target));
        target_paths.push_back(path);
      }
      return;
    }
    const json::array* list = to->if_array();
    if (list == nullptr) {
      Problem(path, list_allowed ? "应为字符串或字符串数组" : "应为字符串");
      return;
    }
    if (!list_allowed) {
      Problem(path, "应为字符串：只有 return 可以列出多个目标阶段");
      return;
    }
    if (list->empty()) {
      Problem(path, "至少需要一个目标阶段");
      return;
    }
    for (std::size_t j = 0; j < list->size(); ++j) {
      const std::string target_path = Element(path, j);
      std::optional<std::string> target = NonEmptyString((*list)[j], target_path);
      if (!target) continue;
      bool repeated = false;
      for (const std::string& earlier : action.to) repeated = repeated || earlier == *target;
      if (repeated) {
        Problem(target_path, "目标阶段 " + Quoted(*target) + " 重复");
        continue;
      }
      action.to.push_back(std::move(*target));
      target_paths.push_back(target_path);
    }
  }

  std::vector<ValidatorRef> ParseValidators(const json::value& value, const std::string& path) {
    std::vector<ValidatorRef> refs;
    const json::array* list = value.if_array();
    if (list == nullptr) {
      Problem(path, "应为数组");
      return refs;
    }
    for (std::size_t j = 0; j < list->size(); ++j) {
      const std::string item_path = Element(path, j);
      const json::value& item = (*list)[j];
      ValidatorRef ref;
      std::string name_path = item_path;
      if (item.is_string()) {
        std::optional<std::string> name = NonEmptyString(item, item_path);
        if (!name) continue;
        ref.name = std::move(*name);
      } else if (const json::object* object = item.if_object()) {
        std::optional<std::string> name = RequiredString(*object, "name", item_path);
        if (!name) continue;
        ref.name = std::move(*name);
        name_path = Member(item_path, "name");
        if (const json::value* params = object->if_contains("params")) {
          if (const json::object* params_object = params->if_object()) {
            ref.params = *params_object;
          } else {
            Problem(Member(item_path, "params"), "应为对象");
            continue;
          }
        }
      } else {
        Problem(item_path, "应为校验规则名称，或 {\"name\": ..., \"params\": {...}} 对象");
        continue;
      }
      if (!IsKnownValidator(ref.name)) {
        Problem(name_path, "未知的校验规则 " + Quoted(ref.name));
        continue;
      }
      Append(CheckValidatorParams(ref, item_path));
      refs.push_back(std::move(ref));
    }
    return refs;
  }

  const json::value& input_;
  FlowDefinition flow_;
  std::vector<StageSource> sources_;  // sources_[i] describes flow_.stages[i]
  std::vector<Detail> details_;
};

}  // namespace

Result<FlowDefinition> ParseFlow(const boost::json::value& json) { return FlowParser(json).Run(); }

}  // namespace jingsai::engine
