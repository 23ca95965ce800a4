// Tally against a deliberately simple reference: thousands of random sessions
// (fixed seeds) with random members, recusals, ballots, rules, quotas and
// places already taken. The reference works in exact integer fractions and
// decides each nomination on its own, by counting the passed nominations of its
// kind that are strictly better and those that are at least as good.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/tally.h"

namespace jingsai::engine {
namespace {

// splitmix64: the same sequence on every platform and standard library.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  int64_t Between(int64_t low, int64_t high) { return low + Below(high - low + 1); }
  bool Percent(int64_t percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Below(static_cast<int64_t>(items.size())))];
  }
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[static_cast<std::size_t>(Below(static_cast<int64_t>(i)))]);
    }
  }

 private:
  uint64_t state_;
};

struct Fraction {
  int64_t num;
  int64_t den;
};

const std::vector<Fraction> kShares = {{3, 10}, {1, 2}, {3, 5}, {2, 3}, {3, 4}, {1, 1}};
const std::vector<std::string> kKinds = {"unit", "individual"};

struct CaseNomination {
  int64_t id;
  std::string kind;
  std::vector<int64_t> recused;
};

struct Case {
  uint64_t seed = 0;
  std::vector<int64_t> members;
  std::vector<CaseNomination> nominations;
  std::vector<TallyBallot> ballots;
  Fraction quorum{1, 2};
  Fraction ratio{1, 2};
  bool of_cast = false;
  bool strict = true;
  std::map<std::string, int64_t> quota;
  std::map<std::string, int64_t> taken;
};

struct Limits {
  int64_t max_members;      // members are drawn from voters 1..max_members+3
  int64_t max_nominations;  // nomination ids are drawn from 100..100+2*max_nominations
};

Case MakeCase(uint64_t seed, const Limits& limits) {
  Random random(seed);
  Case c;
  c.seed = seed;

  const int64_t voters = limits.max_members + 3;  // some are never members
  std::vector<int64_t> pool;
  for (int64_t voter = 1; voter <= voters; ++voter) pool.push_back(voter);
  random.Shuffle(pool);
  c.members.assign(pool.begin(), pool.begin() + random.Between(1, limits.max_members));

  std::vector<int64_t> ids;
  for (int64_t id = 100; id < 100 + 2 * limits.max_nominations; ++id) ids.push_back(id);
  random.Shuffle(ids);
  const int64_t recusal_percent = random.Pick(std::vector<int64_t>{0, 5, 15, 35});
  const int64_t nominations = random.Between(1, limits.max_nominations);
  for (int64_t n = 0; n < nominations; ++n) {
    CaseNomination nomination{ids[static_cast<std::size_t>(n)], random.Pick(kKinds), {}};
    for (int64_t voter = 1; voter <= voters; ++voter) {
      if (random.Percent(recusal_percent)) nomination.recused.push_back(voter);
    }
    c.nominations.push_back(std::move(nomination));
  }

  // Each nomination gets its own leaning, so that passes, failures and equal
  // standings all happen often.
  const int64_t density = random.Pick(std::vector<int64_t>{15, 40, 70, 90, 100});
  for (const CaseNomination& nomination : c.nominations) {
    const int64_t lean_for = random.Pick(std::vector<int64_t>{10, 50, 80, 100});
    const int64_t lean_against = random.Pick(std::vector<int64_t>{0, 30, 70});
    for (int64_t voter = 1; voter <= voters; ++voter) {
      if (!random.Percent(density)) continue;
      Choice choice = Choice::kFor;
      if (!random.Percent(lean_for)) {
        choice = random.Percent(lean_against) ? Choice::kAgainst : Choice::kAbstain;
      }
      c.ballots.push_back({voter, nomination.id, choice});
    }
  }
  // Ballots on nominations that are not in this session.
  for (int64_t stray = random.Between(0, 3); stray > 0; --stray) {
    c.ballots.push_back({random.Between(1, voters), 900 + random.Between(0, 5),
                         random.Percent(50) ? Choice::kFor : Choice::kAgainst});
  }
  random.Shuffle(c.ballots);

  c.quorum = random.Pick(kShares);
  c.ratio = random.Pick(kShares);
  c.of_cast = random.Percent(50);
  c.strict = random.Percent(50);
  for (const std::string& kind : kKinds) {
    if (random.Percent(70)) c.quota[kind] = random.Between(0, 5);
    if (random.Percent(50)) c.taken[kind] = random.Between(0, 4);
  }
  return c;
}

