// Building blocks of the tally tests: rules, members and nominations.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/tally.h"

namespace jingsai::engine::tally_testing {

// A nomination's outcome, short enough to read in rows.
inline constexpr VoteOutcome kIn = VoteOutcome::kCommended;
inline constexpr VoteOutcome kOut = VoteOutcome::kNotCommended;
inline constexpr VoteOutcome kTie = VoteOutcome::kTie;

inline VoteRules Rules(double ratio, bool of_cast, bool strict, double quorum = 0.5) {
  VoteRules rules;
  rules.quorum = quorum;
  rules.pass_ratio = ratio;
  rules.pass_of_cast = of_cast;
  rules.strict = strict;
  return rules;
}

inline std::vector<int64_t> MembersUpTo(int64_t count) {
  std::vector<int64_t> members;
  for (int64_t member = 1; member <= count; ++member) members.push_back(member);
  return members;
}

inline TallyNomination Nomination(int64_t id, std::string kind = "unit",
                                  std::set<int64_t> recused = {}) {
  return TallyNomination{id, std::move(kind), std::move(recused)};
}
}  // namespace jingsai::engine::tally_testing
