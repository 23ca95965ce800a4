#include "engine/progress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/engine/campaign_fixture.h"

namespace jingsai::engine {
namespace {

using ::testing::ElementsAre;

constexpr int64_t kCity = 1;
constexpr int64_t kShizhong = 2;
constexpr int64_t kShawan = 3;
constexpr int64_t kWutongqiao = 4;

// The city, three counties with a unit each, and a city-direct unit.
OrgTree Orgs() {
  OrgTree orgs;
  orgs.Add({kCity, "leshan", "乐山市总工会", OrgLevel::kCity, std::nullopt});
  orgs.Add({kShizhong, "shizhong", "市中区总工会", OrgLevel::kCounty, kCity});
  orgs.Add({kShawan, "shawan", "沙湾区总工会", OrgLevel::kCounty, kCity});
  orgs.Add({kWutongqiao, "wutongqiao", "五通桥区总工会", OrgLevel::kCounty, kCity});
  orgs.Add({10, "shizhong-power", "市中区供电公司工会", OrgLevel::kUnit, kShizhong});
  orgs.Add({11, "shawan-steel", "沙湾钢铁厂工会", OrgLevel::kUnit, kShawan});
  orgs.Add({12, "city-transit", "市公交公司工会", OrgLevel::kUnit, kCity});
  return orgs;
}

class Progress : public ::testing::Test {
 protected:
  void Add(int64_t scope, std::string_view data) {
    AddReportCounts(campaign_, boost::json::parse(data), by_scope_[scope]);
  }

  boost::json::object Build() { return BuildProgress(campaign_, orgs_, by_scope_); }

  static const boost::json::object& Entry(const boost::json::value& indicators,
                                          std::string_view key) {
    for (const boost::json::value& entry : indicators.as_array()) {
      if (entry.at("key").as_string() == key) return entry.as_object();
    }
    ADD_FAILURE() << "no indicator " << key << " in " << boost::json::serialize(indicators);
    static const boost::json::object kMissing;
    return kMissing;
  }

  static const boost::json::object& County(const boost::json::object& progress,
                                           std::string_view code) {
    for (const boost::json::value& row : progress.at("by_county").as_array()) {
      if (row.at("org").as_string() == code) return row.as_object();
    }
    ADD_FAILURE() << "no county " << code;
    static const boost::json::object kMissing;
    return kMissing;
  }

  // The usual data set: two reports in shizhong, one in shawan, none in
  // wutongqiao, one from the city-direct unit.
  void AddReports() {
    Add(kShizhong, R"({"indicators": {"proposals_submitted": 100, "proposals_implemented": 40,
                                       "innovation_studios": 1, "inventions": 5}})");
    Add(kShizhong, R"({"indicators": {"proposals_submitted": 60, "proposals_implemented": 30,
                                       "inventions": 2}})");
    Add(kShawan, R"({"indicators": {"proposals_submitted": 40, "proposals_implemented": 10,
                                     "workers_participating": 1000}})");
    Add(kCity, R"({"indicators": {"innovation_studios": 2, "proposals_submitted": 0}})");
  }

  Campaign campaign_ = test_support::BuiltinCampaign();
  OrgTree orgs_ = Orgs();
  std::map<int64_t, IndicatorTotals> by_scope_;
};

TEST_F(Progress, AddReportCountsSumsWholeCountsOfKnownIndicators) {
  IndicatorTotals totals;
  AddReportCounts(campaign_,
                  boost::json::parse(R"({"indicators": {"inventions": 3, "skill_leaders": 0}})"),
                  totals);
  AddReportCounts(campaign_, boost::json::parse(R"({"indicators": {"inventions": 4.0}})"), totals);
  EXPECT_EQ(totals, (IndicatorTotals{{"inventions", 7}, {"skill_leaders", 0}}));
}

TEST_F(Progress, AddReportCountsIgnoresWhatIsNotACount) {
  IndicatorTotals totals{{"inventions", 1}};
  AddReportCounts(campaign_, boost::json::parse(R"({"indicators": {
      "inventions": -5, "patent_applications": 2.5, "skill_leaders": "7",
      "advanced_methods": true, "energy_supervisors": null, "bogus": 9,
      "proposal_implementation_rate": 1}})"),
                  totals);
  EXPECT_EQ(totals, (IndicatorTotals{{"inventions", 1}}));
  // Reports without an indicators object add nothing.
  for (const char* data : {"{}", "null", "[]", R"({"indicators": [1, 2]})"}) {
    AddReportCounts(campaign_, boost::json::parse(data), totals);
  }
  EXPECT_EQ(totals, (IndicatorTotals{{"inventions", 1}}));
}

