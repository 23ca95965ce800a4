// ParseFlow: the JSON shape of a definition and the per-node checks (types,
// required fields, roles, scopes, actions, validators). Graph checks are in
// flow_check_test.cpp.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/flow.h"
#include "workflows/builtin.h"

namespace jingsai::engine {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// A small valid report flow; each test breaks one thing in it.
constexpr std::string_view kValidFlow = R"({
  "key": "report-test",
  "title": "测试报送",
  "subject": "report",
  "start": "draft",
  "stages": [
    {"id": "draft", "kind": "edit", "title": "填报", "actor": {"role": "submitter", "scope": "self"},
     "actions": {"submit": {"to": "review", "validators": ["report.complete"]}}},
    {"id": "review", "kind": "review", "actor": {"role": "reviewer", "scope": "county"},
     "actions": {"approve": {"to": "done"}, "return": {"to": ["draft"]},
                 "withdraw": {"to": "draft", "actor": {"role": "submitter", "scope": "self"}}}},
    {"id": "done", "kind": "end"}
  ]
})";

boost::json::value ValidFlow() { return boost::json::parse(kValidFlow); }

boost::json::object& StageAt(boost::json::value& flow, std::size_t i) {
  return flow.as_object()["stages"].as_array()[i].as_object();
}

boost::json::object& ActionAt(boost::json::value& flow, std::size_t stage, std::string_view name) {
  return StageAt(flow, stage)["actions"].as_object()[name].as_object();
}

// The paths of the problems, or a single "<ok>" when there were none, so that
// a wrongly accepted definition shows up plainly in the failure message.
std::vector<std::string> ProblemPaths(const boost::json::value& json) {
  Result<FlowDefinition> result = ParseFlow(json);
  if (result.ok()) return {"<ok>"};
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidFlow);
  std::vector<std::string> paths;
  for (const Detail& detail : result.error().details) {
    EXPECT_FALSE(detail.message.empty()) << detail.path;
    paths.push_back(detail.path);
  }
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

FlowDefinition ParseBuiltin(std::string_view name) {
  for (const workflows::BuiltinFile& file : workflows::BuiltinFiles()) {
    if (file.name != name) continue;
    Result<FlowDefinition> result = ParseFlow(boost::json::parse(file.contents));
    if (!result.ok()) {
      for (const Detail& detail : result.error().details) {
        ADD_FAILURE() << name << ": " << detail.path << ": " << detail.message;
      }
      return {};
    }
    return std::move(result).value();
  }
  ADD_FAILURE() << "no built-in file " << name;
  return {};
}

std::vector<std::string> StageIds(const FlowDefinition& flow) {
  std::vector<std::string> ids;
  for (const Stage& stage : flow.stages) ids.push_back(stage.id);
  return ids;
}

std::vector<std::string> ActionNames(const Stage& stage) {
  std::vector<std::string> names;
  for (const ActionSpec& action : stage.actions) names.push_back(action.name);
  return names;
}

TEST(FlowParse, BuiltinReportCountyFlowParsesWithItsStages) {
  FlowDefinition flow = ParseBuiltin("report-county.json");
  EXPECT_EQ(flow.key, "report-county");
  EXPECT_EQ(flow.subject, "report");
  EXPECT_EQ(flow.start, "draft");
  EXPECT_EQ(flow.version, 0);
  EXPECT_THAT(StageIds(flow), ElementsAre("draft", "county_review", "city_review", "approved"));
  const Stage* county = flow.FindStage("county_review");
  ASSERT_NE(county, nullptr);
  EXPECT_EQ(county->kind, StageKind::kReview);
  EXPECT_THAT(ActionNames(*county), ElementsAre("approve", "return", "withdraw"));
  const Stage* city = flow.FindStage("city_review");
  ASSERT_NE(city, nullptr);
  ASSERT_NE(city->FindAction("return"), nullptr);
  EXPECT_THAT(city->FindAction("return")->to, ElementsAre("county_review", "draft"));
  EXPECT_EQ(flow.FindStage("approved")->outcome, "approved");
}

