// Closing a vote session: the tally by the flow's rules (quorum, threshold,
// recusal, quota and ties), where each nomination goes, and the record.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "tests/api/commendation_fixture.h"

namespace jingsai::testing {
namespace {

using VoteOutcome = CommendationTest;
using VoteRules = CommendationTest;
using VoteRecord = CommendationTest;

// The fields of a result row that the contract fixes.
boost::json::value Row(int64_t nomination, const char* kind, int64_t votes_for, int64_t against,
                       int64_t abstain, bool passed, bool commended, boost::json::value rank) {
  return {{"nomination", nomination}, {"kind", kind},       {"for", votes_for},
          {"against", against},       {"abstain", abstain}, {"passed", passed},
          {"commended", commended},   {"rank", rank}};
}

// The contract's fields of `nomination`'s result row.
boost::json::value ContractRow(const boost::json::value& session, int64_t nomination) {
  boost::json::object row = ResultOf(session, nomination);
  boost::json::object picked;
  for (const char* key :
       {"nomination", "kind", "for", "against", "abstain", "passed", "commended", "rank"}) {
    if (const boost::json::value* value = row.if_contains(key)) picked[key] = *value;
  }
  return picked;
}

TEST_F(VoteOutcome, CloseTalliesAndMovesEveryNomination) {
  const int64_t jiajiang = UnitInVote("jiajiang-ceramics");
  const int64_t shizhong = UnitInVote("shizhong-power");
  const int64_t driver = IndividualInVote("city-transit", {{"name", "王芳"}});
  const int64_t session = OpenVoteOk();
  CastOk("voter1", session, {{jiajiang, "for"}, {shizhong, "against"}, {driver, "for"}});
  CastOk("voter2", session, {{jiajiang, "for"}, {shizhong, "for"}, {driver, "abstain"}});
  CastOk("voter3", session, {{jiajiang, "for"}, {shizhong, "against"}, {driver, "for"}});

  HttpResult closed = Close(session);
  ASSERT_EQ(closed.status, 200) << closed.body;
  const boost::json::value& result = closed.json;
  EXPECT_EQ(Str(result, "status"), "closed");
  EXPECT_EQ(Str(result, "closed_by"), "city-reviewer");
  EXPECT_TRUE(result.at("quorum_met").as_bool());
  EXPECT_EQ(Int(result, "members_voted"), 3);
  EXPECT_TRUE(Ties(result).empty());
  ASSERT_EQ(result.at("results").as_array().size(), 3u);
  EXPECT_EQ(ContractRow(result, jiajiang), Row(jiajiang, "unit", 3, 0, 0, true, true, 1));
  EXPECT_EQ(ContractRow(result, shizhong), Row(shizhong, "unit", 1, 2, 0, false, false, nullptr));
  EXPECT_EQ(ContractRow(result, driver), Row(driver, "individual", 2, 0, 1, true, true, 1));

  // GET shows the same results once closed, to the members too.
  HttpResult seen = GetVote(session, "voter2");
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json.at("results"), result.at("results"));
  EXPECT_EQ(seen.json.at("quorum_met"), result.at("quorum_met"));
  EXPECT_EQ(seen.json.at("ties"), result.at("ties"));

  const boost::json::value commended = Nomination(jiajiang);
  EXPECT_EQ(Str(commended, "stage"), "commended");
  EXPECT_EQ(Str(commended, "status"), "commended");
  EXPECT_EQ(commended.at("data").at("vote"),
            (boost::json::value{
                {"session", session}, {"for", 3}, {"against", 0}, {"abstain", 0}, {"rank", 1}}));
  const boost::json::value failed = Nomination(shizhong);
  EXPECT_EQ(Str(failed, "stage"), "not_commended");
  EXPECT_EQ(Str(failed, "status"), "not_commended");
  EXPECT_EQ(Str(Nomination(driver), "stage"), "commended");

