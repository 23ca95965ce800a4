// ParseFlow over a stage's optional practice rules: "approvals" (review
// stages), "separate_from" and "due". Each problem must come back with the
// JSON path an editor can point at, together with every other problem.

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
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// draft -> county_review -> city_review -> approved, with returns and a
// submitter's withdraw; no options yet.
constexpr std::string_view kReportFlow = R"({
  "key": "report-options", "title": "测试报送", "subject": "report", "start": "draft",
  "stages": [
    {"id": "draft", "kind": "edit", "actor": {"role": "submitter", "scope": "self"},
     "actions": {"submit": {"to": "county_review"}}},
    {"id": "county_review", "kind": "review", "actor": {"role": "reviewer", "scope": "county"},
     "actions": {"approve": {"to": "city_review"}, "return": {"to": ["draft"]},
                 "withdraw": {"to": "draft", "actor": {"role": "submitter", "scope": "self"}}}},
    {"id": "city_review", "kind": "review", "actor": {"role": "reviewer", "scope": "city"},
     "actions": {"approve": {"to": "approved"}, "return": {"to": ["county_review", "draft"]}}},
    {"id": "approved", "kind": "end", "outcome": "approved"}
  ]
})";

// nominated -> screening -> vote -> commended | not_commended.
constexpr std::string_view kVoteFlow = R"({
  "key": "vote-options", "title": "测试评选", "subject": "nomination", "start": "nominated",
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

constexpr std::size_t kDraft = 0;
constexpr std::size_t kCountyReview = 1;
constexpr std::size_t kCityReview = 2;
constexpr std::size_t kApproved = 3;

boost::json::value ReportFlow() { return boost::json::parse(kReportFlow); }

boost::json::object& StageAt(boost::json::value& flow, std::size_t i) {
  return flow.as_object()["stages"].as_array()[i].as_object();
}

// Sets `key` of stage i to the JSON `text`.
void SetOption(boost::json::value& flow, std::size_t i, std::string_view key,
               std::string_view text) {
  StageAt(flow, i)[key] = boost::json::parse(text);
}

std::vector<std::string> ProblemPaths(const boost::json::value& json) {
  Result<FlowDefinition> result = ParseFlow(json);
  if (result.ok()) return {};
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

// The parsed stage with `id`; the flow must parse.
Stage ParsedStage(const boost::json::value& json, std::string_view id) {
  Result<FlowDefinition> result = ParseFlow(json);
  if (!result.ok()) {
    ADD_FAILURE() << "does not parse: " << result.error().details.size() << " problem(s), first at "
                  << (result.error().details.empty() ? "" : result.error().details[0].path);
    return {};
  }
  const Stage* stage = result->FindStage(id);
  if (stage == nullptr) {
    ADD_FAILURE() << "no stage " << id;
    return {};
  }
  return *stage;
}

// Defaults

TEST(StageOptionsParse, StagesWithoutOptionsTakeTheDefaults) {
  const boost::json::value json = ReportFlow();
  for (std::string_view id : {"draft", "county_review", "city_review", "approved"}) {
    SCOPED_TRACE(id);
    Stage stage = ParsedStage(json, id);
    EXPECT_EQ(stage.approvals.mode, ApprovalMode::kAny);
    EXPECT_THAT(stage.separate_from, IsEmpty());
    EXPECT_FALSE(stage.due_minutes.has_value());
  }
}

// approvals

TEST(StageOptionsParse, ReadsEachApprovalMode) {
  boost::json::value json = ReportFlow();
  SetOption(json, kCountyReview, "approvals", R"({"mode": "all"})");
  SetOption(json, kCityReview, "approvals", R"({"mode": "ratio", "ratio": 0.6})");
  EXPECT_EQ(ParsedStage(json, "county_review").approvals.mode, ApprovalMode::kAll);
  Stage city = ParsedStage(json, "city_review");
  EXPECT_EQ(city.approvals.mode, ApprovalMode::kRatio);
  EXPECT_DOUBLE_EQ(city.approvals.ratio, 0.6);

  SetOption(json, kCountyReview, "approvals", R"({"mode": "any"})");
  EXPECT_EQ(ParsedStage(json, "county_review").approvals.mode, ApprovalMode::kAny);
}

TEST(StageOptionsParse, AcceptsTheWholeShareAsRatio) {
  boost::json::value json = ReportFlow();
  for (std::string_view ratio : {"1", "1.0", "0.001"}) {
    SCOPED_TRACE(ratio);
    SetOption(json, kCountyReview, "approvals",
              R"({"mode": "ratio", "ratio": )" + std::string(ratio) + "}");
    Stage stage = ParsedStage(json, "county_review");
    EXPECT_EQ(stage.approvals.mode, ApprovalMode::kRatio);
    EXPECT_DOUBLE_EQ(stage.approvals.ratio, boost::json::parse(ratio).to_number<double>());
  }
}

TEST(StageOptionsParse, ApprovalsOnlyOnReviewStages) {
  boost::json::value json = ReportFlow();
  SetOption(json, kDraft, "approvals", R"({"mode": "all"})");
  SetOption(json, kApproved, "approvals", R"({"mode": "all"})");
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre("stages[0].approvals", "stages[3].approvals"));
  EXPECT_THAT(MessageAt(json, "stages[0].approvals"), HasSubstr("审核阶段"));
}