TEST(FlowParse, BuiltinCityDirectFlowParses) {
  FlowDefinition flow = ParseBuiltin("report-city-direct.json");
  EXPECT_EQ(flow.key, "report-city-direct");
  EXPECT_THAT(StageIds(flow), ElementsAre("draft", "city_review", "approved"));
}

TEST(FlowParse, BuiltinCommendationFlowParsesWithVoteRules) {
  FlowDefinition flow = ParseBuiltin("commendation.json");
  EXPECT_EQ(flow.subject, "nomination");
  EXPECT_THAT(StageIds(flow),
              ElementsAre("nominated", "city_screening", "vote", "commended", "not_commended"));
  const Stage* vote = flow.FindStage("vote");
  ASSERT_NE(vote, nullptr);
  EXPECT_EQ(vote->kind, StageKind::kVote);
  EXPECT_THAT(ActionNames(*vote), ElementsAre("pass", "fail"));
  ASSERT_TRUE(vote->rules.is_object());
  EXPECT_EQ(vote->rules.at("quorum").as_double(), 0.5);
  EXPECT_EQ(flow.FindStage("not_commended")->outcome, "not_commended");
}

TEST(FlowParse, KeepsTheSourceAndTheActionDetails) {
  boost::json::value json = ValidFlow();
  Result<FlowDefinition> result = ParseFlow(json);
  ASSERT_TRUE(result.ok());
  const FlowDefinition& flow = result.value();
  EXPECT_EQ(flow.source, json);
  EXPECT_EQ(flow.title, "测试报送");
  const Stage& draft = flow.stages[0];
  EXPECT_EQ(draft.title, "填报");
  ASSERT_TRUE(draft.actor.has_value());
  EXPECT_EQ(draft.actor->role, "submitter");
  EXPECT_EQ(draft.actor->scope, Scope::kSelf);
  ASSERT_EQ(draft.actions.size(), 1u);
  EXPECT_THAT(draft.actions[0].to, ElementsAre("review"));
  ASSERT_EQ(draft.actions[0].validators.size(), 1u);
  EXPECT_EQ(draft.actions[0].validators[0].name, "report.complete");
}

TEST(FlowParse, ActionActorOverridesTheStageActor) {
  Result<FlowDefinition> result = ParseFlow(ValidFlow());
  ASSERT_TRUE(result.ok());
  const Stage& review = result->stages[1];
  EXPECT_EQ(review.ActorFor(*review.FindAction("withdraw"))->role, "submitter");
  EXPECT_EQ(review.ActorFor(*review.FindAction("approve"))->role, "reviewer");
  EXPECT_EQ(review.ActorFor(*review.FindAction("approve"))->scope, Scope::kCounty);
}

TEST(FlowParse, EndStageOutcomeDefaultsToItsId) {
  Result<FlowDefinition> result = ParseFlow(ValidFlow());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->FindStage("done")->outcome, "done");
}

TEST(FlowParse, AcceptsAStringAsTheReturnTarget) {
  boost::json::value json = ValidFlow();
  ActionAt(json, 1, "return")["to"] = "draft";
  Result<FlowDefinition> result = ParseFlow(json);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->stages[1].FindAction("return")->to, ElementsAre("draft"));
}

TEST(FlowParse, AcceptsAValidatorGivenAsObject) {
  boost::json::value json = ValidFlow();
  ActionAt(json, 0, "submit")["validators"] =
      boost::json::parse(R"([{"name": "report.complete"}])");
  Result<FlowDefinition> result = ParseFlow(json);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->stages[0].actions[0].validators[0].name, "report.complete");
}

TEST(FlowParse, RejectsInputThatIsNotAnObject) {
  EXPECT_THAT(ProblemPaths(boost::json::parse("[1, 2]")), ElementsAre(""));
  EXPECT_THAT(ProblemPaths(boost::json::value("report")), ElementsAre(""));
}

