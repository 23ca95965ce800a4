// Vote sessions while open: who opens them and with which members, who may
// cast ballots on what, and what the session shows before the close.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "tests/api/commendation_fixture.h"

namespace jingsai::testing {
namespace {

using VoteSessionOpen = CommendationTest;
using VoteBallots = CommendationTest;

// The ids of the session's nominations, in order.
std::vector<int64_t> SessionNominations(const boost::json::value& session) {
  std::vector<int64_t> ids;
  for (const boost::json::value& entry : session.at("nominations").as_array()) {
    ids.push_back(Int(entry, "id"));
  }
  return ids;
}

// username -> voted, from the session's member list.
std::vector<std::pair<std::string, bool>> Voted(const boost::json::value& session) {
  std::vector<std::pair<std::string, bool>> voted;
  for (const boost::json::value& member : session.at("members").as_array()) {
    voted.emplace_back(Str(member, "username"), member.at("voted").as_bool());
  }
  return voted;
}

TEST_F(VoteSessionOpen, CityReviewerOpensOverEveryNominationInVote) {
  const int64_t first = UnitInVote("jiajiang-ceramics");
  const int64_t second = IndividualInVote("shizhong-power", {{"name", "王立新"}});
  const int64_t screening = NominateOk(
      "shizhong-reviewer", UnitNomination("shizhong-power", {ApprovedReportOf("shizhong-power")}));
  ActOnNominationOk("shizhong-reviewer", screening, "submit");

  HttpResult opened = OpenVote("city-reviewer", {"voter1", "voter2", "voter3"}, "第一轮表决");
  ASSERT_EQ(opened.status, 201) << opened.body;
  const boost::json::value& session = opened.json;
  const int64_t id = Int(session, "id");
  EXPECT_EQ(opened.Header("location"), VotePath(id));
  EXPECT_EQ(Str(session, "campaign"), "leshan-2014");
  EXPECT_EQ(Str(session, "title"), "第一轮表决");
  EXPECT_EQ(Str(session, "status"), "open");
  EXPECT_EQ(Str(session, "opened_by"), "city-reviewer");
  EXPECT_TRUE(session.at("closed_at").is_null());
  EXPECT_EQ(session.at("rules"),
            boost::json::parse(R"({"quorum":0.5,"pass":{"ratio":0.5,"of":"members","strict":true},)"
                               R"("quota":{"individual":50,"unit":30}})"));
  EXPECT_EQ(SessionNominations(session), (std::vector<int64_t>{first, second}));
  EXPECT_EQ(Voted(session), (std::vector<std::pair<std::string, bool>>{
                                {"voter1", false}, {"voter2", false}, {"voter3", false}}));
  EXPECT_FALSE(session.as_object().contains("results"));
  EXPECT_FALSE(session.as_object().contains("quorum_met"));
  EXPECT_FALSE(session.as_object().contains("ties"));

  EXPECT_EQ(HistoryActions(first).back(), "vote_open");
  EXPECT_EQ(HistoryActions(second).back(), "vote_open");
  EXPECT_EQ(HistoryActions(screening).back(), "submit");

  // Everything in `vote` is now in an open session: nothing left to open.
  HttpResult again = OpenVote("city-reviewer", {"voter1"});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.ErrorCode(), "invalid_action");
}

TEST_F(VoteSessionOpen, AdminMayOpenOthersMayNot) {
  UnitInVote("jiajiang-ceramics");
  for (const char* user : {"jiajiang-reviewer", "voter1", "jiajiang-submitter"}) {
    HttpResult refused = OpenVote(user, {"voter1", "voter2"});
    EXPECT_EQ(refused.status, 403) << user << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "forbidden");
  }
  HttpResult anonymous = server().Post(
      "/api/v1/votes", {{"campaign", kCampaign}, {"title", "表决"}, {"members", {"voter1"}}});
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(anonymous.ErrorCode(), "unauthenticated");

