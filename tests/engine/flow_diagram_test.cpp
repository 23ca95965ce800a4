#include "engine/flow_diagram.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/engine/flow_fixture.h"

namespace jingsai::engine {
namespace {

using test_support::BuiltinFlow;

TEST(FlowDiagram, DrawsEveryStageAndActionOfTheCountyFlow) {
  const std::string dot = FlowToDot(BuiltinFlow("report-county.json"));
  EXPECT_EQ(dot.rfind("digraph \"report-county\" {", 0), 0u) << dot;
  EXPECT_NE(dot.find("__start -> \"draft\";"), std::string::npos);
  EXPECT_NE(dot.find("\"draft\" [shape=box, label=\"填报\\n(draft)\\nsubmitter@self\"];"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"draft\" -> \"county_review\" [label=\"submit\"];"), std::string::npos);
  EXPECT_NE(dot.find("\"county_review\" -> \"city_review\" [label=\"approve\"];"),
            std::string::npos);
  EXPECT_NE(dot.find("\"city_review\" -> \"county_review\" [label=\"return\", style=dashed];"),
            std::string::npos);
  EXPECT_NE(dot.find("\"city_review\" -> \"draft\" [label=\"return\", style=dashed];"),
            std::string::npos);
  EXPECT_NE(dot.find("\"approved\" [shape=box, style=\"rounded,bold\", peripheries=2"),
            std::string::npos);
  EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
}

TEST(FlowDiagram, ShowsVoteStagesAndStagePractice) {
  const std::string dot = FlowToDot(BuiltinFlow("commendation.json"));
  EXPECT_NE(dot.find("\"vote\" [shape=hexagon"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"vote\" -> \"commended\" [label=\"pass\"];"), std::string::npos);

  boost::json::value json = boost::json::parse(R"({
    "key": "panel", "title": "会签 \"测试\"", "subject": "report", "start": "draft",
    "stages": [
      {"id": "draft", "kind": "edit", "actor": {"role": "submitter", "scope": "self"},
       "actions": {"submit": {"to": "review"}}},
      {"id": "review", "kind": "review", "title": "审核",
       "actor": {"role": "reviewer", "scope": "county"},
       "approvals": {"mode": "all"}, "due": {"days": 2},
       "actions": {"approve": {"to": "done"}, "return": {"to": ["draft"]}}},
      {"id": "done", "kind": "end", "outcome": "approved"}]})");
  Result<FlowDefinition> flow = ParseFlow(json);
  ASSERT_TRUE(flow.ok()) << flow.error().message;
  const std::string panel = FlowToDot(flow.value());
  EXPECT_NE(panel.find("label=\"会签 \\\"测试\\\"\";"), std::string::npos) << panel;
  EXPECT_NE(panel.find("会签：全部通过\\n时限 48 小时"), std::string::npos) << panel;
}

}  // namespace
}  // namespace jingsai::engine
