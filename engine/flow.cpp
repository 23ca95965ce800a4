#include "engine/flow.h"

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