TEST(FlowParse, ReportsEveryMissingTopLevelField) {
  EXPECT_THAT(ProblemPaths(boost::json::parse("{}")),
              UnorderedElementsAre("key", "title", "subject", "start", "stages"));
}

TEST(FlowParse, ReportsStagesThatAreNotAnArray) {
  boost::json::value json = ValidFlow();
  json.as_object()["stages"] = "draft";
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages"));
}

TEST(FlowParse, ReportsEmptyStages) {
  boost::json::value json = ValidFlow();
  json.as_object()["stages"] = boost::json::array();
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages"));
}

TEST(FlowParse, ReportsATargetThatIsANumber) {
  boost::json::value json = ValidFlow();
  ActionAt(json, 1, "approve")["to"] = 3;
  // Without that move the end is out of reach, and nothing leads to it.
  EXPECT_THAT(ProblemPaths(json), UnorderedElementsAre("stages[1].actions.approve.to", "stages[0]",
                                                       "stages[1]", "stages[2]"));
  EXPECT_EQ(MessageAt(json, "stages[1].actions.approve.to"), "应为字符串");
}

TEST(FlowParse, ReportsATargetListOnAnActionOtherThanReturn) {
  boost::json::value json = ValidFlow();
  ActionAt(json, 0, "submit")["to"] = boost::json::parse(R"(["review"])");
  EXPECT_THAT(ProblemPaths(json), Contains("stages[0].actions.submit.to"));
}

TEST(FlowParse, ReportsANonStringInAReturnList) {
  boost::json::value json = ValidFlow();
  ActionAt(json, 1, "return")["to"] = boost::json::parse(R"(["draft", 7])");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].actions.return.to[1]"));
}

TEST(FlowParse, ReportsAnEmptyReturnList) {
  boost::json::value json = ValidFlow();
  ActionAt(json, 1, "return")["to"] = boost::json::array();
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].actions.return.to"));
}

TEST(FlowParse, ReportsActionsThatAreNotAnObject) {
  boost::json::value json = ValidFlow();
  StageAt(json, 0)["actions"] = boost::json::parse(R"(["submit"])");
  EXPECT_THAT(ProblemPaths(json), Contains("stages[0].actions"));
}

TEST(FlowParse, ReportsAStageThatIsNotAnObject) {
  boost::json::value json = ValidFlow();
  json.as_object()["stages"].as_array().push_back("extra");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[3]"));
}

TEST(FlowParse, ReportsAnUnknownRoleWithItsPath) {
  boost::json::value json = ValidFlow();
  StageAt(json, 1)["actor"].as_object()["role"] = "mayor";
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].actor.role"));
  EXPECT_THAT(MessageAt(json, "stages[1].actor.role"), HasSubstr("\"mayor\""));
}

TEST(FlowParse, ReportsAnUnknownScopeWithItsPath) {
  boost::json::value json = ValidFlow();
  StageAt(json, 1)["actor"].as_object()["scope"] = "province";
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].actor.scope"));
}

TEST(FlowParse, ChecksTheActorOfAnAction) {
  boost::json::value json = ValidFlow();
  ActionAt(json, 1, "withdraw")["actor"].as_object()["scope"] = "street";
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].actions.withdraw.actor.scope"));
}

TEST(FlowParse, ReportsAMissingStageActor) {
  boost::json::value json = ValidFlow();
  StageAt(json, 0).erase("actor");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[0].actor"));
}

TEST(FlowParse, ReportsAnUnknownValidatorWithItsPath) {
  boost::json::value json = ValidFlow();
  ActionAt(json, 0, "submit")["validators"] =
      boost::json::parse(R"(["report.complete", "report.magic"])");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[0].actions.submit.validators[1]"));
  EXPECT_THAT(MessageAt(json, "stages[0].actions.submit.validators[1]"), HasSubstr("report.magic"));
}

