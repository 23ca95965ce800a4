#include "engine/flow.h"

#include <algorithm>
#include <cmath>

#include "engine/flow_check.h"

namespace jingsai::engine {

std::string_view StageKindName(StageKind kind) {
  switch (kind) {
    case StageKind::kEdit:
      return "edit";
    case StageKind::kReview:
      return "review";
    case StageKind::kVote:
      return "vote";
    case StageKind::kEnd:
      return "end";
  }
  return "edit";  // unreachable: the switch covers every kind
}

std::optional<StageKind> ParseStageKind(std::string_view name) {
  if (name == "edit") return StageKind::kEdit;
  if (name == "review") return StageKind::kReview;
  if (name == "vote") return StageKind::kVote;
  if (name == "end") return StageKind::kEnd;
  return std::nullopt;
}

bool IsKnownAction(std::string_view action) {
  // pass and fail are declarable too (vote stages only); ParseFlow checks
  // which names fit which stage kind.
  return action == kActionSubmit || action == kActionApprove || action == kActionReturn ||
         action == kActionWithdraw || action == flow_internal::kActionPass ||
         action == flow_internal::kActionFail;
}

int64_t ApprovalRule::Needed(int64_t assigned) const {
  if (assigned <= 0) return 0;
  switch (mode) {
    case ApprovalMode::kAny:
      return 1;
    case ApprovalMode::kAll:
      return assigned;
    case ApprovalMode::kRatio: {
      // Allow for binary rounding, so that a share of 2/3 (0.6666666666666666
      // in JSON) of 3 approvers needs 2, not 3.
      const auto needed =
          static_cast<int64_t>(std::ceil(ratio * static_cast<double>(assigned) - 1e-9));
      return std::clamp<int64_t>(needed, 1, assigned);
    }
  }
  return 1;
}

const ActionSpec* Stage::FindAction(std::string_view name) const {
  for (const ActionSpec& action : actions) {
    if (action.name == name) return &action;
  }
  return nullptr;
}

const ActorSpec* Stage::ActorFor(const ActionSpec& action) const {
  if (action.actor) return &*action.actor;
  if (actor) return &*actor;
  return nullptr;
}

const Stage* FlowDefinition::FindStage(std::string_view id) const {
  for (const Stage& stage : stages) {
    if (stage.id == id) return &stage;
  }
  return nullptr;
}

}  // namespace jingsai::engine
