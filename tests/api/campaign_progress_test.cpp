// GET /campaigns/{key}/progress: the plan's indicators summed over approved
// reports only, city-wide and per county-level union, against the targets.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/api/evidence_fixture.h"

namespace jingsai::testing::evidence {
namespace {

const std::set<std::string> kCounties{"shizhong", "shawan",   "wutongqiao", "jinkouhe", "qianwei",
                                      "jingyan",  "jiajiang", "muchuan",    "ebian",    "mabian",
                                      "emeishan", "gaoxin",   "jingqu"};

double Number(const boost::json::value& value) { return value.to_number<double>(); }

// The entry for `key` in an "indicators" array (a test failure when absent).
boost::json::object IndicatorOf(const boost::json::value& indicators, const std::string& key) {
  for (const boost::json::value& entry : indicators.as_array()) {
    if (entry.at("key").as_string() == key) return entry.as_object();
  }
  ADD_FAILURE() << "no indicator " << key;
  return {{"actual", nullptr}, {"met", nullptr}, {"target", nullptr}};
}

std::set<std::string> Codes(const boost::json::value& array) {
  std::set<std::string> codes;
  for (const boost::json::value& code : array.as_array())
    codes.insert(std::string(code.as_string()));
  return codes;
}

std::set<std::string> CountiesExcept(std::initializer_list<std::string> codes) {
  std::set<std::string> rest = kCounties;
  for (const std::string& code : codes) rest.erase(code);
  return rest;
}

class CampaignProgress : public ReportApiTest {
 protected:
  boost::json::value Progress() {
    HttpResult progress = Get("city-reviewer", "/api/v1/campaigns/leshan-2014/progress");
    EXPECT_EQ(progress.status, 200) << progress.body;
    return progress.json;
  }

  // The by_county row of `county`.
  static boost::json::value Row(const boost::json::value& progress, const std::string& county) {
    for (const boost::json::value& row : progress.at("by_county").as_array()) {
      if (row.at("org").as_string() == county) return row;
    }
    ADD_FAILURE() << "no by_county row for " << county;
    return {{"org", county}, {"indicators", boost::json::array{}}};
  }

  // Report data claiming one innovation studio; `with` adds more counts.
  static boost::json::object StudioData(const std::string& studio, boost::json::object counts) {
    boost::json::object data = ValidData();
    counts["innovation_studios"] = 1;
    data["indicators"] = std::move(counts);
    data["studios"] = {{{"name", studio}}};
    return data;
  }