TallyInput ToInput(const Case& c) {
  TallyInput input;
  input.rules.quorum = static_cast<double>(c.quorum.num) / static_cast<double>(c.quorum.den);
  input.rules.pass_ratio = static_cast<double>(c.ratio.num) / static_cast<double>(c.ratio.den);
  input.rules.pass_of_cast = c.of_cast;
  input.rules.strict = c.strict;
  for (const auto& [kind, places] : c.quota) input.rules.quota[kind] = places;
  for (const auto& [kind, places] : c.taken) input.places_taken[kind] = places;
  input.members = c.members;
  for (const CaseNomination& nomination : c.nominations) {
    input.nominations.push_back(
        {nomination.id, nomination.kind, {nomination.recused.begin(), nomination.recused.end()}});
  }
  input.ballots = c.ballots;
  return input;
}

std::string Describe(const Case& c) {
  std::ostringstream out;
  out << "seed=" << c.seed << "\n  members:";
  for (int64_t member : c.members) out << ' ' << member;
  out << "\n  rules: quorum=" << c.quorum.num << '/' << c.quorum.den << " ratio=" << c.ratio.num
      << '/' << c.ratio.den << " of=" << (c.of_cast ? "cast" : "members")
      << " strict=" << (c.strict ? "true" : "false") << " quota:";
  for (const auto& [kind, places] : c.quota) out << ' ' << kind << '=' << places;
  out << " taken:";
  for (const auto& [kind, places] : c.taken) out << ' ' << kind << '=' << places;
  for (const CaseNomination& nomination : c.nominations) {
    out << "\n  nomination " << nomination.id << " (" << nomination.kind << ") recused:";
    for (int64_t member : nomination.recused) out << ' ' << member;
    out << " ballots:";
    for (const TallyBallot& ballot : c.ballots) {
      if (ballot.nomination == nomination.id) {
        out << ' ' << ballot.member << '=' << ChoiceName(ballot.choice);
      }
    }
  }
  out << "\n  stray ballots:";
  for (const TallyBallot& ballot : c.ballots) {
    const bool known = std::ranges::any_of(
        c.nominations, [&](const CaseNomination& n) { return n.id == ballot.nomination; });
    if (!known) out << ' ' << ballot.member << "->" << ballot.nomination;
  }
  return out.str();
}

// --- The reference ----------------------------------------------------------

struct Row {
  int64_t id = 0;
  std::string kind;
  int64_t fors = 0;
  int64_t against = 0;
  int64_t abstain = 0;
  int64_t eligible = 0;
  bool passed = false;
  int64_t rank = 0;  // 0: none
  std::string outcome;
};

struct Expected {
  bool quorum = false;
  int64_t members = 0;
  int64_t voted = 0;
  std::vector<Row> rows;
  std::vector<int64_t> ties;
};

bool Contains(const std::vector<int64_t>& list, int64_t value) {
  return std::ranges::find(list, value) != list.end();
}

// a * b.num / b.den compared with c, all in integers: a * num vs c * den.
bool Reaches(int64_t count, int64_t base, Fraction share, bool strict) {
  const int64_t lhs = count * share.den;
  const int64_t rhs = share.num * base;
  return strict ? lhs > rhs : lhs >= rhs;
}

