// Tally over every small ballot assignment: each outcome is compared with a
// direct reading of the rules, so no corner of the arithmetic goes untried.

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/tally.h"
#include "tests/engine/tally_fixture.h"

namespace jingsai::engine {
namespace {

using tally_testing::kIn;
using tally_testing::kOut;
using tally_testing::kTie;
using tally_testing::MembersUpTo;
using tally_testing::Nomination;

// --- Every small assignment -------------------------------------------------

// What one member does on one nomination.
enum class Act { kNone, kFor, kAgainst, kAbstain };
constexpr std::array<Act, 4> kActs = {Act::kNone, Act::kFor, Act::kAgainst, Act::kAbstain};

struct Fraction {
  int64_t num;
  int64_t den;
};

struct SmallRules {
  Fraction quorum;
  Fraction ratio;
  bool of_cast;
  bool strict;
  std::optional<int64_t> places;  // of the single kind; nullopt: uncapped
};

std::string Describe(const SmallRules& rules, int members, const std::set<int64_t>& recused_b,
                     const std::vector<Act>& acts) {
  std::ostringstream out;
  out << "members=" << members << " quorum=" << rules.quorum.num << "/" << rules.quorum.den
      << " ratio=" << rules.ratio.num << "/" << rules.ratio.den
      << " of=" << (rules.of_cast ? "cast" : "members") << " strict=" << rules.strict
      << " places=" << (rules.places ? std::to_string(*rules.places) : "none") << " recused on B:";
  for (int64_t member : recused_b) out << ' ' << member;
  out << " acts (A then B per member):";
  for (Act act : acts) out << ' ' << "-FXA"[static_cast<int>(act)];
  return out.str();
}

// Enumerates every act of `members` members on nominations A (1) and B (2)
// and checks the tally against expectations worked out directly: with two
// nominations of one kind the ranking and the quota come down to a few cases.
void CheckEverySmallAssignment(int members, const SmallRules& rules,
                               const std::set<int64_t>& recused_b) {
  const int slots = members * 2;
  int64_t assignments = 1;
  for (int i = 0; i < slots; ++i) assignments *= 4;
  int failures = 0;
  std::vector<Act> acts(static_cast<std::size_t>(slots));
  for (int64_t code = 0; code < assignments && failures < 5; ++code) {
    int64_t rest = code;
    for (int i = 0; i < slots; ++i) {
      acts[static_cast<std::size_t>(i)] = kActs[static_cast<std::size_t>(rest % 4)];
      rest /= 4;
    }

    TallyInput input;
    input.rules.quorum = static_cast<double>(rules.quorum.num) / rules.quorum.den;
    input.rules.pass_ratio = static_cast<double>(rules.ratio.num) / rules.ratio.den;
    input.rules.pass_of_cast = rules.of_cast;
    input.rules.strict = rules.strict;
    if (rules.places) input.rules.quota = {{"unit", *rules.places}};
    input.members = MembersUpTo(members);
    input.nominations = {Nomination(1), Nomination(2, "unit", recused_b)};

    // Expected counts, worked out alongside the ballots.
    std::array<int64_t, 2> fors{}, against{}, abstain{};
    int64_t voted = 0;
    for (int m = 0; m < members; ++m) {
      const int64_t member = m + 1;
      bool counted = false;
      for (int n = 0; n < 2; ++n) {
        const Act act = acts[static_cast<std::size_t>(m * 2 + n)];
        if (act == Act::kNone) continue;
        const Choice choice = act == Act::kFor       ? Choice::kFor
                              : act == Act::kAgainst ? Choice::kAgainst
                                                     : Choice::kAbstain;
        input.ballots.push_back({member, n + 1, choice});
        if (n == 1 && recused_b.contains(member)) continue;
        counted = true;
        auto& count = act == Act::kFor ? fors : act == Act::kAgainst ? against : abstain;
        ++count[static_cast<std::size_t>(n)];
      }
      if (counted) ++voted;
    }
    const std::array<int64_t, 2> eligible = {members,
                                             members - static_cast<int64_t>(recused_b.size())};

    const bool quorum = voted * rules.quorum.den >= rules.quorum.num * members;
    std::array<bool, 2> passed{};
    for (std::size_t n = 0; n < 2; ++n) {
      const int64_t base = rules.of_cast ? fors[n] + against[n] + abstain[n] : eligible[n];
      const int64_t lhs = fors[n] * rules.ratio.den;
      const int64_t rhs = rules.ratio.num * base;
      passed[n] = quorum && base > 0 && (rules.strict ? lhs > rhs : lhs >= rhs);
    }
    std::array<std::optional<int64_t>, 2> rank;
    std::array<VoteOutcome, 2> outcome = {kOut, kOut};
    std::vector<int64_t> ties;
    const int64_t places = rules.places.value_or(100);
    if (!quorum) {
      outcome = {VoteOutcome::kNoQuorum, VoteOutcome::kNoQuorum};
    } else if (passed[0] && passed[1]) {
      const bool same = fors[0] == fors[1] && against[0] == against[1];
      if (same) {
        rank = {1, 1};
        if (places >= 2) {
          outcome = {kIn, kIn};
        } else if (places == 1) {
          outcome = {kTie, kTie};
          ties = {1, 2};
        }
      } else {
        const bool a_first = fors[0] > fors[1] || (fors[0] == fors[1] && against[0] < against[1]);
        const std::size_t first = a_first ? 0 : 1;
        rank[first] = 1;
        rank[1 - first] = 2;
        if (places >= 1) outcome[first] = kIn;
        if (places >= 2) outcome[1 - first] = kIn;
      }
    } else {
      for (std::size_t n = 0; n < 2; ++n) {
        if (!passed[n]) continue;
        rank[n] = 1;
        if (places >= 1) outcome[n] = kIn;
      }
    }

    const TallyResult tally = Tally(input);
    bool ok = tally.quorum_met == quorum && tally.members == members &&
              tally.members_voted == voted && tally.ties == ties && tally.results.size() == 2;
    for (std::size_t n = 0; ok && n < 2; ++n) {
      const NominationResult& result = tally.results[n];
      ok = result.nomination == static_cast<int64_t>(n + 1) && result.kind == "unit" &&
           result.votes_for == fors[n] && result.against == against[n] &&
           result.abstain == abstain[n] && result.eligible == eligible[n] &&
           result.passed == passed[n] && result.rank == rank[n] && result.outcome == outcome[n] &&
           result.commended == (outcome[n] == kIn);
    }
    if (!ok) {
      ++failures;
      ADD_FAILURE() << "mismatch for " << Describe(rules, members, recused_b, acts)
                    << "\n expected quorum=" << quorum << " voted=" << voted << " A: " << fors[0]
                    << "/" << against[0] << "/" << abstain[0] << " passed=" << passed[0]
                    << " outcome=" << OutcomeName(outcome[0]) << "; B: " << fors[1] << "/"
                    << against[1] << "/" << abstain[1] << " passed=" << passed[1]
                    << " outcome=" << OutcomeName(outcome[1]);
    }
  }
}

constexpr Fraction kHalf{1, 2};
constexpr Fraction kThreeQuarters{3, 4};
constexpr Fraction kTwoThirdsExact{2, 3};
constexpr Fraction kAll{1, 1};

TEST(TallyExhaustive, FourMembersStrictHalfOfMembers) {
  CheckEverySmallAssignment(4, {kHalf, kHalf, false, true, 1}, {});
}

TEST(TallyExhaustive, FourMembersNonStrictHalfOfCast) {
  CheckEverySmallAssignment(4, {kHalf, kHalf, true, false, 1}, {});
}

TEST(TallyExhaustive, FourMembersWithARecusalOnB) {
  CheckEverySmallAssignment(4, {kHalf, kHalf, false, false, 1}, {4});
  CheckEverySmallAssignment(4, {kThreeQuarters, kTwoThirdsExact, true, true, 1}, {2});
}

TEST(TallyExhaustive, ThreeMembersEveryRule) {
  const std::array<Fraction, 5> shares = {Fraction{3, 10}, kHalf, kTwoThirdsExact, kThreeQuarters,
                                          kAll};
  const std::array<std::optional<int64_t>, 4> places = {std::nullopt, 0, 1, 2};
  for (const Fraction& quorum : {kHalf, kTwoThirdsExact}) {
    for (const Fraction& ratio : shares) {
      for (bool of_cast : {false, true}) {
        for (bool strict : {false, true}) {
          for (std::size_t p = 0; p < places.size(); ++p) {
            const std::set<int64_t> recused =
                p % 2 == 0 ? std::set<int64_t>{} : std::set<int64_t>{static_cast<int64_t>(p)};
            CheckEverySmallAssignment(3, {quorum, ratio, of_cast, strict, places[p]}, recused);
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace jingsai::engine
