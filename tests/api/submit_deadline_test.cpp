// campaign.deadline under the 2014 campaign's "flag" policy: reports are due
// by the end of 2014-10-20 in Asia/Shanghai; a later one goes through, marked late.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "tests/api/evidence_fixture.h"

namespace jingsai::testing::evidence {
namespace {

using namespace std::chrono_literals;

// 2014-10-20 23:59:59 in Shanghai (UTC+8): the last second that is on time.
TestServer::Options LastSecondOnTime() {
  TestServer::Options options;
  options.fixed_time = engine::TimePoint{std::chrono::sys_days{std::chrono::year{2014} /
                                                               std::chrono::October / 20}} +
                       15h + 59min + 59s;
  return options;
}

class SubmitDeadline : public ReportApiTest {
 protected:
  SubmitDeadline() : ReportApiTest(LastSecondOnTime()) {}

  int64_t DocumentedReport(const Unit& unit) {
    int64_t id = NewReport(unit);
    Attach(unit, id, "经验材料.pdf");
    return id;
  }
};

TEST_F(SubmitDeadline, CampaignStatesItsDeadlineAndPolicy) {
  HttpResult campaign = Get("city-reviewer", "/api/v1/campaigns/leshan-2014");
  ASSERT_EQ(campaign.status, 200) << campaign.body;
  EXPECT_EQ(campaign.json.at("deadline").as_string(), "2014-10-20");
  EXPECT_EQ(campaign.json.at("timezone").as_string(), "Asia/Shanghai");
  EXPECT_EQ(campaign.json.at("late_policy").as_string(), "flag");
}

TEST_F(SubmitDeadline, ReportSubmittedBeforeTheDeadlineIsNotLate) {
  int64_t id = DocumentedReport(kJiajiang);
  HttpResult submitted = Act(kJiajiang.submitter, id, "submit");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_FALSE(submitted.json.at("late").as_bool());
  EXPECT_EQ(submitted.json.at("submitted_at").as_string(), "2014-10-20T15:59:59.000Z");
  EXPECT_FALSE(Get("city-reviewer", ReportPath(id)).json.at("late").as_bool());
}

TEST_F(SubmitDeadline, ReportSubmittedAfterTheDeadlineIsAcceptedAndFlagged) {
  int64_t county = DocumentedReport(kJiajiang);
  int64_t direct = DocumentedReport(kTransit);
  server_.Advance(1s);
  HttpResult submitted = Act(kJiajiang.submitter, county, "submit");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(submitted.json.at("stage").as_string(), "county_review");
  EXPECT_TRUE(submitted.json.at("late").as_bool());

  HttpResult city_direct = Act(kTransit.submitter, direct, "submit");
  ASSERT_EQ(city_direct.status, 200) << city_direct.body;
  EXPECT_EQ(city_direct.json.at("stage").as_string(), "city_review");
  EXPECT_TRUE(city_direct.json.at("late").as_bool());

  // The flag stays with the report through review.
  Expect200(kJiajiang.county_reviewer, county, "approve");
  Expect200("city-reviewer", county, "approve");
  HttpResult approved = Get("city-reviewer", ReportPath(county));
  EXPECT_EQ(approved.json.at("stage").as_string(), "approved");
  EXPECT_TRUE(approved.json.at("late").as_bool());
}

TEST_F(SubmitDeadline, FirstSubmissionDecidesLateness) {
  int64_t id = DocumentedReport(kJiajiang);
  Expect200(kJiajiang.submitter, id, "submit");
  server_.Advance(24h * 5);
  tokens_.clear();  // sessions do not last five days
  Expect200(kJiajiang.county_reviewer, id, "return", "请补充照片");
  HttpResult resubmitted = Act(kJiajiang.submitter, id, "submit");
  ASSERT_EQ(resubmitted.status, 200) << resubmitted.body;
  EXPECT_FALSE(resubmitted.json.at("late").as_bool());
}

}  // namespace
}  // namespace jingsai::testing::evidence