  HttpResult in_vote =
      server().Get("/api/v1/nominations?campaign=leshan-2014&stage=vote", Token("city-reviewer"));
  EXPECT_TRUE(in_vote.json.at("items").as_array().empty()) << in_vote.body;
}

TEST_F(VoteOutcome, ClosedSessionTakesNoMoreBallotsNorASecondClose) {
  const int64_t unit = UnitInVote("jiajiang-ceramics");
  const int64_t session = OpenVoteOk();
  CastOk("voter1", session, {{unit, "for"}});
  CastOk("voter2", session, {{unit, "for"}});
  ASSERT_EQ(Close(session).status, 200);

  HttpResult late = Cast("voter3", session, {{unit, "against"}});
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(late.ErrorCode(), "invalid_action");
  HttpResult changed = Cast("voter1", session, {{unit, "against"}});
  EXPECT_EQ(changed.status, 409) << changed.body;
  EXPECT_EQ(changed.ErrorCode(), "invalid_action");

  HttpResult again = Close(session);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.ErrorCode(), "invalid_action");
  HttpResult by_admin = Close(session, "admin");
  EXPECT_EQ(by_admin.status, 409) << by_admin.body;

  HttpResult seen = GetVote(session);
  EXPECT_EQ(ContractRow(seen.json, unit), Row(unit, "unit", 2, 0, 0, true, true, 1));
  EXPECT_EQ(StageOf(unit), "commended");
}

TEST_F(VoteOutcome, OnlyCityReviewersAndAdminsClose) {
  const int64_t unit = UnitInVote("jiajiang-ceramics");
  const int64_t session = OpenVoteOk();
  CastOk("voter1", session, {{unit, "for"}});
  for (const char* user : {"voter1", "jiajiang-reviewer"}) {
    HttpResult refused = Close(session, user);
    EXPECT_EQ(refused.status, 403) << user << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "forbidden");
  }
  HttpResult anonymous = server().Post(VotePath(session, "/close"), boost::json::object{});
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  HttpResult unknown = Close(987654);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(unknown.ErrorCode(), "not_found");
  EXPECT_EQ(Str(GetVote(session).json, "status"), "open");
  EXPECT_EQ(StageOf(unit), "vote");

  HttpResult by_admin = Close(session, "admin");
  ASSERT_EQ(by_admin.status, 200) << by_admin.body;
  EXPECT_EQ(Str(by_admin.json, "closed_by"), "admin");
}

TEST_F(VoteOutcome, TheLaterBallotCounts) {
  const int64_t unit = UnitInVote("jiajiang-ceramics");
  const int64_t session = OpenVoteOk();
  CastOk("voter1", session, {{unit, "for"}});
  CastOk("voter2", session, {{unit, "for"}});
  CastOk("voter1", session, {{unit, "against"}});
  CastOk("voter3", session, {{unit, "abstain"}});
  const boost::json::value closed = CloseOk(session);
  EXPECT_EQ(ContractRow(closed, unit), Row(unit, "unit", 1, 1, 1, false, false, nullptr));
  EXPECT_EQ(StageOf(unit), "not_commended");
}

TEST_F(VoteOutcome, WithoutQuorumNothingMoves) {
  const int64_t first = UnitInVote("jiajiang-ceramics");
  const int64_t second = UnitInVote("shizhong-power");
  const int64_t session = OpenVoteOk();
  CastOk("voter1", session, {{first, "for"}, {second, "for"}});

  const boost::json::value closed = CloseOk(session);
  EXPECT_FALSE(closed.at("quorum_met").as_bool());
  EXPECT_EQ(Int(closed, "members_voted"), 1);
  EXPECT_TRUE(Ties(closed).empty());
  EXPECT_EQ(ContractRow(closed, first), Row(first, "unit", 1, 0, 0, false, false, nullptr));
  EXPECT_EQ(ContractRow(closed, second), Row(second, "unit", 1, 0, 0, false, false, nullptr));
  for (int64_t id : {first, second}) {
    const boost::json::value item = Nomination(id);
    EXPECT_EQ(Str(item, "stage"), "vote");
    EXPECT_EQ(Str(item, "status"), "in_vote");
    EXPECT_FALSE(item.at("data").as_object().contains("vote"));
    EXPECT_EQ(HistoryActions(id).back(), "vote_no_quorum");
  }

  // Another session takes them up.
  HttpResult next = OpenVote("city-reviewer", {"voter1", "voter2", "voter3"}, "第二次表决");
  ASSERT_EQ(next.status, 201) << next.body;
  ASSERT_EQ(next.json.at("nominations").as_array().size(), 2u);
  const int64_t retry = Int(next.json, "id");
  CastOk("voter2", retry, {{first, "for"}, {second, "against"}});
  CastOk("voter3", retry, {{first, "for"}, {second, "against"}});
  const boost::json::value decided = CloseOk(retry);
  EXPECT_TRUE(decided.at("quorum_met").as_bool());
  EXPECT_EQ(StageOf(first), "commended");
  EXPECT_EQ(StageOf(second), "not_commended");
}

