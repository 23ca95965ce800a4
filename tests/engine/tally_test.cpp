// Tally: the committee vote's arithmetic (quorum, pass threshold, ranking,
// quotas and ties), case by case. Every small ballot assignment is in
// tally_exhaustive_test.cpp, the randomized comparison with a reference tally
// in tally_reference_test.cpp.

#include "engine/tally.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/engine/tally_fixture.h"

namespace jingsai::engine {
namespace {

using tally_testing::MembersUpTo;
using tally_testing::Nomination;
using tally_testing::Rules;

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr double kTwoThirds = 2.0 / 3.0;

// Ballots on one nomination from consecutive members, starting at `first`:
// first the "for"s, then the "against"s, then the abstentions.
std::vector<TallyBallot> Ballots(int64_t nomination, int fors, int against, int abstain,
                                 int64_t first = 1) {
  std::vector<TallyBallot> ballots;
  int64_t member = first;
  for (int i = 0; i < fors; ++i) ballots.push_back({member++, nomination, Choice::kFor});
  for (int i = 0; i < against; ++i) ballots.push_back({member++, nomination, Choice::kAgainst});
  for (int i = 0; i < abstain; ++i) ballots.push_back({member++, nomination, Choice::kAbstain});
  return ballots;
}

std::vector<TallyBallot> Join(std::vector<std::vector<TallyBallot>> parts) {
  std::vector<TallyBallot> all;
  for (auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

const NominationResult& ResultOf(const TallyResult& tally, int64_t nomination) {
  for (const NominationResult& result : tally.results) {
    if (result.nomination == nomination) return result;
  }
  ADD_FAILURE() << "no result for nomination " << nomination;
  static const NominationResult kMissing;
  return kMissing;
}

// Whether one nomination passes when it alone is voted on by `members`.
bool Passes(int64_t members, int fors, int against, int abstain, const VoteRules& rules,
            std::set<int64_t> recused = {}) {
  TallyInput input{rules,
                   MembersUpTo(members),
                   {Nomination(1, "unit", std::move(recused))},
                   Ballots(1, fors, against, abstain),
                   {}};
  TallyResult tally = Tally(input);
  EXPECT_TRUE(tally.quorum_met);
  return ResultOf(tally, 1).passed;
}

// Whether the quorum is met when `voted` of `members` cast a ballot.
bool QuorumMet(int64_t members, int voted, double quorum) {
  TallyInput input{Rules(0.5, false, true, quorum),
                   MembersUpTo(members),
                   {Nomination(1)},
                   Ballots(1, 0, 0, voted),
                   {}};
  return Tally(input).quorum_met;
}

// --- Choices, outcomes and rules -------------------------------------------

TEST(TallyChoice, NamesRoundTrip) {
  for (Choice choice : {Choice::kFor, Choice::kAgainst, Choice::kAbstain}) {
    EXPECT_EQ(ParseChoice(ChoiceName(choice)), choice) << ChoiceName(choice);
  }
  EXPECT_EQ(ChoiceName(Choice::kFor), "for");
  EXPECT_EQ(ChoiceName(Choice::kAgainst), "against");
  EXPECT_EQ(ChoiceName(Choice::kAbstain), "abstain");
}

TEST(TallyChoice, RejectsAnythingElse) {
  for (std::string_view text : {"", "For", "FOR", " for", "for ", "yes", "no", "abstained", "0"}) {
    EXPECT_EQ(ParseChoice(text), std::nullopt) << '"' << text << '"';
  }
}

TEST(TallyChoice, OutcomeNames) {
  EXPECT_EQ(OutcomeName(VoteOutcome::kCommended), "commended");
  EXPECT_EQ(OutcomeName(VoteOutcome::kNotCommended), "not_commended");
  EXPECT_EQ(OutcomeName(VoteOutcome::kTie), "tie");
  EXPECT_EQ(OutcomeName(VoteOutcome::kNoQuorum), "no_quorum");
}

void ExpectSameRules(const VoteRules& actual, const VoteRules& expected) {
  EXPECT_EQ(actual.quorum, expected.quorum);
  EXPECT_EQ(actual.pass_ratio, expected.pass_ratio);
  EXPECT_EQ(actual.pass_of_cast, expected.pass_of_cast);
  EXPECT_EQ(actual.strict, expected.strict);
  EXPECT_EQ(actual.quota, expected.quota);
}

TEST(TallyRules, ParsesTheFlowRules) {
  VoteRules rules = ParseVoteRules(boost::json::parse(
      R"({"quorum": 0.6, "pass": {"ratio": 0.75, "of": "cast", "strict": false},
          "quota": {"unit": 30, "individual": 50}})"));
  EXPECT_EQ(rules.quorum, 0.6);
  EXPECT_EQ(rules.pass_ratio, 0.75);
  EXPECT_TRUE(rules.pass_of_cast);
  EXPECT_FALSE(rules.strict);
  EXPECT_EQ(rules.quota,
            (std::map<std::string, int64_t, std::less<>>{{"individual", 50}, {"unit", 30}}));

  VoteRules members = ParseVoteRules(boost::json::parse(
      R"({"quorum": 1, "pass": {"ratio": 1, "of": "members", "strict": true}, "quota": {"unit": 1}})"));
  EXPECT_EQ(members.quorum, 1.0);
  EXPECT_EQ(members.pass_ratio, 1.0);
  EXPECT_FALSE(members.pass_of_cast);
  EXPECT_TRUE(members.strict);
  EXPECT_EQ(members.quota.size(), 1u);
}

TEST(TallyRules, MissingFieldsKeepTheDefaults) {
  const VoteRules defaults;
  ExpectSameRules(ParseVoteRules(boost::json::parse("{}")), defaults);
  ExpectSameRules(ParseVoteRules(boost::json::parse("null")), defaults);
  ExpectSameRules(ParseVoteRules(boost::json::parse("[0.9]")), defaults);
  ExpectSameRules(ParseVoteRules(boost::json::parse(R"({"pass": "majority"})")), defaults);

  VoteRules partial = ParseVoteRules(boost::json::parse(R"({"pass": {"of": "cast"}})"));
  EXPECT_EQ(partial.quorum, defaults.quorum);
  EXPECT_EQ(partial.pass_ratio, defaults.pass_ratio);
  EXPECT_TRUE(partial.pass_of_cast);
  EXPECT_EQ(partial.strict, defaults.strict);
  EXPECT_THAT(partial.quota, IsEmpty());
}

TEST(TallyRules, AHugeQuotaIsUncappedRatherThanAnError) {
  VoteRules rules =
      ParseVoteRules(boost::json::parse(R"({"quota": {"unit": 18446744073709551615}})"));
  EXPECT_EQ(rules.quota.at("unit"), INT64_MAX);
}

TEST(TallyRules, EncodeThenParseRoundTrips) {
  std::vector<VoteRules> cases;
  cases.push_back(VoteRules{});
  cases.push_back(Rules(kTwoThirds, true, false, 0.3));
  cases.push_back(Rules(1.0, false, true, 1.0));
  VoteRules with_quota = Rules(0.6, true, true, 0.75);
  with_quota.quota = {{"unit", 30}, {"individual", 50}};
  cases.push_back(with_quota);
  VoteRules one_kind = Rules(0.5, false, false, kTwoThirds);
  one_kind.quota = {{"individual", 1}};
  cases.push_back(one_kind);

  for (const VoteRules& rules : cases) {
    SCOPED_TRACE(boost::json::serialize(EncodeVoteRules(rules)));
    ExpectSameRules(ParseVoteRules(EncodeVoteRules(rules)), rules);
    // Also through the JSON text, as the flow is stored.
    ExpectSameRules(
        ParseVoteRules(boost::json::parse(boost::json::serialize(EncodeVoteRules(rules)))), rules);
  }
}

TEST(TallyRules, ParseThenEncodeRoundTrips) {
  const boost::json::value flow_rules = boost::json::parse(
      R"({"quorum": 0.5, "pass": {"ratio": 0.5, "of": "members", "strict": true},
          "quota": {"individual": 50, "unit": 30}})");
  EXPECT_EQ(EncodeVoteRules(ParseVoteRules(flow_rules)), flow_rules);
  const boost::json::value cast_rules = boost::json::parse(
      R"({"quorum": 0.75, "pass": {"ratio": 0.6, "of": "cast", "strict": false},
          "quota": {"unit": 3}})");
  EXPECT_EQ(EncodeVoteRules(ParseVoteRules(cast_rules)), cast_rules);
}

// --- Quorum -----------------------------------------------------------------

TEST(TallyQuorum, ExactlyMetAndJustMissed) {
  EXPECT_TRUE(QuorumMet(4, 2, 0.5));
  EXPECT_FALSE(QuorumMet(4, 1, 0.5));
  EXPECT_TRUE(QuorumMet(5, 3, 0.5));
  EXPECT_FALSE(QuorumMet(5, 2, 0.5));
  EXPECT_TRUE(QuorumMet(5, 3, 0.6));
  EXPECT_FALSE(QuorumMet(5, 2, 0.6));
  EXPECT_TRUE(QuorumMet(4, 3, 0.75));
  EXPECT_FALSE(QuorumMet(4, 2, 0.75));
  EXPECT_TRUE(QuorumMet(4, 4, 1.0));
  EXPECT_FALSE(QuorumMet(4, 3, 1.0));
  EXPECT_TRUE(QuorumMet(1, 1, 1.0));
  EXPECT_FALSE(QuorumMet(1, 0, 0.3));
}

// 0.28 * 25 is 7.000000000000001 in binary floating point; seven of 25
// members still reach a 0.28 quorum.
TEST(TallyQuorum, DecimalSharesAreExact) {
  EXPECT_TRUE(QuorumMet(25, 7, 0.28));
  EXPECT_FALSE(QuorumMet(25, 6, 0.28));
  EXPECT_TRUE(QuorumMet(25, 14, 0.56));
  EXPECT_FALSE(QuorumMet(25, 13, 0.56));
  EXPECT_TRUE(QuorumMet(10, 3, 0.3));
  EXPECT_FALSE(QuorumMet(10, 2, 0.3));
  EXPECT_TRUE(QuorumMet(10, 6, 0.6));
  EXPECT_FALSE(QuorumMet(10, 5, 0.6));
}

// Two thirds cannot be written exactly in the flow's JSON; two of three
// members still make a two-thirds quorum, and one does not.
TEST(TallyQuorum, TwoThirdsIsExactlyTwoThirds) {
  EXPECT_TRUE(QuorumMet(3, 2, kTwoThirds));
  EXPECT_FALSE(QuorumMet(3, 1, kTwoThirds));
  EXPECT_TRUE(QuorumMet(6, 4, kTwoThirds));
  EXPECT_FALSE(QuorumMet(6, 3, kTwoThirds));
  EXPECT_TRUE(QuorumMet(9, 6, kTwoThirds));
  EXPECT_FALSE(QuorumMet(9, 5, kTwoThirds));
}

TEST(TallyQuorum, CountsMembersNotBallots) {
  // Member 1 votes on three nominations, member 2 on none of them.
  TallyInput input{Rules(0.5, false, true, 0.5),
                   MembersUpTo(4),
                   {Nomination(1), Nomination(2), Nomination(3)},
                   Join({Ballots(1, 1, 0, 0), Ballots(2, 0, 1, 0), Ballots(3, 0, 0, 1)}),
                   {}};
  TallyResult tally = Tally(input);
  EXPECT_EQ(tally.members, 4);
  EXPECT_EQ(tally.members_voted, 1);
  EXPECT_FALSE(tally.quorum_met);
}

TEST(TallyQuorum, AbstainingIsVoting) {
  TallyInput input{
      Rules(0.5, false, true, 1.0), MembersUpTo(3), {Nomination(1)}, Ballots(1, 1, 1, 1), {}};
  TallyResult tally = Tally(input);
  EXPECT_EQ(tally.members_voted, 3);
  EXPECT_TRUE(tally.quorum_met);
}

TEST(TallyQuorum, IgnoredBallotsDoNotCount) {
  TallyInput input{Rules(0.5, false, true, 0.5),
                   {1, 2, 3, 4},
                   {Nomination(10, "unit", {2})},
                   {
                       {1, 10, Choice::kFor},
                       {2, 10, Choice::kFor},  // recused on 10
                       {7, 10, Choice::kFor},  // not a member
                       {3, 99, Choice::kFor},  // no such nomination
                       {8, 99, Choice::kFor},  // neither
                   },
                   {}};
  TallyResult tally = Tally(input);
  EXPECT_EQ(tally.members, 4);
  EXPECT_EQ(tally.members_voted, 1);
  EXPECT_FALSE(tally.quorum_met);

  // Member 2 also votes on a nomination it is not recused from: now it counts.
  input.nominations.push_back(Nomination(11));
  input.ballots.push_back({2, 11, Choice::kAgainst});
  tally = Tally(input);
  EXPECT_EQ(tally.members_voted, 2);
  EXPECT_TRUE(tally.quorum_met);
}

TEST(TallyQuorum, NoMembersNoQuorum) {
  TallyInput input{Rules(0.5, false, false, 0.3), {}, {Nomination(1)}, Ballots(1, 2, 0, 0), {}};
  TallyResult tally = Tally(input);
  EXPECT_EQ(tally.members, 0);
  EXPECT_EQ(tally.members_voted, 0);
  EXPECT_FALSE(tally.quorum_met);
  EXPECT_EQ(ResultOf(tally, 1).outcome, VoteOutcome::kNoQuorum);
  EXPECT_EQ(ResultOf(tally, 1).votes_for, 0);
}

TEST(TallyQuorum, WithoutQuorumNothingPassesOrMoves) {
  // 2 of 5 voted with a quorum of 0.5; both were unanimous, and with a quota
  // of one they would have tied.
  VoteRules rules = Rules(0.3, false, false, 0.5);
  rules.quota = {{"unit", 1}};
  TallyInput input{rules,
                   MembersUpTo(5),
                   {Nomination(2), Nomination(1), Nomination(3, "individual")},
                   Join({Ballots(1, 2, 0, 0), Ballots(2, 2, 0, 0), Ballots(3, 1, 1, 0)}),
                   {}};
  TallyResult tally = Tally(input);
  EXPECT_FALSE(tally.quorum_met);
  EXPECT_EQ(tally.members_voted, 2);
  EXPECT_THAT(tally.ties, IsEmpty());
  ASSERT_EQ(tally.results.size(), 3u);
  for (const NominationResult& result : tally.results) {
    SCOPED_TRACE(result.nomination);
    EXPECT_EQ(result.outcome, VoteOutcome::kNoQuorum);
    EXPECT_FALSE(result.passed);
    EXPECT_FALSE(result.commended);
    EXPECT_EQ(result.rank, std::nullopt);
    EXPECT_EQ(result.eligible, 5);
  }
  // The counts are still reported, in input order.
  EXPECT_EQ(tally.results[0].nomination, 2);
  EXPECT_EQ(tally.results[0].votes_for, 2);
  EXPECT_EQ(tally.results[2].kind, "individual");
  EXPECT_EQ(tally.results[2].votes_for, 1);
  EXPECT_EQ(tally.results[2].against, 1);
}

// --- Pass threshold ---------------------------------------------------------

TEST(TallyPass, StrictAndNonStrictAtTheThreshold) {
  // Two of four at a ratio of 0.5: exactly half.
  EXPECT_FALSE(Passes(4, 2, 2, 0, Rules(0.5, false, true)));
  EXPECT_TRUE(Passes(4, 2, 2, 0, Rules(0.5, false, false)));
  EXPECT_TRUE(Passes(4, 3, 1, 0, Rules(0.5, false, true)));
  EXPECT_FALSE(Passes(4, 1, 3, 0, Rules(0.5, false, false)));
  // 0.75 of four is three.
  EXPECT_FALSE(Passes(4, 3, 1, 0, Rules(0.75, false, true)));
  EXPECT_TRUE(Passes(4, 3, 1, 0, Rules(0.75, false, false)));
  // 0.6 of five is three; 0.3 of ten is three.
  EXPECT_FALSE(Passes(5, 3, 2, 0, Rules(0.6, false, true)));
  EXPECT_TRUE(Passes(5, 3, 2, 0, Rules(0.6, false, false)));
  EXPECT_FALSE(Passes(10, 3, 7, 0, Rules(0.3, false, true)));
  EXPECT_TRUE(Passes(10, 3, 7, 0, Rules(0.3, false, false)));
  EXPECT_TRUE(Passes(10, 4, 6, 0, Rules(0.3, false, true)));
  // 0.28 of 25 is seven, although 0.28 * 25 is 7.000000000000001 in doubles;
  // likewise 0.56 of 25 is fourteen.
  EXPECT_TRUE(Passes(25, 7, 18, 0, Rules(0.28, false, false)));
  EXPECT_FALSE(Passes(25, 7, 18, 0, Rules(0.28, false, true)));
  EXPECT_FALSE(Passes(25, 6, 19, 0, Rules(0.28, false, false)));
  EXPECT_TRUE(Passes(25, 14, 11, 0, Rules(0.56, true, false)));
  EXPECT_FALSE(Passes(25, 14, 11, 0, Rules(0.56, true, true)));
  EXPECT_TRUE(Passes(25, 15, 10, 0, Rules(0.56, true, true)));
}

TEST(TallyPass, TwoThirdsIsExactlyTwoThirds) {
  EXPECT_TRUE(Passes(3, 2, 1, 0, Rules(kTwoThirds, false, false)));
  EXPECT_FALSE(Passes(3, 2, 1, 0, Rules(kTwoThirds, false, true)));
  EXPECT_TRUE(Passes(6, 4, 2, 0, Rules(kTwoThirds, false, false)));
  EXPECT_FALSE(Passes(6, 4, 2, 0, Rules(kTwoThirds, false, true)));
  EXPECT_TRUE(Passes(6, 5, 1, 0, Rules(kTwoThirds, false, true)));
  EXPECT_FALSE(Passes(6, 3, 3, 0, Rules(kTwoThirds, false, false)));
  EXPECT_TRUE(Passes(3, 2, 0, 1, Rules(kTwoThirds, true, false)));
}

TEST(TallyPass, RatioOfOneNeedsEveryone) {
  EXPECT_TRUE(Passes(4, 4, 0, 0, Rules(1.0, false, false)));
  EXPECT_FALSE(Passes(4, 3, 0, 1, Rules(1.0, false, false)));
  EXPECT_FALSE(Passes(4, 3, 0, 0, Rules(1.0, false, false)));
  EXPECT_TRUE(Passes(4, 3, 0, 0, Rules(1.0, true, false)));
  // "More than all of them" can never happen.
  EXPECT_FALSE(Passes(4, 4, 0, 0, Rules(1.0, false, true)));
  EXPECT_FALSE(Passes(4, 4, 0, 0, Rules(1.0, true, true)));
}

TEST(TallyPass, OfMembersCountsSilentMembersAgainst) {
  // Four members, two vote "for", the other two say nothing on it.
  EXPECT_FALSE(Passes(4, 2, 0, 0, Rules(0.5, false, true)));
  EXPECT_TRUE(Passes(4, 2, 0, 0, Rules(0.5, true, true)));
}

TEST(TallyPass, OfCastCountsAbstentionsInTheBase) {
  // 2 for, 1 against, 1 abstain: the base is 4, not 3.
  EXPECT_FALSE(Passes(4, 2, 1, 1, Rules(0.5, true, true)));
  EXPECT_TRUE(Passes(4, 2, 1, 1, Rules(0.5, true, false)));
  EXPECT_TRUE(Passes(4, 2, 1, 0, Rules(0.5, true, true)));
  // 2 for, 2 abstain: half of the ballots cast.
  EXPECT_FALSE(Passes(4, 2, 0, 2, Rules(0.6, true, false)));
  EXPECT_TRUE(Passes(4, 2, 0, 2, Rules(0.5, true, false)));
  // The members who did not vote on it do not count when counting the cast.
  EXPECT_TRUE(Passes(7, 3, 0, 1, Rules(0.75, true, false)));
  EXPECT_FALSE(Passes(7, 3, 0, 1, Rules(0.75, true, true)));
}

TEST(TallyPass, AnEmptyBaseNeverPasses) {
  // Nobody voted on nomination 2; quorum comes from nomination 1.
  TallyInput input{Rules(0.3, true, false),
                   MembersUpTo(2),
                   {Nomination(1), Nomination(2)},
                   Ballots(1, 2, 0, 0),
                   {}};
  TallyResult tally = Tally(input);
  ASSERT_TRUE(tally.quorum_met);
  EXPECT_TRUE(ResultOf(tally, 1).passed);
  EXPECT_FALSE(ResultOf(tally, 2).passed);
  EXPECT_EQ(ResultOf(tally, 2).rank, std::nullopt);
  EXPECT_EQ(ResultOf(tally, 2).outcome, VoteOutcome::kNotCommended);

  // Every member recused: no eligible members to count.
  input.rules.pass_of_cast = false;
  input.nominations[1].recused = {1, 2};
  input.ballots.push_back({1, 2, Choice::kFor});
  tally = Tally(input);
  EXPECT_EQ(ResultOf(tally, 2).eligible, 0);
  EXPECT_EQ(ResultOf(tally, 2).votes_for, 0);
  EXPECT_FALSE(ResultOf(tally, 2).passed);
}

// --- Recusal ----------------------------------------------------------------

TEST(TallyRecusal, ShrinksTheBaseOfMembers) {
  // 2 for, 1 against of 4 members: not more than half of 4, but more than
  // half of the 3 who may vote when member 4 is recused.
  EXPECT_FALSE(Passes(4, 2, 1, 0, Rules(0.5, false, true)));
  EXPECT_TRUE(Passes(4, 2, 1, 0, Rules(0.5, false, true), {4}));
  // Two recused: 2 of the 2 eligible.
  EXPECT_TRUE(Passes(4, 2, 0, 0, Rules(1.0, false, false), {3, 4}));
}

TEST(TallyRecusal, TheRecusedMembersBallotIsIgnored) {
  TallyInput input{Rules(0.5, false, true),
                   MembersUpTo(4),
                   {Nomination(1, "unit", {4, 9})},  // 9 is not even a member
                   Join({Ballots(1, 2, 1, 0), {{4, 1, Choice::kAgainst}}}),
                   {}};
  TallyResult tally = Tally(input);
  const NominationResult& result = ResultOf(tally, 1);
  EXPECT_EQ(result.eligible, 3);
  EXPECT_EQ(result.votes_for, 2);
  EXPECT_EQ(result.against, 1);
  EXPECT_EQ(result.abstain, 0);
  EXPECT_TRUE(result.passed);
  EXPECT_EQ(tally.members_voted, 3);

  // Counting the ballots cast, the recused "against" does not count either.
  input.rules = Rules(kTwoThirds, true, false);
  EXPECT_TRUE(ResultOf(Tally(input), 1).passed);
}

TEST(TallyRecusal, OnlyOnTheNominationItNames) {
  TallyInput input{Rules(0.5, false, true),
                   MembersUpTo(3),
                   {Nomination(1, "unit", {3}), Nomination(2)},
                   Join({Ballots(1, 2, 1, 0), Ballots(2, 2, 1, 0)}),
                   {}};
  TallyResult tally = Tally(input);
  EXPECT_EQ(ResultOf(tally, 1).eligible, 2);
  EXPECT_EQ(ResultOf(tally, 1).against, 0);
  EXPECT_EQ(ResultOf(tally, 2).eligible, 3);
  EXPECT_EQ(ResultOf(tally, 2).against, 1);
  EXPECT_EQ(tally.members_voted, 3);
}

// --- Ranking ----------------------------------------------------------------

// Six members; a nomination passes with two "for"s (0.3 of 6, non-strict).
TallyInput SixMembers(std::vector<TallyNomination> nominations, std::vector<TallyBallot> ballots) {
  return TallyInput{
      Rules(0.3, false, false), MembersUpTo(6), std::move(nominations), std::move(ballots), {}};
}

TEST(TallyRanking, EqualStandingsShareACompetitionRank) {
  TallyResult tally =
      Tally(SixMembers({Nomination(1), Nomination(2), Nomination(3), Nomination(4), Nomination(5)},
                       Join({Ballots(1, 4, 0, 0), Ballots(2, 4, 0, 0), Ballots(3, 3, 1, 0),
                             Ballots(4, 3, 0, 2), Ballots(5, 1, 0, 0)})));
  ASSERT_TRUE(tally.quorum_met);
  EXPECT_EQ(ResultOf(tally, 1).rank, 1);
  EXPECT_EQ(ResultOf(tally, 2).rank, 1);
  EXPECT_EQ(ResultOf(tally, 4).rank, 3);  // 3 for, none against: better than 3 for, 1 against
  EXPECT_EQ(ResultOf(tally, 3).rank, 4);
  EXPECT_FALSE(ResultOf(tally, 5).passed);
  EXPECT_EQ(ResultOf(tally, 5).rank, std::nullopt);
  // No quota: every passed nomination is commended.
  for (int64_t id : {1, 2, 3, 4}) {
    EXPECT_EQ(ResultOf(tally, id).outcome, VoteOutcome::kCommended) << id;
    EXPECT_TRUE(ResultOf(tally, id).commended) << id;
  }
  EXPECT_EQ(ResultOf(tally, 5).outcome, VoteOutcome::kNotCommended);
  EXPECT_FALSE(ResultOf(tally, 5).commended);
  EXPECT_THAT(tally.ties, IsEmpty());
}

TEST(TallyRanking, MoreForBeatsFewerAgainst) {
  TallyResult tally = Tally(
      SixMembers({Nomination(1), Nomination(2)}, Join({Ballots(1, 3, 3, 0), Ballots(2, 2, 0, 0)})));
  EXPECT_EQ(ResultOf(tally, 1).rank, 1);
  EXPECT_EQ(ResultOf(tally, 2).rank, 2);
}

TEST(TallyRanking, AbstentionsDoNotBreakTies) {
  TallyResult tally = Tally(
      SixMembers({Nomination(1), Nomination(2)}, Join({Ballots(1, 3, 1, 2), Ballots(2, 3, 1, 0)})));
  EXPECT_EQ(ResultOf(tally, 1).rank, 1);
  EXPECT_EQ(ResultOf(tally, 2).rank, 1);
}

TEST(TallyRanking, EachKindIsRankedOnItsOwn) {
  TallyResult tally = Tally(SixMembers(
      {Nomination(1, "unit"), Nomination(2, "individual"), Nomination(3, "unit"),
       Nomination(4, "individual")},
      Join({Ballots(1, 5, 0, 0), Ballots(2, 2, 0, 0), Ballots(3, 4, 0, 0), Ballots(4, 2, 0, 0)})));
  EXPECT_EQ(ResultOf(tally, 1).rank, 1);
  EXPECT_EQ(ResultOf(tally, 3).rank, 2);
  EXPECT_EQ(ResultOf(tally, 2).rank, 1);
  EXPECT_EQ(ResultOf(tally, 4).rank, 1);
}

TEST(TallyRanking, ResultsKeepTheInputOrder) {
  TallyResult tally =
      Tally(SixMembers({Nomination(30, "individual"), Nomination(10), Nomination(20)},
                       Join({Ballots(10, 5, 0, 0), Ballots(20, 1, 0, 0), Ballots(30, 3, 1, 1)})));
  ASSERT_EQ(tally.results.size(), 3u);
  EXPECT_EQ(tally.results[0].nomination, 30);
  EXPECT_EQ(tally.results[0].kind, "individual");
  EXPECT_EQ(tally.results[0].votes_for, 3);
  EXPECT_EQ(tally.results[0].against, 1);
  EXPECT_EQ(tally.results[0].abstain, 1);
  EXPECT_EQ(tally.results[0].eligible, 6);
  EXPECT_EQ(tally.results[1].nomination, 10);
  EXPECT_EQ(tally.results[1].kind, "unit");
  EXPECT_EQ(tally.results[2].nomination, 20);
  EXPECT_FALSE(tally.results[2].passed);
}

// --- Quotas and ties --------------------------------------------------------

// Four passed units: 40 (5 for) above 10 and 30 (4 for each) above 20 (3 for);
// plus 50, which fails.
TallyInput FourUnits(std::map<std::string, int64_t, std::less<>> quota,
                     std::map<std::string, int64_t, std::less<>> taken = {}) {
  TallyInput input =
      SixMembers({Nomination(30), Nomination(20), Nomination(40), Nomination(10), Nomination(50)},
                 Join({Ballots(40, 5, 0, 0), Ballots(30, 4, 1, 0), Ballots(10, 4, 1, 0),
                       Ballots(20, 3, 0, 0), Ballots(50, 1, 0, 0)}));
  input.rules.quota = std::move(quota);
  input.places_taken = std::move(taken);
  return input;
}

std::vector<VoteOutcome> Outcomes(const TallyResult& tally, std::vector<int64_t> ids) {
  std::vector<VoteOutcome> outcomes;
  for (int64_t id : ids) outcomes.push_back(ResultOf(tally, id).outcome);
  return outcomes;
}

using tally_testing::kIn;
using tally_testing::kOut;
using tally_testing::kTie;

TEST(TallyQuota, AGroupAcrossTheLineIsATie) {
  TallyResult tally = Tally(FourUnits({{"unit", 2}}));
  EXPECT_THAT(Outcomes(tally, {40, 10, 30, 20, 50}), ElementsAre(kIn, kTie, kTie, kOut, kOut));
  EXPECT_THAT(tally.ties, ElementsAre(10, 30));
  // Below the tie: still passed and ranked, but not commended.
  EXPECT_TRUE(ResultOf(tally, 20).passed);
  EXPECT_EQ(ResultOf(tally, 20).rank, 4);
  EXPECT_FALSE(ResultOf(tally, 20).commended);
  EXPECT_FALSE(ResultOf(tally, 10).commended);
  EXPECT_EQ(ResultOf(tally, 10).rank, 2);
  EXPECT_EQ(ResultOf(tally, 30).rank, 2);
  EXPECT_TRUE(ResultOf(tally, 40).commended);
}

TEST(TallyQuota, AGroupThatFitsExactlyIsCommended) {
  TallyResult tally = Tally(FourUnits({{"unit", 3}}));
  EXPECT_THAT(Outcomes(tally, {40, 10, 30, 20, 50}), ElementsAre(kIn, kIn, kIn, kOut, kOut));
  EXPECT_THAT(tally.ties, IsEmpty());

  tally = Tally(FourUnits({{"unit", 4}}));
  EXPECT_THAT(Outcomes(tally, {40, 10, 30, 20, 50}), ElementsAre(kIn, kIn, kIn, kIn, kOut));
  EXPECT_THAT(tally.ties, IsEmpty());

  tally = Tally(FourUnits({{"unit", 1}}));
  EXPECT_THAT(Outcomes(tally, {40, 10, 30, 20, 50}), ElementsAre(kIn, kOut, kOut, kOut, kOut));
  EXPECT_THAT(tally.ties, IsEmpty());
}

TEST(TallyQuota, ATieForTheFirstPlace) {
  TallyInput input =
      SixMembers({Nomination(7), Nomination(5), Nomination(6)},
                 Join({Ballots(7, 4, 0, 0), Ballots(5, 4, 0, 0), Ballots(6, 2, 0, 0)}));
  input.rules.quota = {{"unit", 1}};
  TallyResult tally = Tally(input);
  EXPECT_THAT(Outcomes(tally, {7, 5, 6}), ElementsAre(kTie, kTie, kOut));
  EXPECT_THAT(tally.ties, ElementsAre(5, 7));
}

TEST(TallyQuota, PlacesTakenEarlierReduceThePlaces) {
  // Three places, one taken: two left, as with a quota of two.
  TallyResult tally = Tally(FourUnits({{"unit", 3}}, {{"unit", 1}}));
  EXPECT_THAT(Outcomes(tally, {40, 10, 30, 20, 50}), ElementsAre(kIn, kTie, kTie, kOut, kOut));
  EXPECT_THAT(tally.ties, ElementsAre(10, 30));

  // Two taken: one left, and the pair below it is not a tie.
  tally = Tally(FourUnits({{"unit", 3}}, {{"unit", 2}}));
  EXPECT_THAT(Outcomes(tally, {40, 10, 30, 20, 50}), ElementsAre(kIn, kOut, kOut, kOut, kOut));
  EXPECT_THAT(tally.ties, IsEmpty());

  // Places taken of another kind change nothing.
  tally = Tally(FourUnits({{"unit", 3}}, {{"individual", 3}}));
  EXPECT_THAT(Outcomes(tally, {40, 10, 30, 20, 50}), ElementsAre(kIn, kIn, kIn, kOut, kOut));
}

TEST(TallyQuota, NoPlacesLeftNoTies) {
  for (int64_t taken : {3, 4, 100}) {
    SCOPED_TRACE(taken);
    TallyResult tally = Tally(FourUnits({{"unit", 3}}, {{"unit", taken}}));
    EXPECT_THAT(Outcomes(tally, {40, 10, 30, 20, 50}), ElementsAre(kOut, kOut, kOut, kOut, kOut));
    EXPECT_THAT(tally.ties, IsEmpty());
    EXPECT_TRUE(ResultOf(tally, 40).passed);
    EXPECT_EQ(ResultOf(tally, 40).rank, 1);
    EXPECT_EQ(ResultOf(tally, 20).rank, 4);
  }
  TallyResult zero = Tally(FourUnits({{"unit", 0}}));
  EXPECT_THAT(Outcomes(zero, {40, 10, 30, 20, 50}), ElementsAre(kOut, kOut, kOut, kOut, kOut));
  EXPECT_THAT(zero.ties, IsEmpty());
}

TEST(TallyQuota, AKindWithoutAQuotaIsUncapped) {
  TallyResult tally = Tally(FourUnits({{"individual", 1}}));
  EXPECT_THAT(Outcomes(tally, {40, 10, 30, 20, 50}), ElementsAre(kIn, kIn, kIn, kIn, kOut));
  EXPECT_THAT(tally.ties, IsEmpty());

  // Even with places "taken" of it.
  tally = Tally(FourUnits({}, {{"unit", 50}}));
  EXPECT_THAT(Outcomes(tally, {40, 10, 30, 20, 50}), ElementsAre(kIn, kIn, kIn, kIn, kOut));
}

TEST(TallyQuota, TiesOfBothKindsAreListedInOrder) {
  TallyInput input = SixMembers(
      {Nomination(30, "unit"), Nomination(25, "individual"), Nomination(10, "unit"),
       Nomination(20, "individual"), Nomination(15, "individual"), Nomination(5, "unit")},
      Join({Ballots(30, 3, 0, 0), Ballots(10, 3, 0, 0), Ballots(5, 4, 0, 0), Ballots(25, 2, 1, 0),
            Ballots(20, 2, 1, 0), Ballots(15, 2, 1, 0)}));
  input.rules.quota = {{"unit", 2}, {"individual", 2}};
  TallyResult tally = Tally(input);
  EXPECT_THAT(Outcomes(tally, {5, 10, 30}), ElementsAre(kIn, kTie, kTie));
  EXPECT_THAT(Outcomes(tally, {15, 20, 25}), ElementsAre(kTie, kTie, kTie));
  EXPECT_THAT(tally.ties, ElementsAre(10, 15, 20, 25, 30));
}

TEST(TallyQuota, FailedNominationsTakeNoPlace) {
  // 50 would be first by "for"s alone, but it fails a strict two-thirds.
  TallyInput input = SixMembers({Nomination(50), Nomination(60)},
                                Join({Ballots(50, 4, 2, 0), Ballots(60, 5, 0, 0)}));
  input.rules = Rules(kTwoThirds, false, true);
  input.rules.quota = {{"unit", 1}};
  input.nominations.push_back(Nomination(70));
  input.ballots.push_back({1, 70, Choice::kFor});
  TallyResult tally = Tally(input);
  EXPECT_FALSE(ResultOf(tally, 50).passed);
  EXPECT_EQ(ResultOf(tally, 50).rank, std::nullopt);
  EXPECT_EQ(ResultOf(tally, 60).rank, 1);
  EXPECT_THAT(Outcomes(tally, {50, 60, 70}), ElementsAre(kOut, kIn, kOut));
}

}  // namespace
}  // namespace jingsai::engine