Expected ReferenceTally(const Case& c) {
  Expected e;
  e.members = static_cast<int64_t>(c.members.size());

  auto counts = [&](const TallyBallot& ballot) {
    if (!Contains(c.members, ballot.member)) return false;
    for (const CaseNomination& nomination : c.nominations) {
      if (nomination.id == ballot.nomination) return !Contains(nomination.recused, ballot.member);
    }
    return false;
  };
  for (int64_t member : c.members) {
    const bool voted = std::ranges::any_of(
        c.ballots, [&](const TallyBallot& b) { return b.member == member && counts(b); });
    if (voted) ++e.voted;
  }
  e.quorum = e.members > 0 && Reaches(e.voted, e.members, c.quorum, /*strict=*/false);

  for (const CaseNomination& nomination : c.nominations) {
    Row row;
    row.id = nomination.id;
    row.kind = nomination.kind;
    row.eligible = std::ranges::count_if(
        c.members, [&](int64_t member) { return !Contains(nomination.recused, member); });
    for (const TallyBallot& ballot : c.ballots) {
      if (ballot.nomination != nomination.id || !counts(ballot)) continue;
      if (ballot.choice == Choice::kFor) ++row.fors;
      if (ballot.choice == Choice::kAgainst) ++row.against;
      if (ballot.choice == Choice::kAbstain) ++row.abstain;
    }
    const int64_t base = c.of_cast ? row.fors + row.against + row.abstain : row.eligible;
    row.passed = e.quorum && base > 0 && Reaches(row.fors, base, c.ratio, c.strict);
    e.rows.push_back(row);
  }

  for (Row& row : e.rows) {
    if (!e.quorum) {
      row.outcome = "no_quorum";
      continue;
    }
    if (!row.passed) {
      row.outcome = "not_commended";
      continue;
    }
    int64_t better = 0;       // passed, same kind, strictly better
    int64_t at_least_as = 0;  // passed, same kind, better or equal (itself included)
    for (const Row& other : e.rows) {
      if (!other.passed || other.kind != row.kind) continue;
      if (other.fors > row.fors || (other.fors == row.fors && other.against < row.against)) {
        ++better;
      }
      if (other.fors > row.fors || (other.fors == row.fors && other.against <= row.against)) {
        ++at_least_as;
      }
    }
    row.rank = better + 1;
    int64_t places = 1'000'000;
    if (c.quota.contains(row.kind)) {
      const int64_t taken = c.taken.contains(row.kind) ? c.taken.at(row.kind) : 0;
      places = std::max<int64_t>(0, c.quota.at(row.kind) - taken);
    }
    if (at_least_as <= places) {
      row.outcome = "commended";
    } else if (better < places) {
      row.outcome = "tie";
      e.ties.push_back(row.id);
    } else {
      row.outcome = "not_commended";
    }
  }
  std::ranges::sort(e.ties);
  return e;
}

// The differences between the tally and the reference, empty when they agree.
std::string Compare(const TallyResult& actual, const Expected& expected) {
  std::ostringstream out;
  if (actual.quorum_met != expected.quorum) {
    out << "\n  quorum_met " << actual.quorum_met << ", expected " << expected.quorum;
  }
  if (actual.members != expected.members) {
    out << "\n  members " << actual.members << ", expected " << expected.members;
  }
  if (actual.members_voted != expected.voted) {
    out << "\n  members_voted " << actual.members_voted << ", expected " << expected.voted;
  }
  if (actual.ties != expected.ties) {
    out << "\n  ties";
    for (int64_t id : actual.ties) out << ' ' << id;
    out << ", expected";
    for (int64_t id : expected.ties) out << ' ' << id;
  }
  if (actual.results.size() != expected.rows.size()) {
    out << "\n  " << actual.results.size() << " results, expected " << expected.rows.size();
    return out.str();
  }
  for (std::size_t i = 0; i < expected.rows.size(); ++i) {
    const NominationResult& got = actual.results[i];
    const Row& want = expected.rows[i];
    const int64_t got_rank = got.rank.value_or(0);
    const bool same =
        got.nomination == want.id && got.kind == want.kind && got.votes_for == want.fors &&
        got.against == want.against && got.abstain == want.abstain &&
        got.eligible == want.eligible && got.passed == want.passed && got_rank == want.rank &&
        OutcomeName(got.outcome) == want.outcome &&
        got.commended == (want.outcome == "commended") && (got.rank.has_value() == (want.rank > 0));
    if (same) continue;
    out << "\n  result " << i << ": nomination " << got.nomination << " " << got.kind << " for "
        << got.votes_for << " against " << got.against << " abstain " << got.abstain << " eligible "
        << got.eligible << " passed " << got.passed << " rank " << got_rank << " "
        << OutcomeName(got.outcome) << " commended " << got.commended
        << "\n    expected nomination " << want.id << " " << want.kind << " for " << want.fors
        << " against " << want.against << " abstain " << want.abstain << " eligible "
        << want.eligible << " passed " << want.passed << " rank " << want.rank << " "
        << want.outcome;
  }
  return out.str();
}

