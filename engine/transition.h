// Apply: the pure state machine. Given a flow definition, an item, a command
// and the actor, returns the item after the move plus the fact to record in
// history, or the reason it may not happen. No I/O, no clock: `now` is given.
//
// Order of checks, so that each refusal names its real cause:
//   1. the action is declared at the item's stage       else kInvalidAction (409)
//   2. the actor holds the action's role at its scope,  else kForbidden (403)
//      is the assignee when the item was handed over, did not act at a
//      stage this one is separated from, is an assigned approver of a
//      multi-approver stage, and does not approve their own item
//   3. the command is complete (return: comment, to)    else kBadRequest (400)
//      and `to` is one the stage allows                 else kInvalidAction (409)
//   4. the action's validators pass                     else kValidationFailed (422)
//
// At a multi-approver stage an approver's approve or return is recorded as a
// decision; the item moves only when the stage's rule is met (approve) or can
// no longer be met (return), and otherwise stays with the decision recorded.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/actor.h"
#include "engine/campaign.h"
#include "engine/flow.h"
#include "engine/org_tree.h"
#include "engine/result.h"
#include "engine/validators.h"

namespace jingsai::engine {

// A review stage where several approvers decide (approvals mode all or
// ratio): who was assigned when the item entered the stage, and who has
// approved or returned it since. Empty at every other stage.
struct StageDecisions {
  std::vector<int64_t> approvers;  // sorted user ids
  std::vector<int64_t> approved;
  std::vector<int64_t> returned;
  bool operator==(const StageDecisions&) const = default;
};

// The state of one item (a report or a nomination) as the engine sees it.
struct Instance {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t created_by = 0;  // user id of the submitter
  std::string stage;
  std::string status;
  int64_t version = 0;
  bool late = false;
  std::optional<TimePoint> first_submitted_at;  // lateness is judged on the first submit
  boost::json::value data;
  StageDecisions decisions;
  std::optional<int64_t> assignee;  // handed over (转办) to this reviewer at the current stage
  bool operator==(const Instance&) const = default;
};

struct Command {
  std::string action;
  std::string comment;
  std::string to;  // return only; empty means the stage's default
};

// One history row to append, before storage adds seq, time and hashes.
struct Fact {
  std::string action;
  std::string from;
  std::string to;
  std::string comment;
};

struct Transition {
  Instance next;
  Fact fact;
};

// Who acted at which stage of an item so far, by user id (from its history).
using ActorsByStage = std::map<std::string, std::set<int64_t>>;

struct TransitionContext {
  const FlowDefinition* flow = nullptr;
  const OrgTree* orgs = nullptr;
  const Campaign* campaign = nullptr;                   // may be null
  const std::vector<EvidenceInfo>* evidence = nullptr;  // may be null
  TimePoint now;
  // Who acted at which stage of this item so far (from its history), for
  // separation of duties; may be null when the flow declares none.
  const ActorsByStage* acted_by_stage = nullptr;
};

// REQUIRES: context.flow and context.orgs are set; item.stage is a stage of flow.
// When the item moves to a multi-approver stage, next.decisions is empty: the
// caller assigns the approvers (whoever holds the stage's role at its scope).
// `item` is taken by value: a caller done with it moves it in, and its data
// (the whole report) becomes next's without a copy.
Result<Transition> Apply(const TransitionContext& context, Instance item, const Command& command,
                         const Actor& actor);

// The status shown to users for an item at `stage`, after `last_action`:
// "draft", "returned", "in_review", "in_vote", or an end stage's outcome.
std::string StatusFor(const FlowDefinition& flow, const std::string& stage,
                      const std::string& last_action);

// Does the stage decide by several approvers (approvals all or ratio)?
bool IsMultiApprover(const Stage& stage);

// Is the item waiting for this actor at its current stage? The stage's actor
// who is its assignee (when handed over) and, at a multi-approver stage, an
// assigned approver who has not decided yet.
bool AwaitsActor(const Stage& stage, const Instance& item, const Actor& actor, const OrgTree& orgs);

// The stage this user may not act at because they acted at it, per the
// stage's separate_from, or nullptr when there is none.
const std::string* SeparatedBy(const Stage& stage, const ActorsByStage& acted, int64_t user_id);

// May the actor hand over (转办) the item at its current stage, to anyone?
// Checked before the receiver is even looked up, so that who may not act
// learns nothing about users: kInvalidAction off a review stage, kForbidden
// unless the actor is the stage's actor (its assignee, an undecided approver).
Status CheckMayHandOver(const FlowDefinition& flow, const OrgTree& orgs, const Instance& item,
                        const Actor& actor);

// May the actor hand the item over (转办) to `target` at its current stage?
// Both must be able to act there; the item must not be the target's own, and
// the target must not be kept from the stage by separation of duties
// (`acted_by_stage`, when the stage declares separate_from).
Status CheckHandover(const FlowDefinition& flow, const OrgTree& orgs, const Instance& item,
                     const Actor& actor, const Actor& target,
                     const ActorsByStage* acted_by_stage = nullptr);

// May the actor edit (PATCH) the item now? Only at an edit stage, by the
// stage's actor.
Status CheckEdit(const FlowDefinition& flow, const OrgTree& orgs, const Instance& item,
                 const Actor& actor);

// True when `actor` may perform the stage's main action set at `stage` for an
// item of `item_org` (the inbox question).
bool IsStageActor(const Stage& stage, const Actor& actor, const OrgTree& orgs, int64_t item_org);

}  // namespace jingsai::engine
