// Apply: the pure state machine. Given a flow definition, an item, a command
// and the actor, returns the item after the move plus the fact to record in
// history, or the reason it may not happen. No I/O, no clock: `now` is given.
//
// Order of checks, so that each refusal names its real cause:
//   1. the action is declared at the item's stage       else kInvalidAction (409)
//   2. the actor holds the action's role at its scope   else kForbidden (403)
//   3. the command is complete (return: comment, to)    else kBadRequest (400)
//      and `to` is one the stage allows                 else kInvalidAction (409)
//   4. the action's validators pass                     else kValidationFailed (422)
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/actor.h"
#include "engine/campaign.h"
#include "engine/flow.h"
#include "engine/org_tree.h"
#include "engine/result.h"
#include "engine/validators.h"

namespace jingsai::engine {

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

struct TransitionContext {
  const FlowDefinition* flow = nullptr;
  const OrgTree* orgs = nullptr;
  const Campaign* campaign = nullptr;                   // may be null
  const std::vector<EvidenceInfo>* evidence = nullptr;  // may be null
  TimePoint now;
};

// REQUIRES: context.flow and context.orgs are set; item.stage is a stage of flow.
Result<Transition> Apply(const TransitionContext& context, const Instance& item,
                         const Command& command, const Actor& actor);

// The status shown to users for an item at `stage`, after `last_action`:
// "draft", "returned", "in_review", "in_vote", or an end stage's outcome.
std::string StatusFor(const FlowDefinition& flow, const std::string& stage,
                      const std::string& last_action);

// May the actor edit (PATCH) the item now? Only at an edit stage, by the
// stage's actor.
Status CheckEdit(const FlowDefinition& flow, const OrgTree& orgs, const Instance& item,
                 const Actor& actor);

// True when `actor` may perform the stage's main action set at `stage` for an
// item of `item_org` (the inbox question).
bool IsStageActor(const Stage& stage, const Actor& actor, const OrgTree& orgs, int64_t item_org);

}  // namespace jingsai::engine
