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

bool Contains(const std::vector<int64_t>& ids, int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The stage's own reviewers act on its main actions; an action with its own
// actor (a submitter's withdraw) is not theirs to hand over or share.
bool IsStageActorsAction(const Stage& stage, const ActionSpec& action) {
  return !action.actor || (stage.actor && action.actor->role == stage.actor->role &&
                           action.actor->scope == stage.actor->scope);
}

Status CheckPersonalRules(const TransitionContext& context, const Stage& stage,
                          const ActionSpec& action, const Instance& item, const Actor& actor) {
  if (!IsStageActorsAction(stage, action)) return Ok{};
  if (item.assignee && *item.assignee != actor.user_id) {
    return Error::Forbidden("该事项已转办给其他审核人");
  }
  if (context.acted_by_stage != nullptr) {
    if (const std::string* other = SeparatedBy(stage, *context.acted_by_stage, actor.user_id)) {
      const Stage* named = context.flow->FindStage(*other);
      return Error::Forbidden("同一人不能既办理「" + (named ? StageLabel(*named) : *other) +
                              "」又办理「" + StageLabel(stage) + "」");
    }
  }
  const bool decides = action.name == kActionApprove || action.name == kActionReturn;
  if (IsMultiApprover(stage) && decides && !item.decisions.approvers.empty()) {
    if (!Contains(item.decisions.approvers, actor.user_id)) {
      return Error::Forbidden("您不在阶段「" + StageLabel(stage) + "」的审核人之列");
    }
    if (Contains(item.decisions.approved, actor.user_id) ||
        Contains(item.decisions.returned, actor.user_id)) {
      return Error::InvalidAction("您已在阶段「" + StageLabel(stage) + "」作出决定");
    }
  }
  return Ok{};
}

// At a multi-approver stage: does this decision complete the stage (the
// rule is met, or can no longer be met)? Records the decision in `next`.
bool RecordDecision(const Stage& stage, const ActionSpec& action, const Actor& actor,
                    Instance& next) {
  StageDecisions& decisions = next.decisions;
  const auto assigned = static_cast<int64_t>(decisions.approvers.size());
  const int64_t needed = stage.approvals.Needed(assigned);
  if (action.name == kActionApprove) {
    decisions.approved.push_back(actor.user_id);
    return static_cast<int64_t>(decisions.approved.size()) >= needed;
  }
  decisions.returned.push_back(actor.user_id);
  return assigned - static_cast<int64_t>(decisions.returned.size()) < needed;
}

}  // namespace

bool IsMultiApprover(const Stage& stage) {
  return stage.kind == StageKind::kReview && stage.approvals.mode != ApprovalMode::kAny;
}

