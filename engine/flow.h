// FlowDefinition: a stage flow as data (API.md, Flows).
//
// A definition is parsed from JSON and checked completely by ParseFlow: every
// problem is reported with its JSON path, not just the first. A parsed
// definition is an immutable value; share it as std::shared_ptr<const ...>.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/actor.h"
#include "engine/result.h"

namespace jingsai::engine {

enum class StageKind { kEdit, kReview, kVote, kEnd };
std::string_view StageKindName(StageKind kind);
std::optional<StageKind> ParseStageKind(std::string_view name);

// What a flow is about; the report flows and the commendation flow differ.
inline constexpr std::string_view kSubjectReport = "report";
inline constexpr std::string_view kSubjectNomination = "nomination";

// The action names a stage may declare.
inline constexpr std::string_view kActionSubmit = "submit";
inline constexpr std::string_view kActionApprove = "approve";
inline constexpr std::string_view kActionReturn = "return";
inline constexpr std::string_view kActionWithdraw = "withdraw";
bool IsKnownAction(std::string_view action);

struct ActorSpec {
  std::string role;
  Scope scope = Scope::kSelf;
};

// A named validator with its parameters. In JSON either "report.complete" or
// {"name": "report.complete", "params": {...}}.
struct ValidatorRef {
  std::string name;
  boost::json::object params;
};

struct ActionSpec {
  std::string name;
  // Target stages. One for submit/approve/withdraw; for return, the allowed
  // earlier stages, the first being the default.
  std::vector<std::string> to;
  std::optional<ActorSpec> actor;  // overrides the stage's actor when present
  std::vector<ValidatorRef> validators;
};

// How many of a review stage's assigned approvers must approve: one (或签,
// the default), every one (会签), or a share of them (票签).
enum class ApprovalMode { kAny, kAll, kRatio };
struct ApprovalRule {
  ApprovalMode mode = ApprovalMode::kAny;
  double ratio = 1.0;  // kRatio only: share of the assigned approvers, in (0, 1]
  // Approvals needed out of `assigned` (at least one when anyone is assigned).
  int64_t Needed(int64_t assigned) const;
};

struct Stage {
  std::string id;
  StageKind kind = StageKind::kEdit;
  std::string title;
  std::optional<ActorSpec> actor;   // required except for end stages
  std::vector<ActionSpec> actions;  // in the order the definition lists them
  std::string outcome;              // end stages: e.g. "approved"
  boost::json::value rules;         // vote stages: quorum, pass, quota
  ApprovalRule approvals;           // review stages
  // Separation of duties: whoever acted at one of these stages of the item
  // may not act here.
  std::vector<std::string> separate_from;
  std::optional<int64_t> due_minutes;  // time allowed from entering the stage

  const ActionSpec* FindAction(std::string_view name) const;
  // The actor that may perform `action` here: the action's own, else the stage's.
  const ActorSpec* ActorFor(const ActionSpec& action) const;
};

struct FlowDefinition {
  std::string key;
  int version = 0;  // assigned by storage when published; 0 before
  std::string title;
  std::string subject;
  std::string start;
  std::vector<Stage> stages;
  boost::json::value source;  // the definition as given, for GET and export

  const Stage* FindStage(std::string_view id) const;
};

// Parses and checks a definition. On failure the Error has code kInvalidFlow
// and one Detail per problem, each with its JSON path, e.g.
// "stages[1].actions.approve.to": unknown target, unreachable stages, stages
// with no way to an end, unknown roles/scopes/validators/actions, a return to
// a stage that is not earlier on some path, duplicate ids, a vote stage
// without rules.
Result<FlowDefinition> ParseFlow(const boost::json::value& json);

}  // namespace jingsai::engine
