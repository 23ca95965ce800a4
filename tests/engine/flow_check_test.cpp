// ParseFlow's checks over the stage graph (targets, reachability, a way to an
// end, returns, duplicate ids) and over a vote stage's rules. Every problem
// must come back with the JSON path an editor can point at.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/flow.h"

namespace jingsai::engine {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// draft -> review -> done, review may return or withdraw to draft.
constexpr std::string_view kReportFlow = R"({
  "key": "report-test", "title": "测试报送", "subject": "report", "start": "draft",
  "stages": [
    {"id": "draft", "kind": "edit", "actor": {"role": "submitter", "scope": "self"},
     "actions": {"submit": {"to": "review"}}},
    {"id": "review", "kind": "review", "actor": {"role": "reviewer", "scope": "county"},
     "actions": {"approve": {"to": "done"}, "return": {"to": ["draft"]},
                 "withdraw": {"to": "draft", "actor": {"role": "submitter", "scope": "self"}}}},
    {"id": "done", "kind": "end", "outcome": "approved"}
  ]
})";

// nominated -> screening -> vote -> commended | not_commended.
constexpr std::string_view kVoteFlow = R"({
  "key": "vote-test", "title": "测试评选", "subject": "nomination", "start": "nominated",
  "stages": [
    {"id": "nominated", "kind": "edit", "actor": {"role": "reviewer", "scope": "county"},
     "actions": {"submit": {"to": "screening"}}},
    {"id": "screening", "kind": "review", "actor": {"role": "reviewer", "scope": "city"},
     "actions": {"approve": {"to": "vote"}, "return": {"to": ["nominated"]}}},
    {"id": "vote", "kind": "vote", "actor": {"role": "voter", "scope": "city"},
     "rules": {"quorum": 0.5, "pass": {"ratio": 0.5, "of": "members", "strict": true},
               "quota": {"unit": 30, "individual": 50}},
     "actions": {"pass": {"to": "commended"}, "fail": {"to": "not_commended"}}},
    {"id": "commended", "kind": "end"},
    {"id": "not_commended", "kind": "end"}
  ]
})";

boost::json::value ReportFlow() { return boost::json::parse(kReportFlow); }
boost::json::value VoteFlow() { return boost::json::parse(kVoteFlow); }

boost::json::array& Stages(boost::json::value& flow) {
  return flow.as_object()["stages"].as_array();
}

boost::json::object& StageAt(boost::json::value& flow, std::size_t i) {
  return Stages(flow)[i].as_object();
}

boost::json::object& ActionsAt(boost::json::value& flow, std::size_t i) {
  return StageAt(flow, i)["actions"].as_object();
}

boost::json::object& RulesOf(boost::json::value& flow) {
  return StageAt(flow, 2)["rules"].as_object();
}

std::vector<std::string> ProblemPaths(const boost::json::value& json) {
  Result<FlowDefinition> result = ParseFlow(json);
  if (result.ok()) return {"<ok>"};
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidFlow);
  std::vector<std::string> paths;
  for (const Detail& detail : result.error().details) paths.push_back(detail.path);
  return paths;
}

std::string MessageAt(const boost::json::value& json, std::string_view path) {
  Result<FlowDefinition> result = ParseFlow(json);
  if (result.ok()) return "<ok>";
  for (const Detail& detail : result.error().details) {
    if (detail.path == path) return detail.message;
  }
  return "<no problem at this path>";
}

TEST(FlowCheck, AcceptsTheTestFlows) {
  EXPECT_TRUE(ParseFlow(ReportFlow()).ok());
  EXPECT_TRUE(ParseFlow(VoteFlow()).ok());
}

TEST(FlowCheck, ReportsUnknownReturnTargetWithItsIndex) {
  boost::json::value json = ReportFlow();
  ActionsAt(json, 1)["return"].as_object()["to"] = boost::json::parse(R"(["draft", "drat"])");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].actions.return.to[1]"));
  EXPECT_EQ(MessageAt(json, "stages[1].actions.return.to[1]"), "未知的目标阶段 \"drat\"");
}

TEST(FlowCheck, ReportsUnknownTargetAndWhatItCutsOff) {
  boost::json::value json = ReportFlow();
  ActionsAt(json, 1)["approve"].as_object()["to"] = "finished";
  EXPECT_THAT(ProblemPaths(json), UnorderedElementsAre("stages[1].actions.approve.to", "stages[2]",
                                                       "stages[0]", "stages[1]"));
  EXPECT_THAT(MessageAt(json, "stages[2]"), HasSubstr("无法到达"));
}

