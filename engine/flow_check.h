// Internal to ParseFlow: the checks that need more than one JSON node at a
// time (the stage graph) or that are long enough to deserve their own file
// (a vote stage's rules). flow_parse.cpp reads the JSON shape and calls these.
//
// Not part of the engine's public interface; include only from engine/flow_*.cpp.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/flow.h"
#include "engine/result.h"

namespace jingsai::engine::flow_internal {

// The action names only a vote stage may declare; closing a vote session
// performs them, so no person ever does.
inline constexpr std::string_view kActionPass = "pass";
inline constexpr std::string_view kActionFail = "fail";

// Where one parsed stage came from, so that graph problems carry the JSON path
// of the node that causes them. Index i describes FlowDefinition::stages[i].
struct StageSource {
  std::string path;        // e.g. "stages[3]"
  bool kind_known = true;  // false when "kind" was missing or unknown
  // Per action of the stage (same order), the path of each target in `to`:
  // "stages[3].actions.approve.to" for a string, "...return.to[1]" for a list.
  std::vector<std::vector<std::string>> target_paths;
};

// Checks the graph of a parsed definition: duplicate ids, the start stage,
// unknown targets, at least one end stage, reachability from the start, a way
// to an end from every stage, returns only to earlier stages, and no forward
// move onto its own stage. Stages without an id take no part.
// REQUIRES: sources.size() == flow.stages.size(), and each stage's
// target_paths matches its actions and their `to` lists.
std::vector<Detail> CheckGraph(const FlowDefinition& flow, const std::vector<StageSource>& sources);

// Checks a vote stage's "rules" (API.md: quorum, pass {ratio, of, strict},
// quota). `rules` is null when the stage has none; `path` is "stages[i].rules".
std::vector<Detail> CheckVoteRules(const boost::json::value* rules, const std::string& path);

// Reads a stage's optional "approvals" (review stages), "separate_from" and
// "due" into `stage`; `path` is "stages[i]".
std::vector<Detail> ParseStageOptions(const boost::json::object& object, const std::string& path,
                                      std::optional<StageKind> kind, Stage& stage);

// Each separate_from entry names another, non-end stage of the flow.
std::vector<Detail> CheckSeparation(const FlowDefinition& flow,
                                    const std::vector<StageSource>& sources);

}  // namespace jingsai::engine::flow_internal
