// CheckEdit (who may change an item's content, and when) and IsStageActor
// (whose inbox an item belongs in) over the built-in report flows.

#include <gtest/gtest.h>

#include <string>

#include "engine/transition.h"
#include "tests/engine/flow_fixture.h"

namespace jingsai::engine {
namespace {

using test_support::kCity;
using test_support::kCityDirect;
using test_support::kQianweiA;
using test_support::kShizhong;
using test_support::kShizhongA;
using test_support::kShizhongB;
using test_support::kWorkshop;
using test_support::MakeActor;

std::string EditCode(const Status& status) {
  if (status.ok()) return "<allowed>";
  if (status.error().code == ErrorCode::kInvalidAction) return "invalid_action";
  if (status.error().code == ErrorCode::kForbidden) return "forbidden";
  return "other";
}

class ReportEditing : public test_support::FlowFixture {
 protected:
  ReportEditing() : FlowFixture("report-county.json") {}

  std::string Edit(const Instance& item, const Actor& actor) const {
    return EditCode(CheckEdit(flow_, orgs_, item, actor));
  }
  Instance Draft() const { return NewItem(kShizhongA, unit_submitter_); }
  const Stage& StageNamed(const std::string& id) const {
    const Stage* stage = flow_.FindStage(id);
    EXPECT_NE(stage, nullptr) << id;
    return *stage;
  }
};

TEST_F(ReportEditing, SubmitterEditsOwnUnitsDraft) {
  EXPECT_EQ(Edit(Draft(), unit_submitter_), "<allowed>");
}

TEST_F(ReportEditing, SubmitterEditsAfterReturn) {
  Instance returned =
      Step(Step(Draft(), unit_submitter_, "submit"), shizhong_reviewer_, "return", "请修改");
  EXPECT_EQ(Edit(returned, unit_submitter_), "<allowed>");
}

TEST_F(ReportEditing, OthersMayNotEditTheDraft) {
  EXPECT_EQ(Edit(Draft(), other_unit_submitter_), "forbidden");
  EXPECT_EQ(Edit(Draft(), shizhong_reviewer_), "forbidden");
  EXPECT_EQ(Edit(Draft(), city_reviewer_), "forbidden");
  EXPECT_EQ(Edit(Draft(), MakeActor(70, "county_clerk", {{"submitter", kShizhong}})), "forbidden");
}

TEST_F(ReportEditing, NoEditingOutsideEditStages) {
  Instance in_county = Step(Draft(), unit_submitter_, "submit");
  EXPECT_EQ(Edit(in_county, unit_submitter_), "invalid_action");
  EXPECT_EQ(Edit(in_county, shizhong_reviewer_), "invalid_action");
  Instance in_city = Step(in_county, shizhong_reviewer_, "approve");
  EXPECT_EQ(Edit(in_city, city_reviewer_), "invalid_action");
  Instance approved = Step(in_city, city_reviewer_, "approve");
  EXPECT_EQ(Edit(approved, unit_submitter_), "invalid_action");
}

TEST_F(ReportEditing, DraftBelongsToTheUnitsSubmitter) {
  const Stage& draft = StageNamed("draft");
  EXPECT_TRUE(IsStageActor(draft, unit_submitter_, orgs_, kShizhongA));
  EXPECT_FALSE(IsStageActor(draft, unit_submitter_, orgs_, kShizhongB));
  EXPECT_FALSE(IsStageActor(draft, unit_submitter_, orgs_, kWorkshop));
  EXPECT_FALSE(IsStageActor(draft, shizhong_reviewer_, orgs_, kShizhongA));
}

TEST_F(ReportEditing, CountyReviewBelongsToThatCountysReviewer) {
  const Stage& county = StageNamed("county_review");
  EXPECT_TRUE(IsStageActor(county, shizhong_reviewer_, orgs_, kShizhongA));
  EXPECT_TRUE(IsStageActor(county, shizhong_reviewer_, orgs_, kWorkshop));
  EXPECT_FALSE(IsStageActor(county, shizhong_reviewer_, orgs_, kQianweiA));
  EXPECT_TRUE(IsStageActor(county, qianwei_reviewer_, orgs_, kQianweiA));
  EXPECT_FALSE(IsStageActor(county, city_reviewer_, orgs_, kShizhongA));
  // The submitter may withdraw, but the stage is not theirs to work.
  EXPECT_FALSE(IsStageActor(county, unit_submitter_, orgs_, kShizhongA));
}

TEST_F(ReportEditing, CityReviewBelongsToTheCityReviewer) {
  const Stage& city = StageNamed("city_review");
  EXPECT_TRUE(IsStageActor(city, city_reviewer_, orgs_, kShizhongA));
  EXPECT_TRUE(IsStageActor(city, city_reviewer_, orgs_, kQianweiA));
  EXPECT_TRUE(IsStageActor(city, city_reviewer_, orgs_, kCityDirect));
  EXPECT_FALSE(IsStageActor(city, shizhong_reviewer_, orgs_, kShizhongA));
}

TEST_F(ReportEditing, EndStageBelongsToNoOne) {
  const Stage& approved = StageNamed("approved");
  Actor everything = MakeActor(
      80, "admin",
      {{"reviewer", kCity}, {"submitter", kShizhongA}, {"admin", kCity}, {"reviewer", kShizhong}});
  EXPECT_FALSE(IsStageActor(approved, everything, orgs_, kShizhongA));
}

class CityDirectEditing : public test_support::FlowFixture {
 protected:
  CityDirectEditing() : FlowFixture("report-city-direct.json") {}
};

TEST_F(CityDirectEditing, CityReviewOfDirectUnitIsNotACountysBusiness) {
  const Stage* city = flow_.FindStage("city_review");
  ASSERT_NE(city, nullptr);
  EXPECT_TRUE(IsStageActor(*city, city_reviewer_, orgs_, kCityDirect));
  EXPECT_FALSE(IsStageActor(*city, shizhong_reviewer_, orgs_, kCityDirect));
  EXPECT_FALSE(IsStageActor(*city, direct_submitter_, orgs_, kCityDirect));
}

TEST_F(CityDirectEditing, DirectSubmitterEditsDraftOnlyBeforeSubmit) {
  Instance draft = NewItem(kCityDirect, direct_submitter_);
  EXPECT_TRUE(CheckEdit(flow_, orgs_, draft, direct_submitter_).ok());
  EXPECT_FALSE(CheckEdit(flow_, orgs_, draft, unit_submitter_).ok());
  Instance submitted = Step(draft, direct_submitter_, "submit");
  Status refused = CheckEdit(flow_, orgs_, submitted, direct_submitter_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidAction);
}

}  // namespace
}  // namespace jingsai::engine