TEST_F(VoteOutcome, RecusedMemberIsNotInTheDenominator) {
  CreateUserOk("jiajiang-voter", {{{"role", "voter"}, {"org", "leshan"}},
                                  {{"role", "submitter"}, {"org", "jiajiang-ceramics"}}});
  const int64_t jiajiang = UnitInVote("jiajiang-ceramics");
  const int64_t shizhong = UnitInVote("shizhong-power");
  const int64_t half = IndividualInVote("jiajiang-ceramics", {{"name", "李秀英"}});
  const int64_t session = OpenVoteOk({"voter1", "voter2", "jiajiang-voter"});
  CastOk("voter1", session, {{jiajiang, "for"}, {shizhong, "for"}, {half, "for"}});
  CastOk("voter2", session, {{jiajiang, "for"}, {shizhong, "for"}, {half, "against"}});
  CastOk("jiajiang-voter", session, {{shizhong, "against"}});

  const boost::json::value closed = CloseOk(session);
  ASSERT_TRUE(closed.at("quorum_met").as_bool());
  // 2 for of 2 eligible members: more than half.
  EXPECT_EQ(ContractRow(closed, jiajiang), Row(jiajiang, "unit", 2, 0, 0, true, true, 1));
  EXPECT_EQ(Int(ResultOf(closed, jiajiang), "eligible"), 2);
  // 2 for of 3 members: more than half, the recused member's ballot elsewhere counts.
  EXPECT_EQ(ContractRow(closed, shizhong), Row(shizhong, "unit", 2, 1, 0, true, true, 2));
  EXPECT_EQ(Int(ResultOf(closed, shizhong), "eligible"), 3);
  // 1 for of 2 eligible: exactly half, not more.
  EXPECT_EQ(ContractRow(closed, half), Row(half, "individual", 1, 1, 0, false, false, nullptr));
  EXPECT_EQ(Int(ResultOf(closed, half), "eligible"), 2);
  EXPECT_EQ(StageOf(jiajiang), "commended");
  EXPECT_EQ(StageOf(half), "not_commended");
}