  HttpResult by_admin = OpenVote("admin", {"voter1", "voter2"});
  ASSERT_EQ(by_admin.status, 201) << by_admin.body;
  EXPECT_EQ(Str(by_admin.json, "opened_by"), "admin");
}

TEST_F(VoteSessionOpen, NoNominationInVoteIs409) {
  HttpResult empty = OpenVote("city-reviewer", {"voter1", "voter2", "voter3"});
  EXPECT_EQ(empty.status, 409) << empty.body;
  EXPECT_EQ(empty.ErrorCode(), "invalid_action");

  const int64_t screening =
      NominateOk("jiajiang-reviewer",
                 UnitNomination("jiajiang-ceramics", {ApprovedReportOf("jiajiang-ceramics")}));
  ActOnNominationOk("jiajiang-reviewer", screening, "submit");
  HttpResult still_empty = OpenVote("city-reviewer", {"voter1", "voter2", "voter3"});
  EXPECT_EQ(still_empty.status, 409) << still_empty.body;
  EXPECT_EQ(still_empty.ErrorCode(), "invalid_action");
}

TEST_F(VoteSessionOpen, MembersMustBeCityVoters) {
  UnitInVote("jiajiang-ceramics");
  CreateUserOk("county-voter", {{{"role", "voter"}, {"org", "jiajiang"}}});
  HttpResult refused =
      OpenVote("city-reviewer", {"voter1", "city-reviewer", "nobody", "county-voter", "voter1"});
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "bad_request");
  // The duplicate is caught while reading the body, before users are looked up.
  EXPECT_EQ(DetailPaths(refused), std::vector<std::string>{"members[4]"});

  HttpResult unknown =
      OpenVote("city-reviewer", {"voter1", "city-reviewer", "nobody", "county-voter"});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.ErrorCode(), "bad_request");
  EXPECT_EQ(DetailPaths(unknown),
            (std::vector<std::string>{"members[1]", "members[2]", "members[3]"}));

  HttpResult none = OpenVote("city-reviewer", {});
  EXPECT_EQ(none.status, 400) << none.body;
  EXPECT_EQ(DetailPaths(none), std::vector<std::string>{"members"});

  HttpResult listed = server().Get("/api/v1/votes", Token("city-reviewer"));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_TRUE(listed.json.at("items").as_array().empty()) << listed.body;
  // Valid members, in any order, open the session.
  EXPECT_GT(OpenVoteOk({"voter3", "voter1"}), 0);
}