TEST(FlowParse, ReportsAnUnknownValidatorGivenAsObjectOnItsName) {
  boost::json::value json = ValidFlow();
  ActionAt(json, 0, "submit")["validators"] = boost::json::parse(R"([{"name": "report.magic"}])");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[0].actions.submit.validators[0].name"));
}

TEST(FlowParse, ReportsValidatorsThatAreNotAList) {
  boost::json::value json = ValidFlow();
  ActionAt(json, 0, "submit")["validators"] = "report.complete";
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[0].actions.submit.validators"));
}

TEST(FlowParse, ReportsAnUnknownAction) {
  boost::json::value json = ValidFlow();
  StageAt(json, 1)["actions"].as_object()["escalate"] = boost::json::parse(R"({"to": "done"})");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].actions.escalate"));
}

TEST(FlowParse, ReportsAVoteOutcomeOutsideAVoteStage) {
  boost::json::value json = ValidFlow();
  StageAt(json, 1)["actions"].as_object()["pass"] = boost::json::parse(R"({"to": "done"})");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].actions.pass"));
}

TEST(FlowParse, ReportsAStageWithoutActions) {
  boost::json::value json = ValidFlow();
  StageAt(json, 1)["actions"] = boost::json::object();
  // Nothing leads to the end any more, and nothing leaves the review.
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre("stages[1].actions", "stages[2]", "stages[0]", "stages[1]"));
  EXPECT_EQ(MessageAt(json, "stages[1].actions"), "至少需要一个动作");
}

TEST(FlowParse, ReportsAnEndStageWithActionsOrActor) {
  boost::json::value json = ValidFlow();
  StageAt(json, 2)["actions"] = boost::json::parse(R"({"approve": {"to": "draft"}})");
  StageAt(json, 2)["actor"] = boost::json::parse(R"({"role": "admin", "scope": "city"})");
  EXPECT_THAT(ProblemPaths(json), UnorderedElementsAre("stages[2].actions", "stages[2].actor"));
}

TEST(FlowParse, ReportsAnUnknownStageKind) {
  boost::json::value json = ValidFlow();
  StageAt(json, 2)["kind"] = "finish";
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[2].kind"));
}

TEST(FlowParse, ReportsAMalformedKeyAndSubject) {
  boost::json::value json = ValidFlow();
  json.as_object()["key"] = "Report County";
  json.as_object()["subject"] = "award";
  EXPECT_THAT(ProblemPaths(json), UnorderedElementsAre("key", "subject"));
}

TEST(FlowParse, ReportsWrongTypesOfTopLevelFields) {
  boost::json::value json = ValidFlow();
  json.as_object()["title"] = 5;
  json.as_object()["start"] = boost::json::array();
  EXPECT_THAT(ProblemPaths(json), UnorderedElementsAre("title", "start"));
}

TEST(FlowParse, ReportsAMissingStageId) {
  boost::json::value json = ValidFlow();
  StageAt(json, 1).erase("id");
  // Without its id the review cannot be a target: draft's submit goes nowhere,
  // the end is out of reach and the draft has no way to it.
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre("stages[1].id", "stages[0].actions.submit.to", "stages[0]",
                                   "stages[2]"));
}

TEST(FlowKinds, NamesAndParsesEveryKind) {
  for (StageKind kind : {StageKind::kEdit, StageKind::kReview, StageKind::kVote, StageKind::kEnd}) {
    EXPECT_EQ(ParseStageKind(StageKindName(kind)), kind);
  }
  EXPECT_EQ(ParseStageKind("approve"), std::nullopt);
}

TEST(FlowKinds, KnowsTheDeclarableActions) {
  for (std::string_view name : {"submit", "approve", "return", "withdraw", "pass", "fail"}) {
    EXPECT_TRUE(IsKnownAction(name)) << name;
  }
  EXPECT_FALSE(IsKnownAction("delete"));
  EXPECT_FALSE(IsKnownAction(""));
}

}  // namespace
}  // namespace jingsai::engine