Result<Transition> Apply(const TransitionContext& context, Instance item, const Command& command,
                         const Actor& actor) {
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
  if (Status personal = CheckPersonalRules(context, *stage, *action, item, actor); !personal.ok()) {
    return std::move(personal).error();
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

  const int64_t version = item.version;
  const bool submitted_before = item.first_submitted_at.has_value();
  const bool has_approvers = !item.decisions.approvers.empty();
  Fact fact{action->name, item.stage, target.value(), command.comment};
  Transition transition{std::move(item), std::move(fact)};
  Instance& next = transition.next;
  // Only the stage's own reviewers decide as a panel; an approve or return
  // given to someone else moves the item at once.
  const bool decides = (action->name == kActionApprove || action->name == kActionReturn) &&
                       IsStageActorsAction(*stage, *action);
  if (IsMultiApprover(*stage) && decides && has_approvers &&
      !RecordDecision(*stage, *action, actor, next)) {
    // The stage goes on: the decision is recorded, the item stays.
    transition.fact.to = transition.fact.from;
    next.version = version + 1;
    return transition;
  }
  next.decisions = {};
  next.assignee.reset();
  next.stage = target.value();
  next.version = version + 1;
  next.status = StatusFor(flow, next.stage, action->name);
  if (action->name == kActionSubmit && !submitted_before) {
    next.first_submitted_at = context.now;
    // The campaign's deadline is for reports; a nomination is never late.
    next.late = flow.subject == kSubjectReport && context.campaign != nullptr &&
                context.campaign->IsLate(context.now);
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

bool AwaitsActor(const Stage& stage, const Instance& item, const Actor& actor,
                 const OrgTree& orgs) {
  if (!IsStageActor(stage, actor, orgs, item.org_id)) return false;
  if (item.assignee && *item.assignee != actor.user_id) return false;
  const StageDecisions& decisions = item.decisions;
  if (IsMultiApprover(stage) && !decisions.approvers.empty()) {
    return Contains(decisions.approvers, actor.user_id) &&
           !Contains(decisions.approved, actor.user_id) &&
           !Contains(decisions.returned, actor.user_id);
  }
  return true;
}

const std::string* SeparatedBy(const Stage& stage, const ActorsByStage& acted, int64_t user_id) {
  for (const std::string& other : stage.separate_from) {
    auto found = acted.find(other);
    if (found != acted.end() && found->second.contains(user_id)) return &other;
  }
  return nullptr;
}

Status CheckMayHandOver(const FlowDefinition& flow, const OrgTree& orgs, const Instance& item,
                        const Actor& actor) {
  const Stage* stage = flow.FindStage(item.stage);
  if (stage == nullptr || stage->kind != StageKind::kReview) {
    return Error::InvalidAction("只有审核阶段的事项可以转办");
  }
  if (!IsStageActor(*stage, actor, orgs, item.org_id) ||
      (item.assignee && *item.assignee != actor.user_id)) {
    return Error::Forbidden("您无权转办该事项");
  }
  const StageDecisions& decisions = item.decisions;
  if (IsMultiApprover(*stage) && !decisions.approvers.empty()) {
    if (!Contains(decisions.approvers, actor.user_id)) {
      return Error::Forbidden("您不在阶段「" + StageLabel(*stage) + "」的审核人之列");
    }
    if (Contains(decisions.approved, actor.user_id) ||
        Contains(decisions.returned, actor.user_id)) {
      return Error::InvalidAction("您已作出决定，不能再转办");
    }
  }
  return Ok{};
}

Status CheckHandover(const FlowDefinition& flow, const OrgTree& orgs, const Instance& item,
                     const Actor& actor, const Actor& target, const ActorsByStage* acted_by_stage) {
  if (Status giver = CheckMayHandOver(flow, orgs, item, actor); !giver.ok()) return giver;
  const Stage* stage = flow.FindStage(item.stage);
  const StageDecisions& decisions = item.decisions;
  if (IsMultiApprover(*stage) && !decisions.approvers.empty() &&
      Contains(decisions.approvers, target.user_id)) {
    return Error::BadRequest("对方已是本阶段的审核人", {{"to", "对方已是本阶段的审核人", ""}});
  }
  if (target.user_id == actor.user_id) {
    return Error::BadRequest("不能转办给自己", {{"to", "不能转办给自己", ""}});
  }
  if (!IsStageActor(*stage, target, orgs, item.org_id)) {
    return Error::BadRequest("对方不是本阶段同一范围的审核人",
                             {{"to", "对方须在同一组织持有本阶段的角色", ""}});
  }
  if (target.user_id == item.created_by) {
    return Error::BadRequest("不能转办给事项的提交人", {{"to", "不能转办给事项的提交人", ""}});
  }
  if (acted_by_stage != nullptr) {
    if (const std::string* other = SeparatedBy(*stage, *acted_by_stage, target.user_id)) {
      const Stage* named = flow.FindStage(*other);
      const std::string why =
          "对方办理过「" + (named ? StageLabel(*named) : *other) + "」，不能办理本阶段";
      return Error::BadRequest(why, {{"to", why, ""}});
    }
  }
  return Ok{};
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