TEST(StageOptionsParse, ApprovalsNotOnAVoteStage) {
  boost::json::value json = boost::json::parse(kVoteFlow);
  SetOption(json, 2, "approvals", R"({"mode": "ratio", "ratio": 0.5})");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[2].approvals"));
}

TEST(StageOptionsParse, ApprovalsMustBeAnObject) {
  boost::json::value json = ReportFlow();
  for (std::string_view text : {R"("all")", "[]", "1", "null"}) {
    SCOPED_TRACE(text);
    SetOption(json, kCountyReview, "approvals", text);
    EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].approvals"));
  }
}

TEST(StageOptionsParse, ApprovalModeMustBeAnyAllOrRatio) {
  boost::json::value json = ReportFlow();
  for (std::string_view text : {R"({})", R"({"mode": "majority"})", R"({"mode": "ALL"})",
                                R"({"mode": 2})", R"({"mode": ""})", R"({"ratio": 0.5})"}) {
    SCOPED_TRACE(text);
    SetOption(json, kCountyReview, "approvals", text);
    EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].approvals.mode"));
  }
  SetOption(json, kCountyReview, "approvals", R"({"mode": "majority"})");
  EXPECT_THAT(MessageAt(json, "stages[1].approvals.mode"), HasSubstr("\"majority\""));
}

TEST(StageOptionsParse, RatioModeNeedsAShareAboveZeroUpToOne) {
  boost::json::value json = ReportFlow();
  for (std::string_view text :
       {R"({"mode": "ratio"})", R"({"mode": "ratio", "ratio": 0})",
        R"({"mode": "ratio", "ratio": 0.0})", R"({"mode": "ratio", "ratio": -0.5})",
        R"({"mode": "ratio", "ratio": 1.5})", R"({"mode": "ratio", "ratio": 2})",
        R"({"mode": "ratio", "ratio": "0.5"})", R"({"mode": "ratio", "ratio": true})",
        R"({"mode": "ratio", "ratio": null})"}) {
    SCOPED_TRACE(text);
    SetOption(json, kCountyReview, "approvals", text);
    EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].approvals.ratio"));
  }
}

// separate_from

TEST(StageOptionsParse, ReadsSeparateFrom) {
  boost::json::value json = ReportFlow();
  SetOption(json, kCityReview, "separate_from", R"(["county_review", "draft"])");
  SetOption(json, kCountyReview, "separate_from", "[]");
  EXPECT_THAT(ParsedStage(json, "city_review").separate_from,
              ElementsAre("county_review", "draft"));
  EXPECT_THAT(ParsedStage(json, "county_review").separate_from, IsEmpty());
}

TEST(StageOptionsParse, SeparateFromMustBeAnArray) {
  boost::json::value json = ReportFlow();
  for (std::string_view text : {R"("county_review")", R"({"stage": "county_review"})", "1"}) {
    SCOPED_TRACE(text);
    SetOption(json, kCityReview, "separate_from", text);
    EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[2].separate_from"));
  }
}

TEST(StageOptionsParse, SeparateFromNamesAnotherNonEndStage) {
  boost::json::value json = ReportFlow();
  SetOption(json, kCityReview, "separate_from",
            R"(["county_review", "nowhere", "city_review", "approved"])");
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre("stages[2].separate_from[1]", "stages[2].separate_from[2]",
                                   "stages[2].separate_from[3]"));
  EXPECT_THAT(MessageAt(json, "stages[2].separate_from[1]"), HasSubstr("\"nowhere\""));
  EXPECT_THAT(MessageAt(json, "stages[2].separate_from[2]"), HasSubstr("自身"));
  EXPECT_THAT(MessageAt(json, "stages[2].separate_from[3]"), HasSubstr("终止阶段"));
}