TEST(FlowCheck, ReportsUnreachableStageWithItsPath) {
  boost::json::value json = ReportFlow();
  Stages(json).push_back(boost::json::parse(R"(
    {"id": "orphan", "kind": "review", "actor": {"role": "reviewer", "scope": "city"},
     "actions": {"approve": {"to": "done"}}})"));
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[3]"));
  EXPECT_EQ(MessageAt(json, "stages[3]"), "阶段 \"orphan\" 从起始阶段无法到达");
}

TEST(FlowCheck, ReportsStagesWithNoWayToAnEnd) {
  boost::json::value json = ReportFlow();
  ActionsAt(json, 1)["withdraw"].as_object()["to"] = "side";
  Stages(json).push_back(boost::json::parse(R"(
    {"id": "side", "kind": "edit", "actor": {"role": "submitter", "scope": "self"},
     "actions": {"submit": {"to": "side_review"}}})"));
  Stages(json).push_back(boost::json::parse(R"(
    {"id": "side_review", "kind": "review", "actor": {"role": "reviewer", "scope": "city"},
     "actions": {"return": {"to": ["side"]}}})"));
  EXPECT_THAT(ProblemPaths(json), UnorderedElementsAre("stages[3]", "stages[4]"));
  EXPECT_EQ(MessageAt(json, "stages[4]"), "阶段 \"side_review\" 无法到达任何终止阶段");
}

TEST(FlowCheck, ReportsAFlowWithoutEndStage) {
  boost::json::value json = ReportFlow();
  Stages(json).erase(Stages(json).begin() + 2);
  ActionsAt(json, 1).erase("approve");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages"));
}

TEST(FlowCheck, ReportsAnUnknownStartAlone) {
  boost::json::value json = ReportFlow();
  json.as_object()["start"] = "begin";
  // Reachability from a start that does not exist would flag every stage.
  EXPECT_THAT(ProblemPaths(json), ElementsAre("start"));
  EXPECT_THAT(MessageAt(json, "start"), HasSubstr("\"begin\""));
}

TEST(FlowCheck, ReportsAStartThatIsAnEnd) {
  boost::json::value json = ReportFlow();
  json.as_object()["start"] = "done";
  EXPECT_THAT(ProblemPaths(json), Contains("start"));
  EXPECT_THAT(MessageAt(json, "start"), HasSubstr("终止阶段"));
}

TEST(FlowCheck, ReportsAKeyLongerThanSixtyFourCharacters) {
  boost::json::value json = ReportFlow();
  json.as_object()["key"] = std::string(64, 'k');
  EXPECT_THAT(ProblemPaths(json), ElementsAre("<ok>"));
  json.as_object()["key"] = std::string(65, 'k');
  EXPECT_THAT(ProblemPaths(json), ElementsAre("key"));
}

TEST(FlowCheck, ReportsADuplicateIdOnTheLaterStage) {
  boost::json::value json = ReportFlow();
  Stages(json).push_back(boost::json::parse(R"({"id": "review", "kind": "end"})"));
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[3].id"));
}

TEST(FlowCheck, ReportsAReturnToALaterStage) {
  boost::json::value json = ReportFlow();
  ActionsAt(json, 0)["return"] = boost::json::parse(R"({"to": ["review"]})");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[0].actions.return.to[0]"));
}

TEST(FlowCheck, ReportsAReturnToTheSameStage) {
  boost::json::value json = ReportFlow();
  ActionsAt(json, 1)["return"].as_object()["to"] = boost::json::parse(R"(["draft", "review"])");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].actions.return.to[1]"));
}

TEST(FlowCheck, AcceptsAReturnToAnyEarlierStage) {
  boost::json::value json = ReportFlow();
  ActionsAt(json, 1)["approve"].as_object()["to"] = "city";
  Stages(json).push_back(boost::json::parse(R"(
    {"id": "city", "kind": "review", "actor": {"role": "reviewer", "scope": "city"},
     "actions": {"approve": {"to": "done"}, "return": {"to": ["review", "draft"]}}})"));
  EXPECT_TRUE(ParseFlow(json).ok());
}

TEST(FlowCheck, AWithdrawBackDoesNotMakeALaterStageEarlier) {
  // draft -> review -> city -> done; city may withdraw to draft. Review's
  // return to city must still count as a return to a later stage.
  boost::json::value json = ReportFlow();
  ActionsAt(json, 1)["approve"].as_object()["to"] = "city";
  ActionsAt(json, 1)["return"].as_object()["to"] = boost::json::parse(R"(["draft", "city"])");
  Stages(json).push_back(boost::json::parse(R"(
    {"id": "city", "kind": "review", "actor": {"role": "reviewer", "scope": "city"},
     "actions": {"approve": {"to": "done"}, "withdraw": {"to": "draft"}}})"));
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].actions.return.to[1]"));
}

TEST(FlowCheck, ReportsAnApproveOntoItsOwnStage) {
  boost::json::value json = ReportFlow();
  ActionsAt(json, 1)["approve"].as_object()["to"] = "review";
  EXPECT_THAT(ProblemPaths(json), Contains("stages[1].actions.approve.to"));
  EXPECT_THAT(MessageAt(json, "stages[1].actions.approve.to"), HasSubstr("本阶段"));
}

TEST(FlowCheck, ReportsASubmitOntoItsOwnStage) {
  boost::json::value json = ReportFlow();
  ActionsAt(json, 0)["submit"].as_object()["to"] = "draft";
  EXPECT_THAT(ProblemPaths(json), Contains("stages[0].actions.submit.to"));
}

TEST(FlowCheck, ReportsVoteStageWithoutRules) {
  boost::json::value json = VoteFlow();
  StageAt(json, 2).erase("rules");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[2].rules"));
  EXPECT_EQ(MessageAt(json, "stages[2].rules"), "表决阶段缺少 rules");
}

TEST(FlowCheck, ReportsEachMissingPartOfVoteRules) {
  boost::json::value json = VoteFlow();
  StageAt(json, 2)["rules"] = boost::json::object();
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre("stages[2].rules.quorum", "stages[2].rules.pass",
                                   "stages[2].rules.quota"));
}

TEST(FlowCheck, ReportsEachInvalidPartOfVoteRules) {
  boost::json::value json = VoteFlow();
  RulesOf(json)["quorum"] = 0;
  RulesOf(json)["pass"] = boost::json::parse(R"({"ratio": 1.5, "of": "all", "strict": "yes"})");
  RulesOf(json)["quota"] = boost::json::parse(R"({"unit": 0, "team": 3, "individual": 2.5})");
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre("stages[2].rules.quorum", "stages[2].rules.pass.ratio",
                                   "stages[2].rules.pass.of", "stages[2].rules.pass.strict",
                                   "stages[2].rules.quota.unit", "stages[2].rules.quota.team",
                                   "stages[2].rules.quota.individual"));
}

TEST(FlowCheck, AcceptsFullQuorumAndCastBase) {
  boost::json::value json = VoteFlow();
  RulesOf(json)["quorum"] = 1;
  RulesOf(json)["pass"] = boost::json::parse(R"({"ratio": 1, "of": "cast", "strict": false})");
  EXPECT_TRUE(ParseFlow(json).ok());
}

TEST(FlowCheck, ReportsRulesThatAreNotAnObject) {
  boost::json::value json = VoteFlow();
  StageAt(json, 2)["rules"] = "majority";
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[2].rules"));
}

TEST(FlowCheck, ReportsVoteStageWithoutFail) {
  boost::json::value json = VoteFlow();
  ActionsAt(json, 2).erase("fail");
  // not_commended is then out of reach too.
  EXPECT_THAT(ProblemPaths(json), UnorderedElementsAre("stages[2].actions.fail", "stages[4]"));
}

TEST(FlowCheck, ReportsAPersonsActionInAVoteStage) {
  boost::json::value json = VoteFlow();
  ActionsAt(json, 2)["approve"] = boost::json::parse(R"({"to": "commended"})");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[2].actions.approve"));
}

TEST(FlowCheck, ReportsRulesOutsideAVoteStage) {
  boost::json::value json = VoteFlow();
  StageAt(json, 1)["rules"] = RulesOf(json);
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].rules"));
}