  // A report with one studio and its certificate, approved all the way.
  int64_t ApprovedStudioReport(const Unit& unit, const std::string& studio,
                               boost::json::object counts = {}) {
    int64_t id = NewReport(unit, StudioData(studio, std::move(counts)));
    Attach(unit, id, "经验材料.pdf");
    Attach(unit, id, "工作室证书.pdf", "certificate", studio);
    Expect200(unit.submitter, id, "submit");
    if (!unit.county_reviewer.empty()) Expect200(unit.county_reviewer, id, "approve");
    Expect200("city-reviewer", id, "approve");
    return id;
  }
};

TEST_F(CampaignProgress, StartsEmptyWithEveryCountyListed) {
  boost::json::value progress = Progress();
  const boost::json::array& rows = progress.at("by_county").as_array();
  ASSERT_EQ(rows.size(), 13u);
  std::set<std::string> codes;
  for (const boost::json::value& row : rows) {
    codes.insert(std::string(row.at("org").as_string()));
    EXPECT_FALSE(row.at("name").as_string().empty());
  }
  EXPECT_EQ(codes, kCounties);
  EXPECT_EQ(Codes(progress.at("counties_without_studio")), kCounties);

  boost::json::object proposals = IndicatorOf(progress.at("indicators"), "proposals_submitted");
  EXPECT_EQ(Number(proposals.at("actual")), 0);
  EXPECT_EQ(Number(proposals.at("target")), 50000);
  EXPECT_FALSE(proposals.at("met").as_bool());
  EXPECT_FALSE(proposals.at("label").as_string().empty());
  // Nothing to divide by: the rate is unknown, not zero, and not met.
  boost::json::object rate = IndicatorOf(progress.at("indicators"), "proposal_implementation_rate");
  EXPECT_TRUE(rate.at("actual").is_null());
  EXPECT_FALSE(rate.at("met").as_bool());
}

TEST_F(CampaignProgress, OnlyApprovedReportsCount) {
  boost::json::object jiajiang_counts{
      {"proposals_submitted", 1200}, {"proposals_implemented", 700},
      {"tech_innovations", 35},      {"workers_participating", 250000},
      {"units_total", 40},           {"units_competing", 36}};
  boost::json::object transit_counts{{"proposals_submitted", 800},
                                     {"proposals_implemented", 200},
                                     {"workers_participating", 60000},
                                     {"units_total", 10},
                                     {"units_competing", 6}};
  ApprovedStudioReport(kJiajiang, "张明劳模创新工作室", jiajiang_counts);
  boost::json::object transit_data = ValidData();
  transit_data["indicators"] = transit_counts;
  ApprovedReport(kTransit, transit_data);

  // Reports not (yet) approved: in county review, in city review, returned.
  boost::json::object big{{"proposals_submitted", 90000}, {"proposals_implemented", 90000}};
  boost::json::object big_data = ValidData();
  big_data["indicators"] = big;
  int64_t in_county = NewReport(kShizhong, big_data);
  Attach(kShizhong, in_county, "经验材料.pdf");
  Expect200(kShizhong.submitter, in_county, "submit");
  int64_t in_city = NewReport(kJiajiang, big_data);
  Attach(kJiajiang, in_city, "经验材料.pdf");
  Expect200(kJiajiang.submitter, in_city, "submit");
  Expect200(kJiajiang.county_reviewer, in_city, "approve");
  int64_t returned = NewReport(kTransit, big_data);
  Attach(kTransit, returned, "经验材料.pdf");
  Expect200(kTransit.submitter, returned, "submit");
  Expect200("city-reviewer", returned, "return", "数据有误");

  boost::json::value progress = Progress();
  const boost::json::value& city = progress.at("indicators");
  EXPECT_EQ(Number(IndicatorOf(city, "proposals_submitted").at("actual")), 2000);
  EXPECT_EQ(Number(IndicatorOf(city, "proposals_implemented").at("actual")), 900);
  EXPECT_EQ(Number(IndicatorOf(city, "tech_innovations").at("actual")), 35);
  EXPECT_FALSE(IndicatorOf(city, "tech_innovations").at("met").as_bool());
  boost::json::object workers = IndicatorOf(city, "workers_participating");
  EXPECT_EQ(Number(workers.at("actual")), 310000);
  EXPECT_TRUE(workers.at("met").as_bool());
  EXPECT_EQ(Number(IndicatorOf(city, "innovation_studios").at("actual")), 1);
  EXPECT_FALSE(IndicatorOf(city, "innovation_studios").at("met").as_bool());

  // Rates come from the summed counts: 900 / 2000 and 42 / 50.
  boost::json::object implementation = IndicatorOf(city, "proposal_implementation_rate");
  EXPECT_DOUBLE_EQ(Number(implementation.at("actual")), 0.45);
  EXPECT_DOUBLE_EQ(Number(implementation.at("target")), 0.5);
  EXPECT_FALSE(implementation.at("met").as_bool());
  boost::json::object coverage = IndicatorOf(city, "unit_coverage_rate");
  EXPECT_DOUBLE_EQ(Number(coverage.at("actual")), 0.84);
  EXPECT_TRUE(coverage.at("met").as_bool());

  // Jiajiang's row holds its own approved report only; shizhong's is empty;
  // the city-direct unit is in the city totals but in no county's row.
  const boost::json::value jiajiang = Row(progress, "jiajiang").at("indicators");
  EXPECT_EQ(Number(IndicatorOf(jiajiang, "proposals_submitted").at("actual")), 1200);
  EXPECT_EQ(Number(IndicatorOf(jiajiang, "workers_participating").at("actual")), 250000);
  EXPECT_DOUBLE_EQ(Number(IndicatorOf(jiajiang, "proposal_implementation_rate").at("actual")),
                   700.0 / 1200.0);
  EXPECT_TRUE(IndicatorOf(jiajiang, "proposal_implementation_rate").at("met").as_bool());
  EXPECT_DOUBLE_EQ(Number(IndicatorOf(jiajiang, "unit_coverage_rate").at("actual")), 0.9);
  const boost::json::value shizhong = Row(progress, "shizhong").at("indicators");
  EXPECT_EQ(Number(IndicatorOf(shizhong, "proposals_submitted").at("actual")), 0);
  EXPECT_TRUE(IndicatorOf(shizhong, "proposal_implementation_rate").at("actual").is_null());

  double county_sum = 0;
  for (const boost::json::value& row : progress.at("by_county").as_array()) {
    county_sum += Number(IndicatorOf(row.at("indicators"), "proposals_submitted").at("actual"));
  }
  EXPECT_EQ(county_sum, 1200);
}

TEST_F(CampaignProgress, CountiesWithoutStudioShrinkAsStudiosAreApproved) {
  // A studio still under review does not count.
  boost::json::object data = StudioData("市中电力劳模创新工作室", {});
  int64_t pending = NewReport(kShizhong, data);
  Attach(kShizhong, pending, "经验材料.pdf");
  Attach(kShizhong, pending, "证书.pdf", "certificate", "市中电力劳模创新工作室");
  Expect200(kShizhong.submitter, pending, "submit");
  EXPECT_EQ(Codes(Progress().at("counties_without_studio")), kCounties);

  // A city-direct unit's studio counts for the city but for no county.
  ApprovedStudioReport(kTransit, "公交集团技能大师工作室");
  boost::json::value progress = Progress();
  EXPECT_EQ(Codes(progress.at("counties_without_studio")), kCounties);
  EXPECT_EQ(Number(IndicatorOf(progress.at("indicators"), "innovation_studios").at("actual")), 1);

  ApprovedStudioReport(kJiajiang, "张明劳模创新工作室");
  EXPECT_EQ(Codes(Progress().at("counties_without_studio")), CountiesExcept({"jiajiang"}));

  Expect200(kShizhong.county_reviewer, pending, "approve");
  Expect200("city-reviewer", pending, "approve");
  progress = Progress();
  EXPECT_EQ(Codes(progress.at("counties_without_studio")),
            CountiesExcept({"jiajiang", "shizhong"}));
  EXPECT_EQ(Number(IndicatorOf(progress.at("indicators"), "innovation_studios").at("actual")), 3);
  EXPECT_EQ(Number(IndicatorOf(Row(progress, "shizhong").at("indicators"), "innovation_studios")
                       .at("actual")),
            1);
}

TEST_F(CampaignProgress, NeedsATokenAndAKnownCampaign) {
  EXPECT_EQ(server_.Get("/api/v1/campaigns/leshan-2014/progress").status, 401);
  HttpResult unknown = Get("city-reviewer", "/api/v1/campaigns/leshan-2099/progress");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.ErrorCode(), "not_found");
}

}  // namespace
}  // namespace jingsai::testing::evidence