TEST(StageOptionsParse, SeparateFromEntriesMustBeStageIds) {
  boost::json::value json = ReportFlow();
  SetOption(json, kCityReview, "separate_from", R"(["", 3, null, "county_review"])");
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre("stages[2].separate_from[0]", "stages[2].separate_from[1]",
                                   "stages[2].separate_from[2]"));
}

TEST(StageOptionsParse, SeparateFromProblemsKeepTheirIndexAfterAMistypedEntry) {
  boost::json::value json = ReportFlow();
  SetOption(json, kCityReview, "separate_from",
            R"([7, "nowhere", "county_review", "city_review"])");
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre("stages[2].separate_from[0]", "stages[2].separate_from[1]",
                                   "stages[2].separate_from[3]"));
  EXPECT_THAT(MessageAt(json, "stages[2].separate_from[1]"), HasSubstr("\"nowhere\""));
  EXPECT_THAT(MessageAt(json, "stages[2].separate_from[3]"), HasSubstr("自身"));
}

TEST(StageOptionsParse, NoSeparateFromOnAnEndStage) {
  boost::json::value json = ReportFlow();
  SetOption(json, kApproved, "separate_from", R"(["county_review"])");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[3].separate_from"));
}

// due

TEST(StageOptionsParse, ReadsDueInDaysAndHours) {
  boost::json::value json = ReportFlow();
  SetOption(json, kDraft, "due", R"({"hours": 48})");
  SetOption(json, kCountyReview, "due", R"({"days": 5})");
  SetOption(json, kCityReview, "due", R"({"days": 2, "hours": 12})");
  EXPECT_EQ(ParsedStage(json, "draft").due_minutes, 48 * 60);
  EXPECT_EQ(ParsedStage(json, "county_review").due_minutes, 5 * 24 * 60);
  EXPECT_EQ(ParsedStage(json, "city_review").due_minutes, (2 * 24 + 12) * 60);
}

TEST(StageOptionsParse, DueOnAVoteStage) {
  boost::json::value json = boost::json::parse(kVoteFlow);
  SetOption(json, 2, "due", R"({"days": 7})");
  EXPECT_EQ(ParsedStage(json, "vote").due_minutes, 7 * 24 * 60);
}

TEST(StageOptionsParse, DueAmountsArePositiveIntegers) {
  boost::json::value json = ReportFlow();
  for (std::string_view amount : {"0", "-1", "1.5", "\"5\"", "null", "true"}) {
    SCOPED_TRACE(amount);
    SetOption(json, kCountyReview, "due", R"({"days": )" + std::string(amount) + "}");
    EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].due.days"));
    SetOption(json, kCountyReview, "due", R"({"hours": )" + std::string(amount) + "}");
    EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].due.hours"));
  }
}

TEST(StageOptionsParse, DueAmountsHaveAnUpperBoundThatTheMessageNames) {
  boost::json::value json = ReportFlow();
  SetOption(json, kCountyReview, "due", R"({"days": 87600})");
  EXPECT_THAT(ProblemPaths(json), ElementsAre());
  SetOption(json, kCountyReview, "due", R"({"days": 87601})");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].due.days"));
  EXPECT_THAT(MessageAt(json, "stages[1].due.days"), HasSubstr("87600"));
}

TEST(StageOptionsParse, ReportsBothDueAmountsWhenBothAreWrong) {
  boost::json::value json = ReportFlow();
  SetOption(json, kCountyReview, "due", R"({"days": 0, "hours": 2.5})");
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre("stages[1].due.days", "stages[1].due.hours"));
  SetOption(json, kCountyReview, "due", R"({"days": 1, "hours": -3})");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].due.hours"));
}

TEST(StageOptionsParse, DueNeedsDaysOrHours) {
  boost::json::value json = ReportFlow();
  SetOption(json, kCountyReview, "due", "{}");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].due"));
  // Other units are named as unknown, not ignored.
  for (std::string_view unit : {"weeks", "minutes"}) {
    SCOPED_TRACE(unit);
    SetOption(json, kCountyReview, "due", R"({")" + std::string(unit) + R"(": 1})");
    EXPECT_THAT(ProblemPaths(json),
                UnorderedElementsAre("stages[1].due", "stages[1].due." + std::string(unit)));
    SetOption(json, kCountyReview, "due", R"({"days": 1, ")" + std::string(unit) + R"(": 1})");
    EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].due." + std::string(unit)));
  }
}