TEST(FlowCheck, ReportsEveryProblemOfABrokenDefinitionAtOnce) {
  boost::json::value json = ReportFlow();
  json.as_object()["key"] = "Report Test";
  StageAt(json, 0)["actor"].as_object()["role"] = "boss";
  StageAt(json, 1)["actor"].as_object()["scope"] = "nation";
  ActionsAt(json, 1)["approve"].as_object()["to"] = "finished";
  ActionsAt(json, 0)["submit"].as_object()["validators"] =
      boost::json::parse(R"(["report.complete", "no.such.rule"])");
  Stages(json).push_back(boost::json::parse(R"({"id": "draft", "kind": "end"})"));
  Stages(json).push_back(boost::json::parse(R"(
    {"id": "ballot", "kind": "vote", "actor": {"role": "voter", "scope": "city"},
     "actions": {"pass": {"to": "done"}, "fail": {"to": "done"}}})"));
  EXPECT_THAT(
      ProblemPaths(json),
      UnorderedElementsAre("key", "stages[0].actor.role", "stages[1].actor.scope",
                           "stages[0].actions.submit.validators[1]", "stages[1].actions.approve.to",
                           "stages[3].id", "stages[4].rules",
                           // a report flow has no vote stage:
                           "stages[4].kind",
                           // what the unknown approve target cuts off:
                           "stages[0]", "stages[1]", "stages[2]", "stages[4]"));
}

}  // namespace
}  // namespace jingsai::engine
