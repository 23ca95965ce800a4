// The committee vote's arithmetic: quorum, pass threshold, ranking, quotas
// and ties, as a pure function of the members, nominations and ballots.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/flow.h"

namespace jingsai::engine {

enum class Choice { kFor, kAgainst, kAbstain };
std::optional<Choice> ParseChoice(std::string_view text);
std::string_view ChoiceName(Choice choice);

// A vote stage's "rules", already checked by the flow parser.
struct VoteRules {
  double quorum = 0.5;        // share of members who cast at least one ballot
  double pass_ratio = 0.5;    // share of the base that must vote "for"
  bool pass_of_cast = false;  // base: ballots cast (true) or eligible members (false)
  bool strict = true;         // "for" must exceed the share (true) or reach it (false)
  // Places per nomination kind for the whole campaign; a kind without an
  // entry is not capped.
  std::map<std::string, int64_t, std::less<>> quota;
};
VoteRules ParseVoteRules(const boost::json::value& rules);
boost::json::value EncodeVoteRules(const VoteRules& rules);

struct TallyNomination {
  int64_t id = 0;
  std::string kind;           // "unit" | "individual"
  std::set<int64_t> recused;  // members who may not vote on it
};

struct TallyBallot {
  int64_t member = 0;
  int64_t nomination = 0;
  Choice choice = Choice::kAbstain;
};

struct TallyInput {
  VoteRules rules;
  std::vector<int64_t> members;
  std::vector<TallyNomination> nominations;
  // At most one per (member, nomination). Ballots of non-members or of
  // recused members are ignored: they never count.
  std::vector<TallyBallot> ballots;
  // Places of each kind already filled earlier in the campaign.
  std::map<std::string, int64_t, std::less<>> places_taken;
};

// What closing the session does to a nomination.
enum class VoteOutcome {
  kCommended,     // passed and within the quota
  kNotCommended,  // failed, or passed but below the quota line
  kTie,           // tied across the quota line: stays for a run-off
  kNoQuorum,      // the session decided nothing: stays for another session
};
std::string_view OutcomeName(VoteOutcome outcome);

struct NominationResult {
  int64_t nomination = 0;
  std::string kind;
  int64_t votes_for = 0;
  int64_t against = 0;
  int64_t abstain = 0;
  int64_t eligible = 0;  // members not recused: the base when counting members
  bool passed = false;
  bool commended = false;
  std::optional<int64_t> rank;  // among passed nominations of the kind: 1 is best
  VoteOutcome outcome = VoteOutcome::kNotCommended;
};

struct TallyResult {
  bool quorum_met = false;
  int64_t members = 0;
  int64_t members_voted = 0;
  std::vector<NominationResult> results;  // in the order of the input's nominations
  std::vector<int64_t> ties;              // nominations tied across a quota line
};

// Pass: for > ratio * base (strict) or for >= ratio * base, with base the
// eligible members or the ballots cast (abstentions count as cast, not for);
// an empty base never passes. Ranking within a kind: more "for", then fewer
// "against"; equal pairs share a rank. Places go down the ranking; a group of
// equals that does not fit in the places left is a tie, and everything below
// it is not commended. Without a quorum nothing passes and nothing moves.
TallyResult Tally(const TallyInput& input);

// The stages where a nomination holds a place once its vote passed: the pass
// target and what follows it, but not the stages before the vote (an upheld
// objection that sends a nomination back to screening frees its place).
std::set<std::string> StagesHoldingPlace(const FlowDefinition& flow);

}  // namespace jingsai::engine