TEST(StageOptionsParse, MisspeltMembersAreNamedNotIgnored) {
  boost::json::value json = ReportFlow();
  SetOption(json, kCountyReview, "aprovals", R"({"mode": "all"})");
  SetOption(json, kCountyReview, "approvals", R"({"mode": "ratio", "ratio": 0.5, "quorum": 2})");
  StageAt(json, kCountyReview)["actions"].as_object()["approve"].as_object()["validator"] =
      boost::json::parse(R"(["report.complete"])");
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre("stages[1].aprovals", "stages[1].approvals.quorum",
                                   "stages[1].actions.approve.validator"));
  EXPECT_THAT(MessageAt(json, "stages[1].aprovals"), HasSubstr("未知的字段"));
}

TEST(StageOptionsParse, AReportFlowHasNoVoteStage) {
  boost::json::value json = ReportFlow();
  StageAt(json, kCountyReview)["kind"] = "vote";
  EXPECT_THAT(ProblemPaths(json), Contains("stages[1].kind"));
}

TEST(StageOptionsParse, DueMustBeAnObject) {
  boost::json::value json = ReportFlow();
  for (std::string_view text : {R"("5d")", "5", "[5]"}) {
    SCOPED_TRACE(text);
    SetOption(json, kCountyReview, "due", text);
    EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[1].due"));
  }
}

TEST(StageOptionsParse, NoDueOnAnEndStage) {
  boost::json::value json = ReportFlow();
  SetOption(json, kApproved, "due", R"({"days": 1})");
  EXPECT_THAT(ProblemPaths(json), ElementsAre("stages[3].due"));
}

// Everything at once

TEST(StageOptionsParse, ReportsEveryOptionProblemAtOnce) {
  boost::json::value json = ReportFlow();
  SetOption(json, kDraft, "approvals", R"({"mode": "all"})");
  SetOption(json, kDraft, "due", R"({"hours": 0})");
  SetOption(json, kCountyReview, "approvals", R"({"mode": "ratio", "ratio": 1.5})");
  SetOption(json, kCountyReview, "separate_from", R"("city_review")");
  SetOption(json, kCityReview, "approvals", R"({"mode": "most"})");
  SetOption(json, kCityReview, "separate_from",
            R"(["county_review", "nowhere", "city_review", "approved"])");
  SetOption(json, kCityReview, "due", R"({"days": 0, "hours": 2.5})");
  SetOption(json, kApproved, "approvals", R"({"mode": "any"})");
  SetOption(json, kApproved, "separate_from", R"(["draft"])");
  SetOption(json, kApproved, "due", R"({"days": 1})");
  // And one problem outside the options, so they are seen to add up.
  StageAt(json, kCityReview)["actor"].as_object()["role"] = "boss";
  EXPECT_THAT(ProblemPaths(json),
              UnorderedElementsAre(
                  "stages[0].approvals", "stages[0].due.hours", "stages[1].approvals.ratio",
                  "stages[1].separate_from", "stages[2].actor.role", "stages[2].approvals.mode",
                  "stages[2].separate_from[1]", "stages[2].separate_from[2]",
                  "stages[2].separate_from[3]", "stages[2].due.days", "stages[2].due.hours",
                  "stages[3].approvals", "stages[3].separate_from", "stages[3].due"));
}

TEST(StageOptionsParse, AcceptsAFlowUsingEveryOption) {
  boost::json::value json = ReportFlow();
  SetOption(json, kDraft, "due", R"({"days": 10})");
  SetOption(json, kCountyReview, "approvals", R"({"mode": "all"})");
  SetOption(json, kCountyReview, "due", R"({"days": 5})");
  SetOption(json, kCityReview, "approvals", R"({"mode": "ratio", "ratio": 0.6})");
  SetOption(json, kCityReview, "separate_from", R"(["county_review"])");
  SetOption(json, kCityReview, "due", R"({"hours": 72})");
  Result<FlowDefinition> flow = ParseFlow(json);
  ASSERT_TRUE(flow.ok()) << flow.error().details.size() << " problem(s)";
  // The definition as given is kept for GET and export.
  EXPECT_EQ(flow->source, json);
}

}  // namespace
}  // namespace jingsai::engine