TEST_F(Progress, CityTotalsSumEveryScope) {
  AddReports();
  boost::json::object progress = Build();
  EXPECT_EQ(progress.at("campaign"), "leshan-2014");
  const boost::json::value& city = progress.at("indicators");
  // One entry per indicator of the campaign, in the campaign's order.
  ASSERT_EQ(city.as_array().size(), campaign_.indicators.size());
  EXPECT_EQ(city.as_array()[0].at("key").as_string(), campaign_.indicators[0].key);

  // 100 + 60 + 40 + 0 submitted; 40 + 30 + 10 implemented.
  EXPECT_EQ(Entry(city, "proposals_submitted").at("actual"), 200);
  EXPECT_EQ(Entry(city, "proposals_implemented").at("actual"), 80);
  EXPECT_EQ(Entry(city, "inventions").at("actual"), 7);
  EXPECT_EQ(Entry(city, "innovation_studios").at("actual"), 3);
  EXPECT_EQ(Entry(city, "workers_participating").at("actual"), 1000);
  EXPECT_EQ(Entry(city, "skill_leaders").at("actual"), 0);
}

TEST_F(Progress, RatesComeFromSummedCounts) {
  AddReports();
  boost::json::object progress = Build();
  const boost::json::object& rate =
      Entry(progress.at("indicators"), "proposal_implementation_rate");
  EXPECT_EQ(rate.at("numerator"), 80);
  EXPECT_EQ(rate.at("denominator"), 200);
  // 80 / 200, not the mean of the counties' rates (0.4375, 0.25).
  EXPECT_DOUBLE_EQ(rate.at("actual").as_double(), 0.4);
  EXPECT_DOUBLE_EQ(rate.at("target").as_double(), 0.5);
  EXPECT_EQ(rate.at("met"), false);
  EXPECT_EQ(rate.at("unit"), "%");
  EXPECT_EQ(rate.at("label"), "合理化建议实施率");
}

TEST_F(Progress, RateWithNothingToDivideByIsUnknownAndNotMet) {
  AddReports();
  boost::json::object progress = Build();
  const boost::json::object& rate = Entry(progress.at("indicators"), "unit_coverage_rate");
  EXPECT_EQ(rate.at("numerator"), 0);
  EXPECT_EQ(rate.at("denominator"), 0);
  EXPECT_TRUE(rate.at("actual").is_null());
  EXPECT_EQ(rate.at("met"), false);
}

TEST_F(Progress, TargetsMetAtOrAboveAndNotBelow) {
  Add(kShizhong, R"({"indicators": {"proposals_submitted": 50, "proposals_implemented": 25,
                                     "innovation_studios": 18, "skill_leaders": 601,
                                     "inventions": 199, "units_total": 10, "units_competing": 9}})");
  // The plan wants a studio in every county as well as twenty in all.
  Add(kShawan, R"({"indicators": {"innovation_studios": 1}})");
  Add(kWutongqiao, R"({"indicators": {"innovation_studios": 1}})");
  boost::json::object progress = Build();
  const boost::json::value& city = progress.at("indicators");
  EXPECT_EQ(Entry(city, "proposal_implementation_rate").at("met"), true);  // 25/50 = 0.5
  EXPECT_DOUBLE_EQ(Entry(city, "proposal_implementation_rate").at("actual").as_double(), 0.5);
  EXPECT_EQ(Entry(city, "innovation_studios").at("met"), true);    // 20 of 20
  EXPECT_EQ(Entry(city, "skill_leaders").at("met"), true);         // 601 of 600
  EXPECT_EQ(Entry(city, "inventions").at("met"), false);           // 199 of 200
  EXPECT_EQ(Entry(city, "proposals_submitted").at("met"), false);  // 50 of 50000
  EXPECT_EQ(Entry(city, "unit_coverage_rate").at("met"), true);    // 9/10 of 0.8
  EXPECT_DOUBLE_EQ(Entry(city, "unit_coverage_rate").at("actual").as_double(), 0.9);
}

TEST_F(Progress, IndicatorsWithoutTargetHaveNoVerdict) {
  AddReports();
  boost::json::object progress = Build();
  const boost::json::object& entry = Entry(progress.at("indicators"), "proposals_implemented");
  EXPECT_TRUE(entry.at("target").is_null());
  EXPECT_TRUE(entry.at("met").is_null());
  EXPECT_EQ(entry.at("actual"), 80);
}

TEST_F(Progress, ByCountyHasOneRowPerCountyInTreeOrder) {
  AddReports();
  boost::json::object progress = Build();
  std::vector<std::string> codes;
  for (const boost::json::value& row : progress.at("by_county").as_array()) {
    codes.push_back(std::string(row.at("org").as_string()));
  }
  // The city-direct unit's scope (the root) is not a county row.
  EXPECT_THAT(codes, ElementsAre("shizhong", "shawan", "wutongqiao"));
  EXPECT_EQ(County(progress, "shawan").at("name"), "沙湾区总工会");
}

