#include "engine/transition.h"

#include <algorithm>

#include "engine/text.h"

namespace jingsai::engine {
namespace {

std::string StageLabel(const Stage& stage) { return stage.title.empty() ? stage.id : stage.title; }

// Vote outcomes are decided by closing a vote session, never by one person.
bool IsVoteOutcome(std::string_view action) { return action == "pass" || action == "fail"; }

Result<std::string> ResolveTarget(const Stage& stage, const ActionSpec& action,
                                  const Command& command) {
  if (action.name == kActionReturn && IsBlank(command.comment)) {
    return Error::BadRequest("退回时必须填写退回意见", {{"comment", "退回时必须填写退回意见", ""}});
  }
  if (command.to.empty()) return action.to.front();
  if (std::find(action.to.begin(), action.to.end(), command.to) == action.to.end()) {
    std::string allowed;
    for (const std::string& to : action.to) allowed += (allowed.empty() ? "" : "、") + to;
    return Error::InvalidAction("阶段「" + StageLabel(stage) + "」的「" + action.name +
                                "」不能转到「" + command.to + "」，可选：" + allowed);
  }
  return command.to;
}

}  // namespace

Result<Transition> Apply(const TransitionContext& context, const Instance& item,
                         const Command& command, const Actor& actor) {
  const FlowDefinition& flow = *context.flow;
  const Stage* stage = flow.FindStage(item.stage);
  if (stage == nullptr) {
    return Error::Internal("item " + std::to_string(item.id) + " is at unknown stage " +
                           item.stage);
  }
  const ActionSpec* action = stage->FindAction(command.action);
  if (action == nullptr || IsVoteOutcome(command.action)) {
    return Error::InvalidAction("当前阶段「" + StageLabel(*stage) + "」不允许执行「" +
                                command.action + "」");
  }
  const ActorSpec* who = stage->ActorFor(*action);
  if (who == nullptr || !MayAct(actor, who->role, who->scope, *context.orgs, item.org_id)) {
    return Error::Forbidden("您无权在阶段「" + StageLabel(*stage) + "」执行「" + command.action +
                            "」");
  }
  // Approving one's own item defeats the point of review, whatever roles one holds.
  if (action->name == kActionApprove && item.created_by != 0 && item.created_by == actor.user_id) {
    return Error::Forbidden("不能审核通过自己提交的事项");
  }
  Result<std::string> target = ResolveTarget(*stage, *action, command);
  if (!target.ok()) return std::move(target).error();

  if (!action->validators.empty()) {
    ValidationInput input{context.campaign, &item.data, context.evidence, context.now};
    std::vector<Detail> violations = RunValidators(action->validators, input);
    if (!violations.empty()) {
      return Error::ValidationFailed("报送内容未通过校验", std::move(violations));
    }
  }

  Transition transition{item, Fact{action->name, item.stage, target.value(), command.comment}};
  Instance& next = transition.next;
  next.stage = target.value();
  next.version = item.version + 1;
  next.status = StatusFor(flow, next.stage, action->name);
  if (action->name == kActionSubmit && !item.first_submitted_at) {
    next.first_submitted_at = context.now;
    next.late = context.campaign != nullptr && context.campaign->IsLate(context.now);
  }
  return transition;
}

std::string StatusFor(const FlowDefinition& flow, const std::string& stage,
                      const std::string& last_action) {
  const Stage* found = flow.FindStage(stage);
  if (found == nullptr) return "unknown";
  switch (found->kind) {
    case StageKind::kEdit:
      return last_action == kActionReturn ? "returned" : "draft";
    case StageKind::kReview:
      return "in_review";
    case StageKind::kVote:
      return "in_vote";
    case StageKind::kEnd:
      return found->outcome.empty() ? found->id : found->outcome;
  }
  return "unknown";
}

Status CheckEdit(const FlowDefinition& flow, const OrgTree& orgs, const Instance& item,
                 const Actor& actor) {
  const Stage* stage = flow.FindStage(item.stage);
  if (stage == nullptr || stage->kind != StageKind::kEdit) {
    return Error::InvalidAction("只有在填报阶段才能修改内容");
  }
  if (!IsStageActor(*stage, actor, orgs, item.org_id)) {
    return Error::Forbidden("您无权修改该事项");
  }
  return Ok{};
}

bool IsStageActor(const Stage& stage, const Actor& actor, const OrgTree& orgs, int64_t item_org) {
  return stage.actor && MayAct(actor, stage.actor->role, stage.actor->scope, orgs, item_org);
}

}  // namespace jingsai::engine
