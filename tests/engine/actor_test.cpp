// The organization tree, scope resolution and visibility, over the small
// hand-built tree of flow_fixture.h.

#include "engine/actor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/org_tree.h"
#include "tests/engine/flow_fixture.h"

namespace jingsai::engine {
namespace {

using test_support::kCity;
using test_support::kCityDirect;
using test_support::kCityDirectSub;
using test_support::kQianwei;
using test_support::kQianweiA;
using test_support::kShizhong;
using test_support::kShizhongA;
using test_support::kShizhongB;
using test_support::kWorkshop;
using test_support::MakeActor;
using ::testing::UnorderedElementsAre;

constexpr int64_t kAllOrgs[] = {kCity,     kShizhong,   kQianwei,  kShizhongA,    kShizhongB,
                                kQianweiA, kCityDirect, kWorkshop, kCityDirectSub};

class OrgTreeTest : public ::testing::Test {
 protected:
  // The orgs `actor` can see, in tree order.
  std::vector<int64_t> Visible(const Actor& actor) const {
    std::vector<int64_t> seen;
    for (int64_t org : kAllOrgs) {
      if (CanSee(actor, tree_, org)) seen.push_back(org);
    }
    return seen;
  }

  OrgTree tree_ = test_support::SampleOrgs();
};

TEST_F(OrgTreeTest, FindsByIdAndCode) {
  ASSERT_NE(tree_.Find(kQianweiA), nullptr);
  EXPECT_EQ(tree_.Find(kQianweiA)->code, "qianwei-a");
  ASSERT_NE(tree_.FindByCode("shizhong"), nullptr);
  EXPECT_EQ(tree_.FindByCode("shizhong")->id, kShizhong);
  EXPECT_EQ(tree_.FindByCode("shizhong")->name, "市中区总工会");
  EXPECT_EQ(tree_.Find(404), nullptr);
  EXPECT_EQ(tree_.FindByCode("nowhere"), nullptr);
}

TEST_F(OrgTreeTest, RootIsTheOrgWithoutParent) {
  ASSERT_NE(tree_.Root(), nullptr);
  EXPECT_EQ(tree_.Root()->id, kCity);
  EXPECT_EQ(OrgTree().Root(), nullptr);
}

TEST_F(OrgTreeTest, ChildrenAreTheDirectChildrenOnly) {
  std::vector<int64_t> ids;
  for (const Org* child : tree_.Children(kCity)) ids.push_back(child->id);
  EXPECT_THAT(ids, UnorderedElementsAre(kShizhong, kQianwei, kCityDirect));
  EXPECT_TRUE(tree_.Children(kWorkshop).empty());
}

TEST_F(OrgTreeTest, PathOfListsIdsFromTheRoot) {
  EXPECT_EQ(tree_.PathOf(kCity), "/1/");
  EXPECT_EQ(tree_.PathOf(kShizhong), "/1/2/");
  EXPECT_EQ(tree_.PathOf(kQianweiA), "/1/3/6/");
  EXPECT_EQ(tree_.PathOf(kWorkshop), "/1/2/4/8/");
  EXPECT_EQ(tree_.PathOf(kCityDirectSub), "/1/7/9/");
}

TEST_F(OrgTreeTest, ContainsSelfAndDescendants) {
  EXPECT_TRUE(tree_.Contains(kShizhongA, kShizhongA));
  EXPECT_TRUE(tree_.Contains(kShizhong, kShizhongA));
  EXPECT_TRUE(tree_.Contains(kShizhong, kWorkshop));
  for (int64_t org : kAllOrgs) EXPECT_TRUE(tree_.Contains(kCity, org)) << org;
}

TEST_F(OrgTreeTest, ContainsNothingOutsideTheSubtree) {
  EXPECT_FALSE(tree_.Contains(kShizhongA, kShizhong));  // not upwards
  EXPECT_FALSE(tree_.Contains(kShizhong, kQianweiA));   // not sideways
  EXPECT_FALSE(tree_.Contains(kShizhongB, kWorkshop));  // not a sibling's child
  EXPECT_FALSE(tree_.Contains(kShizhong, kCityDirect));
  EXPECT_FALSE(tree_.Contains(kShizhong, 404));
}

TEST_F(OrgTreeTest, CountyScopeIsTheCountyAncestorOrSelf) {
  EXPECT_EQ(tree_.CountyScopeOf(kShizhongA), kShizhong);
  EXPECT_EQ(tree_.CountyScopeOf(kWorkshop), kShizhong);
  EXPECT_EQ(tree_.CountyScopeOf(kQianweiA), kQianwei);
  EXPECT_EQ(tree_.CountyScopeOf(kShizhong), kShizhong);
}

TEST_F(OrgTreeTest, CountyScopeWithoutCountyIsTheRoot) {
  EXPECT_EQ(tree_.CountyScopeOf(kCityDirect), kCity);
  EXPECT_EQ(tree_.CountyScopeOf(kCityDirectSub), kCity);
  EXPECT_EQ(tree_.CountyScopeOf(kCity), kCity);
}

TEST_F(OrgTreeTest, CityDirectMeansNoCountyInBetween) {
  EXPECT_TRUE(tree_.IsCityDirect(kCityDirect));
  EXPECT_TRUE(tree_.IsCityDirect(kCityDirectSub));
  EXPECT_TRUE(tree_.IsCityDirect(kShizhong));  // a county union reports to the city
  EXPECT_TRUE(tree_.IsCityDirect(kQianwei));
  EXPECT_FALSE(tree_.IsCityDirect(kShizhongA));
  EXPECT_FALSE(tree_.IsCityDirect(kWorkshop));
  EXPECT_FALSE(tree_.IsCityDirect(kQianweiA));
  EXPECT_FALSE(tree_.IsCityDirect(kCity));
  EXPECT_FALSE(tree_.IsCityDirect(404));
}

TEST_F(OrgTreeTest, LevelNamesRoundTrip) {
  for (OrgLevel level : {OrgLevel::kCity, OrgLevel::kCounty, OrgLevel::kUnit}) {
    EXPECT_EQ(ParseOrgLevel(OrgLevelName(level)), level);
  }
  EXPECT_EQ(ParseOrgLevel("province"), std::nullopt);
  EXPECT_EQ(ParseOrgLevel("City"), std::nullopt);
}

TEST_F(OrgTreeTest, ResolveSelfScopeIsTheItemsOrg) {
  for (int64_t org : kAllOrgs) EXPECT_EQ(ResolveScope(Scope::kSelf, tree_, org), org);
}

TEST_F(OrgTreeTest, ResolveCountyScope) {
  EXPECT_EQ(ResolveScope(Scope::kCounty, tree_, kShizhongA), kShizhong);
  EXPECT_EQ(ResolveScope(Scope::kCounty, tree_, kWorkshop), kShizhong);
  EXPECT_EQ(ResolveScope(Scope::kCounty, tree_, kQianweiA), kQianwei);
  EXPECT_EQ(ResolveScope(Scope::kCounty, tree_, kCityDirect), kCity);
  EXPECT_EQ(ResolveScope(Scope::kCounty, tree_, kCityDirectSub), kCity);
}

TEST_F(OrgTreeTest, ResolveCityScopeIsAlwaysTheRoot) {
  for (int64_t org : kAllOrgs) EXPECT_EQ(ResolveScope(Scope::kCity, tree_, org), kCity);
}

TEST_F(OrgTreeTest, ScopeNamesRoundTrip) {
  for (Scope scope : {Scope::kSelf, Scope::kCounty, Scope::kCity}) {
    EXPECT_EQ(ParseScope(ScopeName(scope)), scope);
  }
  EXPECT_EQ(ParseScope("province"), std::nullopt);
  EXPECT_EQ(ParseScope(""), std::nullopt);
}

TEST_F(OrgTreeTest, KnownRoles) {
  for (const char* role : {"submitter", "reviewer", "voter", "admin"}) {
    EXPECT_TRUE(IsKnownRole(role)) << role;
  }
  EXPECT_FALSE(IsKnownRole("superuser"));
  EXPECT_FALSE(IsKnownRole("Reviewer"));
}

TEST_F(OrgTreeTest, HoldsAtNeedsRoleAndOrgTogether) {
  Actor actor = MakeActor(1, "a", {{"reviewer", kShizhong}, {"submitter", kShizhongA}});
  EXPECT_TRUE(actor.HoldsAt("reviewer", kShizhong));
  EXPECT_TRUE(actor.HoldsAt("submitter", kShizhongA));
  EXPECT_FALSE(actor.HoldsAt("reviewer", kShizhongA));
  EXPECT_FALSE(actor.HoldsAt("submitter", kShizhong));
  EXPECT_TRUE(actor.HasRole("reviewer"));
  EXPECT_FALSE(actor.HasRole("voter"));
}

TEST_F(OrgTreeTest, MayActOnlyAtTheResolvedOrg) {
  Actor county = MakeActor(1, "county", {{"reviewer", kShizhong}});
  Actor city = MakeActor(2, "city", {{"reviewer", kCity}});
  EXPECT_TRUE(MayAct(county, "reviewer", Scope::kCounty, tree_, kWorkshop));
  EXPECT_FALSE(MayAct(county, "reviewer", Scope::kCounty, tree_, kQianweiA));
  EXPECT_FALSE(MayAct(county, "reviewer", Scope::kCity, tree_, kShizhongA));
  EXPECT_FALSE(MayAct(county, "voter", Scope::kCounty, tree_, kShizhongA));
  // A role at the root does not reach down into a county's stage...
  EXPECT_FALSE(MayAct(city, "reviewer", Scope::kCounty, tree_, kShizhongA));
  // ...except for a city-direct unit, whose county scope is the city.
  EXPECT_TRUE(MayAct(city, "reviewer", Scope::kCounty, tree_, kCityDirect));
  EXPECT_TRUE(MayAct(city, "reviewer", Scope::kCity, tree_, kQianweiA));
}

TEST_F(OrgTreeTest, CountyRoleSeesItsSubtreeOnly) {
  Actor county = MakeActor(1, "county", {{"reviewer", kShizhong}});
  EXPECT_THAT(Visible(county),
              ::testing::ElementsAre(kShizhong, kShizhongA, kShizhongB, kWorkshop));
}

TEST_F(OrgTreeTest, CityRoleSeesEverything) {
  Actor city = MakeActor(1, "city", {{"voter", kCity}});
  EXPECT_EQ(Visible(city), std::vector<int64_t>(std::begin(kAllOrgs), std::end(kAllOrgs)));
}

TEST_F(OrgTreeTest, UnitRoleSeesItsUnitAndBelow) {
  Actor unit = MakeActor(1, "unit", {{"submitter", kShizhongA}});
  EXPECT_THAT(Visible(unit), ::testing::ElementsAre(kShizhongA, kWorkshop));
  Actor direct = MakeActor(2, "direct", {{"submitter", kCityDirect}});
  EXPECT_THAT(Visible(direct), ::testing::ElementsAre(kCityDirect, kCityDirectSub));
}

TEST_F(OrgTreeTest, SeveralRolesSeeTheUnionOfSubtrees) {
  Actor actor = MakeActor(1, "two", {{"submitter", kShizhongB}, {"reviewer", kQianwei}});
  EXPECT_THAT(Visible(actor), ::testing::ElementsAre(kQianwei, kShizhongB, kQianweiA));
}

TEST_F(OrgTreeTest, NoRolesSeeNothing) {
  EXPECT_TRUE(Visible(MakeActor(1, "nobody", {})).empty());
  EXPECT_FALSE(CanSee(MakeActor(2, "city", {{"reviewer", kCity}}), tree_, 404));
}

}  // namespace
}  // namespace jingsai::engine