TEST_F(VoteOutcome, TiesAcrossTheQuotaLineWaitForARunOff) {
  PublishVoteRules(boost::json::parse(R"({"quorum": 0.5,
      "pass": {"ratio": 0.5, "of": "members", "strict": true},
      "quota": {"unit": 2, "individual": 50}})")
                       .as_object());
  const int64_t first = UnitInVote("jiajiang-ceramics");
  const int64_t tied_a = UnitInVote("shizhong-power");
  const int64_t tied_b = UnitInVote("city-transit");
  ASSERT_EQ(Int(Nomination(first).at("flow"), "version"), 2);
  const int64_t session = OpenVoteOk();
  CastOk("voter1", session, {{first, "for"}, {tied_a, "for"}, {tied_b, "for"}});
  CastOk("voter2", session, {{first, "for"}, {tied_a, "for"}, {tied_b, "for"}});
  CastOk("voter3", session, {{first, "for"}, {tied_a, "against"}, {tied_b, "against"}});

  const boost::json::value closed = CloseOk(session);
  EXPECT_EQ(closed.at("rules").at("quota"), (boost::json::value{{"unit", 2}, {"individual", 50}}));
  EXPECT_EQ(Ties(closed), (std::vector<int64_t>{tied_a, tied_b}));
  EXPECT_EQ(ContractRow(closed, first), Row(first, "unit", 3, 0, 0, true, true, 1));
  EXPECT_EQ(ContractRow(closed, tied_a), Row(tied_a, "unit", 2, 1, 0, true, false, 2));
  EXPECT_EQ(ContractRow(closed, tied_b), Row(tied_b, "unit", 2, 1, 0, true, false, 2));
  EXPECT_EQ(StageOf(first), "commended");
  for (int64_t id : {tied_a, tied_b}) {
    EXPECT_EQ(StageOf(id), "vote");
    EXPECT_EQ(HistoryActions(id).back(), "vote_tie");
  }

  // The run-off covers only the tied nominations, with one place left.
  HttpResult runoff = OpenVote("city-reviewer", {"voter1", "voter2", "voter3"}, "同票复决");
  ASSERT_EQ(runoff.status, 201) << runoff.body;
  const int64_t second_session = Int(runoff.json, "id");
  std::vector<int64_t> covered;
  for (const boost::json::value& entry : runoff.json.at("nominations").as_array()) {
    covered.push_back(Int(entry, "id"));
  }
  EXPECT_EQ(covered, (std::vector<int64_t>{tied_a, tied_b}));
  CastOk("voter1", second_session, {{tied_a, "for"}, {tied_b, "for"}});
  CastOk("voter2", second_session, {{tied_a, "for"}, {tied_b, "for"}});
  CastOk("voter3", second_session, {{tied_a, "for"}, {tied_b, "against"}});
  const boost::json::value decided = CloseOk(second_session);
  EXPECT_TRUE(Ties(decided).empty());
  EXPECT_EQ(ContractRow(decided, tied_a), Row(tied_a, "unit", 3, 0, 0, true, true, 1));
  EXPECT_EQ(ContractRow(decided, tied_b), Row(tied_b, "unit", 2, 1, 0, true, false, 2));
  EXPECT_EQ(StageOf(tied_a), "commended");
  EXPECT_EQ(StageOf(tied_b), "not_commended");
}

TEST_F(VoteRules, ShareOfBallotsCastReachedNotExceeded) {
  PublishVoteRules(boost::json::parse(R"({"quorum": 0.6,
      "pass": {"ratio": 0.5, "of": "cast", "strict": false},
      "quota": {"unit": 30, "individual": 50}})")
                       .as_object());
  const int64_t half_of_cast = UnitInVote("jiajiang-ceramics");
  const int64_t below = UnitInVote("shizhong-power");
  const int64_t session = OpenVoteOk();
  EXPECT_EQ(GetVote(session).json.at("rules"),
            boost::json::parse(R"({"quorum":0.6,"pass":{"ratio":0.5,"of":"cast","strict":false},)"
                               R"("quota":{"individual":50,"unit":30}})"));
  CastOk("voter1", session, {{half_of_cast, "for"}, {below, "for"}});
  CastOk("voter2", session, {{half_of_cast, "against"}, {below, "against"}});
  CastOk("voter3", session, {{below, "abstain"}});

  const boost::json::value closed = CloseOk(session);
  ASSERT_TRUE(closed.at("quorum_met").as_bool());
  // 1 for of 2 cast reaches one half; abstentions are cast: 1 of 3 does not.
  EXPECT_EQ(ContractRow(closed, half_of_cast), Row(half_of_cast, "unit", 1, 1, 0, true, true, 1));
  EXPECT_EQ(ContractRow(closed, below), Row(below, "unit", 1, 1, 1, false, false, nullptr));
  EXPECT_EQ(StageOf(half_of_cast), "commended");
  EXPECT_EQ(StageOf(below), "not_commended");
}

TEST_F(VoteRules, DefaultRulesNeedMoreThanHalfOfMembers) {
  const int64_t unit = UnitInVote("jiajiang-ceramics");
  const int64_t session = OpenVoteOk();
  CastOk("voter1", session, {{unit, "for"}});
  CastOk("voter2", session, {{unit, "against"}});
  const boost::json::value closed = CloseOk(session);
  ASSERT_TRUE(closed.at("quorum_met").as_bool());
  EXPECT_EQ(ContractRow(closed, unit), Row(unit, "unit", 1, 1, 0, false, false, nullptr));
}