struct Coverage {
  int64_t cases = 0;
  int64_t no_quorum = 0;
  int64_t passed = 0;
  int64_t failed = 0;
  int64_t commended = 0;
  int64_t below_line = 0;
  int64_t tied_cases = 0;
  int64_t shared_ranks = 0;
  int64_t recused_ballots = 0;
};

void RunRandomSessions(uint64_t first_seed, int64_t count, const Limits& limits,
                       Coverage& coverage) {
  int failures = 0;
  for (int64_t i = 0; i < count && failures < 3; ++i) {
    const Case c = MakeCase(first_seed + static_cast<uint64_t>(i), limits);
    const TallyResult actual = Tally(ToInput(c));
    const Expected expected = ReferenceTally(c);
    const std::string differences = Compare(actual, expected);
    if (!differences.empty()) {
      ++failures;
      ADD_FAILURE() << "tally differs from the reference for " << Describe(c) << differences;
    }

    ++coverage.cases;
    if (!expected.quorum) ++coverage.no_quorum;
    if (!expected.ties.empty()) ++coverage.tied_cases;
    std::map<std::pair<std::string, int64_t>, int64_t> ranks;
    for (const Row& row : expected.rows) {
      if (expected.quorum) ++(row.passed ? coverage.passed : coverage.failed);
      if (row.outcome == "commended") ++coverage.commended;
      if (row.passed && row.outcome == "not_commended") ++coverage.below_line;
      if (row.rank > 0 && ++ranks[{row.kind, row.rank}] == 2) ++coverage.shared_ranks;
    }
    for (const TallyBallot& ballot : c.ballots) {
      for (const CaseNomination& nomination : c.nominations) {
        if (nomination.id == ballot.nomination && Contains(nomination.recused, ballot.member) &&
            Contains(c.members, ballot.member)) {
          ++coverage.recused_ballots;
        }
      }
    }
  }
}

// The random sessions must actually reach every branch, or agreeing with the
// reference would prove little.
void ExpectCovered(const Coverage& coverage) {
  SCOPED_TRACE(coverage.cases);
  EXPECT_GT(coverage.no_quorum, coverage.cases / 50);
  EXPECT_GT(coverage.passed, coverage.cases / 5);
  EXPECT_GT(coverage.failed, coverage.cases / 5);
  EXPECT_GT(coverage.commended, coverage.cases / 5);
  EXPECT_GT(coverage.below_line, coverage.cases / 20);
  EXPECT_GT(coverage.tied_cases, coverage.cases / 50);
  EXPECT_GT(coverage.shared_ranks, coverage.cases / 20);
  EXPECT_GT(coverage.recused_ballots, coverage.cases / 20);
}

TEST(TallyReference, SmallSessionsAgree) {
  Coverage coverage;
  RunRandomSessions(0x7A11'0000'0000ULL, 20'000, Limits{9, 12}, coverage);
  ExpectCovered(coverage);
}

TEST(TallyReference, LargerSessionsAgree) {
  Coverage coverage;
  RunRandomSessions(0x7A11'1000'0000ULL, 1'500, Limits{40, 30}, coverage);
  ExpectCovered(coverage);
}

// The generator itself: the same seed gives the same session, so a printed
// seed reproduces a failure.
TEST(TallyReference, SeedsReproduceTheirSession) {
  const Case a = MakeCase(12345, Limits{9, 12});
  const Case b = MakeCase(12345, Limits{9, 12});
  EXPECT_EQ(Describe(a), Describe(b));
  EXPECT_NE(Describe(a), Describe(MakeCase(12346, Limits{9, 12})));
}

}  // namespace
}  // namespace jingsai::engine
