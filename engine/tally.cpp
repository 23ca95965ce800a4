#include "engine/tally.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <cmath>

namespace jingsai::engine {
namespace {

// A share comes from the flow's JSON as a binary double: 0.28 * 25 is
// 7.000000000000001, and two thirds is stored a shade below 2/3. A count that
// lies within a billionth of share * base is therefore taken to be exactly on
// it, so 0.28 of 25 members is exactly 7, two of three members reach two
// thirds (and do not exceed it), and no floating-point rounding decides a
// vote. Any share written with up to six decimals is compared exactly, as its
// distance from a count is then either zero or at least a millionth.
constexpr double kShareTolerance = 1e-9;

bool ReachesShare(int64_t count, int64_t base, double share, bool strict) {
  const double margin = static_cast<double>(count) - share * static_cast<double>(base);
  if (std::abs(margin) <= kShareTolerance) return !strict;
  return margin > 0;
}

double NumberOr(const boost::json::object* object, std::string_view key, double fallback) {
  const boost::json::value* value = object ? object->if_contains(key) : nullptr;
  if (value == nullptr || !value->is_number()) return fallback;
  return value->to_number<double>();
}

struct Standing {
  int64_t votes_for;
  int64_t against;
  bool operator==(const Standing&) const = default;
  bool BetterThan(const Standing& other) const {
    return votes_for != other.votes_for ? votes_for > other.votes_for : against < other.against;
  }
};

// Ranks the passed nominations of one kind and hands out its places.
void RankKind(std::vector<NominationResult*>& passed, int64_t places_left,
              std::vector<int64_t>& ties) {
  std::stable_sort(passed.begin(), passed.end(), [](const auto* a, const auto* b) {
    return Standing{a->votes_for, a->against}.BetterThan(Standing{b->votes_for, b->against});
  });
  for (size_t begin = 0; begin < passed.size();) {
    const Standing standing{passed[begin]->votes_for, passed[begin]->against};
    size_t end = begin;
    while (end < passed.size() &&
           Standing{passed[end]->votes_for, passed[end]->against} == standing) {
      ++end;
    }
    const auto group = static_cast<int64_t>(end - begin);
    VoteOutcome outcome = VoteOutcome::kNotCommended;
    if (group <= places_left) {
      outcome = VoteOutcome::kCommended;
      places_left -= group;
    } else if (places_left > 0) {
      outcome = VoteOutcome::kTie;
      places_left = 0;
    }
    for (size_t i = begin; i < end; ++i) {
      passed[i]->rank = static_cast<int64_t>(begin) + 1;
      passed[i]->outcome = outcome;
      passed[i]->commended = outcome == VoteOutcome::kCommended;
      if (outcome == VoteOutcome::kTie) ties.push_back(passed[i]->nomination);
    }
    begin = end;
  }
}

}  // namespace

std::optional<Choice> ParseChoice(std::string_view text) {
  if (text == "for") return Choice::kFor;
  if (text == "against") return Choice::kAgainst;
  if (text == "abstain") return Choice::kAbstain;
  return std::nullopt;
}

std::string_view ChoiceName(Choice choice) {
  switch (choice) {
    case Choice::kFor:
      return "for";
    case Choice::kAgainst:
      return "against";
    case Choice::kAbstain:
      return "abstain";
  }
  return "abstain";
}

std::string_view OutcomeName(VoteOutcome outcome) {
  switch (outcome) {
    case VoteOutcome::kCommended:
      return "commended";
    case VoteOutcome::kNotCommended:
      return "not_commended";
    case VoteOutcome::kTie:
      return "tie";
    case VoteOutcome::kNoQuorum:
      return "no_quorum";
  }
  return "not_commended";
}

VoteRules ParseVoteRules(const boost::json::value& rules) {
  VoteRules parsed;
  const boost::json::object* object = rules.if_object();
  parsed.quorum = NumberOr(object, "quorum", parsed.quorum);
  const boost::json::value* pass = object ? object->if_contains("pass") : nullptr;
  const boost::json::object* pass_object = pass ? pass->if_object() : nullptr;
  parsed.pass_ratio = NumberOr(pass_object, "ratio", parsed.pass_ratio);
  if (pass_object != nullptr) {
    if (const boost::json::value* of = pass_object->if_contains("of"); of && of->is_string()) {
      parsed.pass_of_cast = of->get_string() == "cast";
    }
    if (const boost::json::value* strict = pass_object->if_contains("strict");
        strict && strict->is_bool()) {
      parsed.strict = strict->get_bool();
    }
  }
  const boost::json::value* quota = object ? object->if_contains("quota") : nullptr;
  if (const boost::json::object* places = quota ? quota->if_object() : nullptr) {
    for (const auto& entry : *places) {
      // A count beyond int64 is more places than there can be nominations.
      if (entry.value().is_uint64() && entry.value().get_uint64() > INT64_MAX) {
        parsed.quota[std::string(entry.key())] = INT64_MAX;
      } else if (entry.value().is_number()) {
        parsed.quota[std::string(entry.key())] = entry.value().to_number<int64_t>();
      }
    }
  }
  return parsed;
}

boost::json::value EncodeVoteRules(const VoteRules& rules) {
  boost::json::object quota;
  for (const auto& [kind, places] : rules.quota) quota[kind] = places;
  return boost::json::object{{"quorum", rules.quorum},
                             {"pass",
                              {{"ratio", rules.pass_ratio},
                               {"of", rules.pass_of_cast ? "cast" : "members"},
                               {"strict", rules.strict}}},
                             {"quota", std::move(quota)}};
}

TallyResult Tally(const TallyInput& input) {
  TallyResult tally;
  const std::set<int64_t> members(input.members.begin(), input.members.end());
  tally.members = static_cast<int64_t>(members.size());

  std::map<int64_t, size_t> index;
  for (const TallyNomination& nomination : input.nominations) {
    index.emplace(nomination.id, tally.results.size());
    NominationResult result;
    result.nomination = nomination.id;
    result.kind = nomination.kind;
    for (int64_t member : members) {
      if (!nomination.recused.contains(member)) ++result.eligible;
    }
    tally.results.push_back(std::move(result));
  }

  std::set<int64_t> voted;
  for (const TallyBallot& ballot : input.ballots) {
    auto found = index.find(ballot.nomination);
    if (!members.contains(ballot.member) || found == index.end()) continue;
    if (input.nominations[found->second].recused.contains(ballot.member)) continue;
    voted.insert(ballot.member);
    NominationResult& result = tally.results[found->second];
    switch (ballot.choice) {
      case Choice::kFor:
        ++result.votes_for;
        break;
      case Choice::kAgainst:
        ++result.against;
        break;
      case Choice::kAbstain:
        ++result.abstain;
        break;
    }
  }
  tally.members_voted = static_cast<int64_t>(voted.size());
  tally.quorum_met = tally.members > 0 && ReachesShare(tally.members_voted, tally.members,
                                                       input.rules.quorum, /*strict=*/false);
  if (!tally.quorum_met) {
    for (NominationResult& result : tally.results) result.outcome = VoteOutcome::kNoQuorum;
    return tally;
  }

  std::map<std::string, std::vector<NominationResult*>> passed_by_kind;
  for (NominationResult& result : tally.results) {
    const int64_t cast = result.votes_for + result.against + result.abstain;
    const int64_t base = input.rules.pass_of_cast ? cast : result.eligible;
    result.passed = base > 0 && ReachesShare(result.votes_for, base, input.rules.pass_ratio,
                                             input.rules.strict);
    if (result.passed) passed_by_kind[result.kind].push_back(&result);
  }
  for (auto& [kind, passed] : passed_by_kind) {
    int64_t places_left = INT64_MAX;
    if (auto quota = input.rules.quota.find(kind); quota != input.rules.quota.end()) {
      auto taken = input.places_taken.find(kind);
      places_left = std::max<int64_t>(
          0, quota->second - (taken == input.places_taken.end() ? 0 : taken->second));
    }
    RankKind(passed, places_left, tally.ties);
  }
  std::sort(tally.ties.begin(), tally.ties.end());
  return tally;
}

std::set<std::string> StagesHoldingPlace(const FlowDefinition& flow) {
  auto reachable_from = [&flow](const std::string& start, bool stop_at_vote) {
    std::set<std::string> seen{start};
    std::vector<std::string> pending{start};
    while (!pending.empty()) {
      const Stage* stage = flow.FindStage(pending.back());
      pending.pop_back();
      if (stage == nullptr || (stop_at_vote && stage->kind == StageKind::kVote)) continue;
      for (const ActionSpec& action : stage->actions) {
        for (const std::string& to : action.to) {
          if (seen.insert(to).second) pending.push_back(to);
        }
      }
    }
    return seen;
  };
  // Stages before the vote: reachable from the start without voting.
  const std::set<std::string> before_vote = reachable_from(flow.start, /*stop_at_vote=*/true);
  std::set<std::string> holding;
  for (const Stage& stage : flow.stages) {
    if (stage.kind != StageKind::kVote) continue;
    const ActionSpec* pass = stage.FindAction("pass");
    if (pass == nullptr) continue;
    for (const std::string& target : pass->to) {
      for (const std::string& id : reachable_from(target, /*stop_at_vote=*/true)) {
        const Stage* candidate = flow.FindStage(id);
        if (candidate != nullptr && candidate->kind != StageKind::kVote &&
            !before_vote.contains(id)) {
          holding.insert(id);
        }
      }
    }
  }
  return holding;
}

}  // namespace jingsai::engine