TEST_F(VoteRules, QuorumIsAShareOfMembers) {
  PublishVoteRules(boost::json::parse(R"({"quorum": 1,
      "pass": {"ratio": 0.5, "of": "members", "strict": true},
      "quota": {"unit": 30, "individual": 50}})")
                       .as_object());
  const int64_t unit = UnitInVote("jiajiang-ceramics");
  const int64_t session = OpenVoteOk();
  CastOk("voter1", session, {{unit, "for"}});
  CastOk("voter2", session, {{unit, "for"}});
  const boost::json::value closed = CloseOk(session);
  EXPECT_FALSE(closed.at("quorum_met").as_bool());
  EXPECT_EQ(ContractRow(closed, unit), Row(unit, "unit", 2, 0, 0, false, false, nullptr));
  EXPECT_EQ(StageOf(unit), "vote");
}

TEST_F(VoteRules, NominationsOnDifferentRulesAreNotMixed) {
  const int64_t old_rules = UnitInVote("jiajiang-ceramics");
  PublishVoteRules(boost::json::parse(R"({"quorum": 0.5,
      "pass": {"ratio": 0.5, "of": "cast", "strict": true},
      "quota": {"unit": 30, "individual": 50}})")
                       .as_object());
  const int64_t new_rules = UnitInVote("shizhong-power");
  EXPECT_EQ(Int(Nomination(old_rules).at("flow"), "version"), 1);
  EXPECT_EQ(Int(Nomination(new_rules).at("flow"), "version"), 2);
  HttpResult mixed = OpenVote("city-reviewer", {"voter1", "voter2", "voter3"});
  EXPECT_EQ(mixed.status, 409) << mixed.body;
  EXPECT_EQ(mixed.ErrorCode(), "conflict");
}

TEST_F(VoteRecord, HistoryRecordsBallotsWithoutChoicesAndTheClose) {
  const int64_t passed = UnitInVote("jiajiang-ceramics");
  const int64_t failed = UnitInVote("shizhong-power");
  const int64_t session = OpenVoteOk();
  CastOk("voter1", session, {{passed, "for"}, {failed, "against"}});
  CastOk("voter2", session, {{passed, "for"}, {failed, "for"}});
  CastOk("voter2", session, {{failed, "against"}});
  CloseOk(session);

  const boost::json::array rows = NominationHistory(failed);
  std::vector<std::string> actions;
  for (const boost::json::value& row : rows) actions.push_back(Str(row, "action"));
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "submit", "approve", "vote_open", "ballot",
                                               "ballot", "ballot", "fail"}));
  const std::vector<std::string> ballot_actors = {"voter1", "voter2", "voter2"};
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(Str(rows[i], "hash").size(), 64u);
    if (i > 0) {
      EXPECT_EQ(Str(rows[i], "prev_hash"), Str(rows[i - 1], "hash"));
    }
    if (actions[i] != "ballot") continue;
    EXPECT_EQ(Str(rows[i], "actor"), ballot_actors[i - 4]);
    EXPECT_EQ(Str(rows[i], "from"), "vote");
    EXPECT_EQ(Str(rows[i], "to"), "vote");
    const std::string comment = Str(rows[i], "comment");
    for (const char* revealing : {"for", "against", "abstain", "赞成", "反对", "弃权"}) {
      EXPECT_EQ(comment.find(revealing), std::string::npos) << comment;
    }
  }
  // The two ballots of voter2 differ only in the choice; their records do not show it.
  EXPECT_EQ(Str(rows[5], "comment").size(), Str(rows[6], "comment").size());
  EXPECT_EQ(Str(rows.back(), "from"), "vote");
  EXPECT_EQ(Str(rows.back(), "to"), "not_commended");
  EXPECT_EQ(Str(rows.back(), "actor"), "city-reviewer");
  EXPECT_NE(Str(rows.back(), "comment").find("反对 2"), std::string::npos);

  const boost::json::array passed_rows = NominationHistory(passed);
  EXPECT_EQ(Str(passed_rows.back(), "action"), "pass");
  EXPECT_EQ(Str(passed_rows.back(), "to"), "commended");
  for (size_t i = 1; i < passed_rows.size(); ++i) {
    EXPECT_EQ(Str(passed_rows[i], "prev_hash"), Str(passed_rows[i - 1], "hash"));
  }
}

}  // namespace
}  // namespace jingsai::testing