TEST_F(VoteBallots, MembersCastAndSeeOnlyTheirOwn) {
  const int64_t unit = UnitInVote("jiajiang-ceramics");
  const int64_t person = IndividualInVote("shizhong-power", {{"name", "王立新"}});
  const int64_t session = OpenVoteOk({"voter1", "voter2"});

  HttpResult cast = Cast("voter1", session, {{unit, "for"}, {person, "abstain"}});
  ASSERT_EQ(cast.status, 200) << cast.body;
  EXPECT_EQ(Int(cast.json, "session"), session);
  const boost::json::array& mine = cast.json.at("ballots").as_array();
  ASSERT_EQ(mine.size(), 2u) << cast.body;
  EXPECT_EQ(Int(mine[0], "nomination"), unit);
  EXPECT_EQ(Str(mine[0], "choice"), "for");
  EXPECT_EQ(Int(mine[1], "nomination"), person);
  EXPECT_EQ(Str(mine[1], "choice"), "abstain");

  HttpResult other = Cast("voter2", session, {{unit, "against"}});
  ASSERT_EQ(other.status, 200) << other.body;
  ASSERT_EQ(other.json.at("ballots").as_array().size(), 1u) << other.body;
  EXPECT_EQ(Str(other.json.at("ballots").at(0), "choice"), "against");

  // A changed ballot replaces the earlier one.
  HttpResult changed = Cast("voter1", session, {{unit, "against"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  const boost::json::array& now = changed.json.at("ballots").as_array();
  ASSERT_EQ(now.size(), 2u) << changed.body;
  EXPECT_EQ(Str(now[0], "choice"), "against");
  EXPECT_EQ(Str(now[1], "choice"), "abstain");
}

TEST_F(VoteBallots, NonMembersAreRefused) {
  const int64_t unit = UnitInVote("jiajiang-ceramics");
  const int64_t session = OpenVoteOk({"voter1", "voter2"});
  for (const char* user : {"voter3", "city-reviewer", "jiajiang-reviewer", "admin"}) {
    HttpResult refused = Cast(user, session, {{unit, "for"}});
    EXPECT_EQ(refused.status, 403) << user << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "forbidden");
  }
  HttpResult anonymous = server().Post(VotePath(session, "/ballots"),
                                       {{"ballots", {{{"nomination", unit}, {"choice", "for"}}}}});
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  HttpResult unknown = Cast("voter1", 987654, {{unit, "for"}});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(unknown.ErrorCode(), "not_found");

  HttpResult seen = GetVote(session);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(Voted(seen.json),
            (std::vector<std::pair<std::string, bool>>{{"voter1", false}, {"voter2", false}}));
}

TEST_F(VoteBallots, RecusedMemberIsRefusedAndNothingIsRecorded) {
  CreateUserOk("jiajiang-voter", {{{"role", "voter"}, {"org", "leshan"}},
                                  {{"role", "submitter"}, {"org", "jiajiang-ceramics"}}});
  const int64_t jiajiang = UnitInVote("jiajiang-ceramics");
  const int64_t shizhong = UnitInVote("shizhong-power");
  const int64_t session = OpenVoteOk({"voter1", "jiajiang-voter"});
  const size_t history_before = NominationHistory(shizhong).size();

  HttpResult recused = Cast("jiajiang-voter", session, {{shizhong, "for"}, {jiajiang, "for"}});
  EXPECT_EQ(recused.status, 403) << recused.body;
  EXPECT_EQ(recused.ErrorCode(), "forbidden");

  HttpResult seen = GetVote(session, "jiajiang-voter");
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_TRUE(seen.json.at("my_ballots").as_array().empty()) << seen.body;
  EXPECT_EQ(Voted(seen.json), (std::vector<std::pair<std::string, bool>>{
                                  {"voter1", false}, {"jiajiang-voter", false}}));
  for (const boost::json::value& entry : seen.json.at("nominations").as_array()) {
    EXPECT_EQ(entry.at("recused").as_bool(), Int(entry, "id") == jiajiang) << entry;
  }
  EXPECT_EQ(NominationHistory(shizhong).size(), history_before);

  HttpResult allowed = Cast("jiajiang-voter", session, {{shizhong, "for"}});
  ASSERT_EQ(allowed.status, 200) << allowed.body;
  EXPECT_EQ(allowed.json.at("ballots").as_array().size(), 1u);
}

TEST_F(VoteBallots, NominatorWhoIsAVoterIsRecusedOnTheirOwnNomination) {
  CreateUserOk("city-nominator",
               {{{"role", "reviewer"}, {"org", "leshan"}}, {{"role", "voter"}, {"org", "leshan"}}});
  const int64_t own = NominateOk(
      "city-nominator", UnitNomination("shizhong-power", {ApprovedReportOf("shizhong-power")}));
  MoveToVote(own, "shizhong-power");
  const int64_t other = UnitInVote("jiajiang-ceramics");
  const int64_t session = OpenVoteOk({"voter1", "city-nominator"});

  HttpResult refused = Cast("city-nominator", session, {{own, "for"}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "forbidden");
  HttpResult allowed = Cast("city-nominator", session, {{other, "for"}});
  EXPECT_EQ(allowed.status, 200) << allowed.body;
}

TEST_F(VoteBallots, InvalidBallotsAre400AndNothingOfTheRequestCounts) {
  const int64_t unit = UnitInVote("jiajiang-ceramics");
  const int64_t second = UnitInVote("shizhong-power");
  const int64_t outside = NominateOk(
      "shizhong-reviewer", UnitNomination("shizhong-power", {ApprovedReportOf("shizhong-power")}));
  const int64_t session = OpenVoteOk({"voter1", "voter2"});

  HttpResult bad_choice = Cast("voter1", session, {{unit, "for"}, {second, "yes"}});
  EXPECT_EQ(bad_choice.status, 400) << bad_choice.body;
  EXPECT_EQ(bad_choice.ErrorCode(), "bad_request");
  EXPECT_EQ(DetailPaths(bad_choice), std::vector<std::string>{"ballots[1].choice"});

  HttpResult twice = Cast("voter1", session, {{unit, "for"}, {unit, "against"}});
  EXPECT_EQ(twice.status, 400) << twice.body;
  EXPECT_EQ(DetailPaths(twice), std::vector<std::string>{"ballots[1].nomination"});

  HttpResult not_in_session =
      Cast("voter1", session, {{unit, "for"}, {outside, "for"}, {987654, "against"}});
  EXPECT_EQ(not_in_session.status, 400) << not_in_session.body;
  EXPECT_EQ(not_in_session.ErrorCode(), "bad_request");
  EXPECT_EQ(DetailPaths(not_in_session),
            (std::vector<std::string>{"ballots[1].nomination", "ballots[2].nomination"}));

  HttpResult empty = Cast("voter1", session, {});
  EXPECT_EQ(empty.status, 400) << empty.body;
  EXPECT_EQ(DetailPaths(empty), std::vector<std::string>{"ballots"});

  HttpResult seen = GetVote(session, "voter1");
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_TRUE(seen.json.at("my_ballots").as_array().empty()) << seen.body;
  EXPECT_EQ(Voted(seen.json),
            (std::vector<std::pair<std::string, bool>>{{"voter1", false}, {"voter2", false}}));
  for (int64_t id : {unit, second}) {
    for (const std::string& action : HistoryActions(id)) EXPECT_NE(action, "ballot");
  }
}

TEST_F(VoteBallots, OpenSessionShowsWhoVotedButNoCounts) {
  const int64_t unit = UnitInVote("jiajiang-ceramics");
  const int64_t session = OpenVoteOk();
  CastOk("voter2", session, {{unit, "for"}});

  for (const char* viewer : {"city-reviewer", "admin", "voter1", "voter2"}) {
    SCOPED_TRACE(viewer);
    HttpResult seen = GetVote(session, viewer);
    ASSERT_EQ(seen.status, 200) << seen.body;
    const boost::json::object& object = seen.json.as_object();
    EXPECT_EQ(Str(seen.json, "status"), "open");
    EXPECT_EQ(Voted(seen.json), (std::vector<std::pair<std::string, bool>>{
                                    {"voter1", false}, {"voter2", true}, {"voter3", false}}));
    EXPECT_FALSE(object.contains("results"));
    EXPECT_FALSE(object.contains("quorum_met"));
    EXPECT_FALSE(object.contains("ties"));
    for (const boost::json::value& entry : object.at("nominations").as_array()) {
      for (const char* count : {"for", "against", "abstain", "passed", "rank"}) {
        EXPECT_FALSE(entry.as_object().contains(count)) << count;
      }
    }
    // Only a member sees ballots, and only their own.
    const bool member = std::string(viewer).rfind("voter", 0) == 0;
    ASSERT_EQ(object.contains("my_ballots"), member);
    if (member) {
      const boost::json::array& mine = object.at("my_ballots").as_array();
      EXPECT_EQ(mine.size(), std::string(viewer) == "voter2" ? 1u : 0u);
    }
  }
  // To anyone else the session does not exist: its number tells them nothing.
  for (const char* outsider : {"jiajiang-reviewer", "shizhong-submitter"}) {
    HttpResult refused = GetVote(session, outsider);
    EXPECT_EQ(refused.status, 404) << outsider << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "not_found");
  }
  EXPECT_EQ(GetVote(987654).status, 404);
}

}  // namespace
}  // namespace jingsai::testing
