// Test helpers for the state machine and actor tests: the built-in report
// flows, a small hand-built organization tree, actors, and a fixture that
// applies commands to an item.
//
// The tree (ids in brackets):
//   乐山市总工会 [1] city
//   ├── 市中区总工会 [2] county
//   │   ├── 市中区甲单位 [4] unit
//   │   │   └── 甲单位一车间 [8] unit
//   │   └── 市中区乙单位 [5] unit
//   ├── 犍为县总工会 [3] county
//   │   └── 犍为县甲单位 [6] unit
//   └── 市直甲单位 [7] unit (city-direct)
//       └── 市直甲单位机关 [9] unit
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/actor.h"
#include "engine/campaign.h"
#include "engine/flow.h"
#include "engine/org_tree.h"
#include "engine/transition.h"
#include "tests/engine/campaign_fixture.h"
#include "workflows/builtin.h"

namespace jingsai::engine::test_support {

inline constexpr int64_t kCity = 1;
inline constexpr int64_t kShizhong = 2;
inline constexpr int64_t kQianwei = 3;
inline constexpr int64_t kShizhongA = 4;
inline constexpr int64_t kShizhongB = 5;
inline constexpr int64_t kQianweiA = 6;
inline constexpr int64_t kCityDirect = 7;
inline constexpr int64_t kWorkshop = 8;       // below kShizhongA
inline constexpr int64_t kCityDirectSub = 9;  // below kCityDirect

inline FlowDefinition BuiltinFlow(std::string_view file_name) {
  for (const workflows::BuiltinFile& file : workflows::BuiltinFiles()) {
    if (file.name != file_name) continue;
    Result<FlowDefinition> flow = ParseFlow(boost::json::parse(file.contents));
    if (!flow.ok()) {
      ADD_FAILURE() << file_name << " does not parse: " << flow.error().message;
      return {};
    }
    return std::move(flow).value();
  }
  ADD_FAILURE() << file_name << " is not among the built-in files";
  return {};
}

// A definition written inline by a test; it must parse.
inline FlowDefinition FlowFromText(std::string_view text) {
  Result<FlowDefinition> flow = ParseFlow(boost::json::parse(text));
  if (!flow.ok()) {
    std::string problems;
    for (const Detail& detail : flow.error().details) {
      problems += "\n  " + detail.path + ": " + detail.message;
    }
    ADD_FAILURE() << "the test flow does not parse:" << problems;
    return {};
  }
  return std::move(flow).value();
}

inline OrgTree SampleOrgs() {
  OrgTree tree;
  tree.Add({kCity, "leshan", "乐山市总工会", OrgLevel::kCity, std::nullopt});
  tree.Add({kShizhong, "shizhong", "市中区总工会", OrgLevel::kCounty, kCity});
  tree.Add({kQianwei, "qianwei", "犍为县总工会", OrgLevel::kCounty, kCity});
  tree.Add({kShizhongA, "shizhong-a", "市中区甲单位", OrgLevel::kUnit, kShizhong});
  tree.Add({kShizhongB, "shizhong-b", "市中区乙单位", OrgLevel::kUnit, kShizhong});
  tree.Add({kQianweiA, "qianwei-a", "犍为县甲单位", OrgLevel::kUnit, kQianwei});
  tree.Add({kCityDirect, "city-direct", "市直甲单位", OrgLevel::kUnit, kCity});
  tree.Add({kWorkshop, "shizhong-a-1", "甲单位一车间", OrgLevel::kUnit, kShizhongA});
  tree.Add({kCityDirectSub, "city-direct-1", "市直甲单位机关", OrgLevel::kUnit, kCityDirect});
  return tree;
}

inline Actor MakeActor(int64_t user_id, std::string username, std::vector<RoleBinding> roles) {
  return Actor{user_id, std::move(username), std::move(roles)};
}

// Enough for report.complete: one count and a narrative of over 20 characters.
inline boost::json::value ValidReport() {
  return boost::json::parse(R"({"indicators": {"proposals_submitted": 120,
                                                "proposals_implemented": 60},
                                "competitions": ["tech_innovation"],
                                "narrative": "本单位全年组织开展劳动竞赛活动，职工参与踊跃，成效显著。"})");
}

// Applies commands of one flow to items of the sample tree.
class FlowFixture : public ::testing::Test {
 protected:
  explicit FlowFixture(std::string_view flow_file) : flow_(BuiltinFlow(flow_file)) {}
  explicit FlowFixture(FlowDefinition flow) : flow_(std::move(flow)) {}

  Instance NewItem(int64_t org, const Actor& creator) const {
    Instance item;
    item.id = 42;
    item.org_id = org;
    item.created_by = creator.user_id;
    item.stage = flow_.start;
    item.status = "draft";
    item.version = 1;
    item.data = ValidReport();
    return item;
  }

  Result<Transition> Do(const Instance& item, const Actor& actor, std::string action,
                        std::string comment = "", std::string to = "") const {
    TransitionContext context{&flow_, &orgs_, &campaign_, &evidence_, now_};
    return Apply(context, item, Command{std::move(action), std::move(comment), std::move(to)},
                 actor);
  }

  // Applies a command that must succeed and returns the item after it.
  Instance Step(const Instance& item, const Actor& actor, std::string action,
                std::string comment = "", std::string to = "") const {
    Result<Transition> moved = Do(item, actor, action, std::move(comment), std::move(to));
    if (!moved.ok()) {
      ADD_FAILURE() << action << " at " << item.stage << " by " << actor.username
                    << " was refused: " << moved.error().message;
      return item;
    }
    return std::move(moved).value().next;
  }

  FlowDefinition flow_;
  OrgTree orgs_ = SampleOrgs();
  Campaign campaign_ = BuiltinCampaign();
  // The built-in flows require at least one document on every report.
  std::vector<EvidenceInfo> evidence_ = {
      {std::string(64, 'a'), "总结.pdf", "document", "", "application/pdf", 2048}};
  TimePoint now_ = BuiltinDeadline() - std::chrono::hours{24 * 30};

  Actor unit_submitter_ = MakeActor(10, "sz_a_clerk", {{"submitter", kShizhongA}});
  Actor other_unit_submitter_ = MakeActor(11, "sz_b_clerk", {{"submitter", kShizhongB}});
  Actor direct_submitter_ = MakeActor(12, "direct_clerk", {{"submitter", kCityDirect}});
  Actor shizhong_reviewer_ = MakeActor(20, "sz_reviewer", {{"reviewer", kShizhong}});
  Actor qianwei_reviewer_ = MakeActor(21, "qw_reviewer", {{"reviewer", kQianwei}});
  Actor city_reviewer_ = MakeActor(30, "city_reviewer", {{"reviewer", kCity}});
};

// The error code of a refused move, or a note that it was not refused.
inline std::string CodeName(const Result<Transition>& result) {
  if (result.ok()) return "<allowed>";
  switch (result.error().code) {
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kInvalidAction:
      return "invalid_action";
    case ErrorCode::kValidationFailed:
      return "validation_failed";
    case ErrorCode::kInternal:
      return "internal";
    default:
      return "other";
  }
}

}  // namespace jingsai::engine::test_support