TEST_F(Progress, ByCountyRowsSumOnlyTheirOwnReports) {
  AddReports();
  boost::json::object progress = Build();

  const boost::json::value& shizhong = County(progress, "shizhong").at("indicators");
  EXPECT_EQ(Entry(shizhong, "proposals_submitted").at("actual"), 160);
  EXPECT_EQ(Entry(shizhong, "inventions").at("actual"), 7);
  const boost::json::object& shizhong_rate = Entry(shizhong, "proposal_implementation_rate");
  EXPECT_DOUBLE_EQ(shizhong_rate.at("actual").as_double(), 70.0 / 160.0);
  EXPECT_EQ(shizhong_rate.at("met"), false);  // 0.4375 < 0.5

  const boost::json::value& shawan = County(progress, "shawan").at("indicators");
  EXPECT_EQ(Entry(shawan, "proposals_submitted").at("actual"), 40);
  EXPECT_EQ(Entry(shawan, "workers_participating").at("actual"), 1000);
  EXPECT_DOUBLE_EQ(Entry(shawan, "proposal_implementation_rate").at("actual").as_double(), 0.25);

  const boost::json::value& wutongqiao = County(progress, "wutongqiao").at("indicators");
  EXPECT_EQ(Entry(wutongqiao, "proposals_submitted").at("actual"), 0);
  EXPECT_TRUE(Entry(wutongqiao, "proposal_implementation_rate").at("actual").is_null());
  // Targets are the city's, repeated for reference.
  EXPECT_EQ(Entry(wutongqiao, "inventions").at("target"), 200.0);
}

TEST_F(Progress, CountiesWithoutAStudioAreListed) {
  AddReports();
  // Shizhong has one; the city-direct unit's two do not count for any county.
  EXPECT_EQ(Build().at("counties_without_studio"),
            boost::json::parse(R"(["shawan", "wutongqiao"])"));

  Add(kShawan, R"({"indicators": {"innovation_studios": 1}})");
  Add(kWutongqiao, R"({"indicators": {"innovation_studios": 3}})");
  EXPECT_TRUE(Build().at("counties_without_studio").as_array().empty());
}

TEST_F(Progress, AMinimumInEveryCountyHoldsBackTheCitysVerdict) {
  // Twenty studios in all, but two counties have none: not met.
  Add(kShizhong, R"({"indicators": {"innovation_studios": 20}})");
  boost::json::value studios = Entry(Build().at("indicators"), "innovation_studios");
  EXPECT_EQ(studios.at("actual"), 20);
  EXPECT_EQ(studios.at("met"), false);
  EXPECT_EQ(studios.at("counties_below_minimum"),
            boost::json::parse(R"(["shawan", "wutongqiao"])"));
  Add(kShawan, R"({"indicators": {"innovation_studios": 1}})");
  Add(kWutongqiao, R"({"indicators": {"innovation_studios": 1}})");
  studios = Entry(Build().at("indicators"), "innovation_studios");
  EXPECT_EQ(studios.at("met"), true);
  EXPECT_TRUE(studios.at("counties_below_minimum").as_array().empty());
  // Indicators without such a minimum carry no such list.
  EXPECT_FALSE(Entry(Build().at("indicators"), "inventions").contains("counties_below_minimum"));
}

TEST_F(Progress, TotalsNeverWrapAround) {
  Add(kShizhong, R"({"indicators": {"workers_participating": 5000000000000000000}})");
  Add(kShawan, R"({"indicators": {"workers_participating": 5000000000000000000}})");
  EXPECT_EQ(Entry(Build().at("indicators"), "workers_participating").at("actual"),
            std::numeric_limits<int64_t>::max());
}

TEST_F(Progress, NothingApprovedYet) {
  boost::json::object progress = Build();
  EXPECT_EQ(Entry(progress.at("indicators"), "inventions").at("actual"), 0);
  EXPECT_EQ(Entry(progress.at("indicators"), "inventions").at("met"), false);
  EXPECT_EQ(progress.at("by_county").as_array().size(), 3u);
  EXPECT_EQ(progress.at("counties_without_studio"),
            boost::json::parse(R"(["shizhong", "shawan", "wutongqiao"])"));
}

TEST_F(Progress, EmptyOrgTreeHasNoCountyRows) {
  AddReports();
  boost::json::object progress = BuildProgress(campaign_, OrgTree{}, by_scope_);
  EXPECT_TRUE(progress.at("by_county").as_array().empty());
  EXPECT_TRUE(progress.at("counties_without_studio").as_array().empty());
  EXPECT_EQ(Entry(progress.at("indicators"), "proposals_submitted").at("actual"), 200);
}

TEST_F(Progress, CeilingTargetIsMetAtOrBelow) {
  boost::json::value json = test_support::BuiltinCampaignJson();
  for (boost::json::value& indicator : json.at("indicators").as_array()) {
    if (indicator.at("key") == "energy_supervisors") {
      indicator.as_object()["target_is_minimum"] = false;
    }
  }
  Result<Campaign> parsed = ParseCampaign(json);
  ASSERT_TRUE(parsed.ok());
  campaign_ = std::move(parsed).value();

  Add(kShizhong, R"({"indicators": {"energy_supervisors": 500}})");
  EXPECT_EQ(Entry(Build().at("indicators"), "energy_supervisors").at("met"), true);
  Add(kShawan, R"({"indicators": {"energy_supervisors": 1}})");
  EXPECT_EQ(Entry(Build().at("indicators"), "energy_supervisors").at("met"), false);
}

}  // namespace
}  // namespace jingsai::engine
