// Due times over HTTP, on an injected clock: a stage's "due" sets the item's
// due_at when it enters the stage; past it the item is overdue, and the
// overdue inbox (GET /api/v1/tasks?overdue=true) lists it.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "tests/api/flow_admin_fixture.h"

namespace jingsai::testing {
namespace {

using namespace std::chrono_literals;

class DueTimes : public FlowAdminTest {
 protected:
  DueTimes() : FlowAdminTest(TestServer::Options::OnClockAt("2014-06-01T02:00:00Z")) {}

  // A token from a login now: the clock moves past a token's lifetime here.
  std::string Fresh(const std::string& username) {
    return username == "admin" ? server().LoginAdmin() : server().LoginDemo(username);
  }

  // A report of jiajiang-ceramics created now, submitted `after` later.
  int64_t SubmitAfter(std::chrono::milliseconds after, const std::string& title = "限时报告") {
    std::string token = Fresh("jiajiang-submitter");
    int64_t id = CreateReport(token, "jiajiang-ceramics", title);
    AttachDocument(token, id);
    server().Advance(after);
    ActOk(token, id, "submit");
    return id;
  }

  static std::string DueAt(const boost::json::value& item) {
    const boost::json::value& due = item.at("due_at");
    return due.is_null() ? "null" : std::string(due.as_string());
  }

  static bool Overdue(const boost::json::value& item) { return item.at("overdue").as_bool(); }
};

TEST_F(DueTimes, TheCountyStageIsDueThreeDaysAfterSubmit) {
  ASSERT_EQ(PublishCountyWith("county_review", "due", {{"days", 3}}), 2);
  std::string submitter = Fresh("jiajiang-submitter");
  int64_t id = CreateReport(submitter, "jiajiang-ceramics");
  boost::json::value draft = Item(submitter, id);
  EXPECT_EQ(DueAt(draft), "null");
  EXPECT_FALSE(Overdue(draft));

  AttachDocument(submitter, id);
  server().Advance(1h);
  boost::json::value submitted = ActOk(submitter, id, "submit");
  EXPECT_EQ(Str(submitted, "submitted_at"), "2014-06-01T03:00:00.000Z");
  EXPECT_EQ(DueAt(submitted), "2014-06-04T03:00:00.000Z");
  EXPECT_FALSE(Overdue(submitted));
  std::string reviewer = Fresh("jiajiang-reviewer");
  EXPECT_EQ(Tasks(reviewer), std::vector<int64_t>{id});
  EXPECT_EQ(Tasks(reviewer, "?overdue=true"), std::vector<int64_t>{});
  EXPECT_EQ(Tasks(Fresh("admin"), "?overdue=true"), std::vector<int64_t>{});

  server().Advance(4 * 24h);
  // A report submitted now is not overdue yet.
  int64_t recent = SubmitAfter(0ms, "刚提交的报告");
  reviewer = Fresh("jiajiang-reviewer");
  boost::json::value late = Item(reviewer, id);
  EXPECT_EQ(DueAt(late), "2014-06-04T03:00:00.000Z");
  EXPECT_TRUE(Overdue(late));
  boost::json::value fresh = Item(reviewer, recent);
  EXPECT_EQ(DueAt(fresh), "2014-06-08T03:00:00.000Z");
  EXPECT_FALSE(Overdue(fresh));

  EXPECT_EQ(Tasks(reviewer, "?overdue=true"), std::vector<int64_t>{id});
  EXPECT_EQ(Tasks(reviewer, "?overdue=false"), (std::vector<int64_t>{id, recent}));
  EXPECT_EQ(Tasks(reviewer), (std::vector<int64_t>{id, recent}));
  HttpResult listed = server().Get("/api/v1/tasks?overdue=true", reviewer);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_TRUE(Overdue(listed.json.at("items").at(0)));
  EXPECT_TRUE(listed.json.at("next_cursor").is_null());

  // The administrator's overdue list has every overdue item, whoever it awaits.
  std::string admin = Fresh("admin");
  HttpResult all = server().Get("/api/v1/tasks?overdue=true", admin);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(ItemIds(all), std::vector<int64_t>{id});
  EXPECT_TRUE(Overdue(all.json.at("items").at(0)));
  // Another county's reviewer has nothing overdue.
  EXPECT_EQ(Tasks(Fresh("shizhong-reviewer"), "?overdue=true"), std::vector<int64_t>{});

  // Once it moves on to a stage without a due time, it is no longer overdue.
  boost::json::value approved = ActOk(reviewer, id, "approve");
  EXPECT_EQ(Str(approved, "stage"), "city_review");
  EXPECT_EQ(DueAt(approved), "null");
  EXPECT_FALSE(Overdue(approved));
  EXPECT_EQ(Tasks(admin, "?overdue=true"), std::vector<int64_t>{});
  EXPECT_EQ(Tasks(reviewer, "?overdue=true"), std::vector<int64_t>{});
}

TEST_F(DueTimes, OverdueStartsJustAfterTheDueTime) {
  ASSERT_EQ(PublishCountyWith("county_review", "due", {{"days", 3}}), 2);
  int64_t id = SubmitAfter(0ms);
  EXPECT_EQ(DueAt(Item(Fresh("admin"), id)), "2014-06-04T02:00:00.000Z");

  server().Advance(3 * 24h);
  std::string admin = Fresh("admin");
  EXPECT_FALSE(Overdue(Item(admin, id)));
  EXPECT_EQ(Tasks(admin, "?overdue=true"), std::vector<int64_t>{});
  server().Advance(1s);
  EXPECT_TRUE(Overdue(Item(admin, id)));
  EXPECT_EQ(Tasks(admin, "?overdue=true"), std::vector<int64_t>{id});
}

TEST_F(DueTimes, HoursCountFromEnteringTheStage) {
  ASSERT_EQ(PublishCountyWith("city_review", "due", {{"hours", 36}}), 2);
  int64_t id = SubmitAfter(0ms);
  EXPECT_EQ(DueAt(Item(Fresh("admin"), id)), "null");
  server().Advance(2h);
  boost::json::value approved = ActOk(Fresh("jiajiang-reviewer"), id, "approve");
  EXPECT_EQ(DueAt(approved), "2014-06-02T16:00:00.000Z");

  server().Advance(37h);
  std::string city = Fresh("city-reviewer");
  EXPECT_EQ(Tasks(city, "?overdue=true"), std::vector<int64_t>{id});
  EXPECT_EQ(Tasks(Fresh("admin"), "?overdue=true"), std::vector<int64_t>{id});
  // The county reviewer, who no longer acts on it, has nothing overdue.
  EXPECT_EQ(Tasks(Fresh("jiajiang-reviewer"), "?overdue=true"), std::vector<int64_t>{});
}

TEST_F(DueTimes, AReturnAndResubmissionRestartTheClock) {
  ASSERT_EQ(PublishCountyWith("county_review", "due", {{"days", 3}}), 2);
  int64_t id = SubmitAfter(0ms);
  server().Advance(5 * 24h);
  std::string reviewer = Fresh("jiajiang-reviewer");
  EXPECT_TRUE(Overdue(Item(reviewer, id)));
  boost::json::value returned = ActOk(reviewer, id, "return", "请补充");
  EXPECT_EQ(DueAt(returned), "null");
  EXPECT_FALSE(Overdue(returned));

  server().Advance(1h);
  boost::json::value resubmitted = ActOk(Fresh("jiajiang-submitter"), id, "submit");
  EXPECT_EQ(DueAt(resubmitted), "2014-06-09T03:00:00.000Z");
  EXPECT_FALSE(Overdue(resubmitted));
  EXPECT_EQ(Tasks(Fresh("admin"), "?overdue=true"), std::vector<int64_t>{});
}

TEST_F(DueTimes, ItemsOnAVersionWithoutDueTimesAreNeverOverdue) {
  int64_t old_item = SubmitAfter(0ms, "第一版上的报告");
  ASSERT_EQ(PublishCountyWith("county_review", "due", {{"days", 3}}), 2);
  server().Advance(30 * 24h);
  boost::json::value item = Item(Fresh("jiajiang-reviewer"), old_item);
  EXPECT_EQ(Int(item.at("flow"), "version"), 1);
  EXPECT_EQ(DueAt(item), "null");
  EXPECT_FALSE(Overdue(item));
  EXPECT_EQ(Tasks(Fresh("admin"), "?overdue=true"), std::vector<int64_t>{});
  EXPECT_EQ(Tasks(Fresh("jiajiang-reviewer"), "?overdue=true"), std::vector<int64_t>{});
}

TEST_F(DueTimes, ItemsNotYetDueDoNotCutTheOverduePageShort) {
  ASSERT_EQ(PublishCountyWith("county_review", "due", {{"days", 3}}), 2);
  // Three reports; the last one created is submitted first and runs late.
  std::string submitter = Fresh("jiajiang-submitter");
  std::vector<int64_t> ids;
  for (const char* title : {"甲", "乙", "丙"}) {
    ids.push_back(CreateReport(submitter, "jiajiang-ceramics", title));
    AttachDocument(submitter, ids.back());
  }
  ActOk(submitter, ids[2], "submit");
  server().Advance(4 * 24h);
  submitter = Fresh("jiajiang-submitter");
  ActOk(submitter, ids[0], "submit");
  ActOk(submitter, ids[1], "submit");

  std::string reviewer = Fresh("jiajiang-reviewer");
  HttpResult page = server().Get("/api/v1/tasks?overdue=true&limit=1", reviewer);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(ItemIds(page), std::vector<int64_t>{ids[2]});
  EXPECT_TRUE(page.json.at("next_cursor").is_null()) << page.body;
  HttpResult all = server().Get("/api/v1/tasks?overdue=true&limit=1", Fresh("admin"));
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(ItemIds(all), std::vector<int64_t>{ids[2]});
}

TEST_F(DueTimes, OverdueMustBeTrueOrFalse) {
  for (const char* user : {"jiajiang-reviewer", "admin"}) {
    HttpResult refused = server().Get("/api/v1/tasks?overdue=maybe", Fresh(user));
    EXPECT_EQ(refused.status, 400) << user << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "bad_request") << user;
    EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{"overdue"}) << user;
  }
}

TEST_F(DueTimes, OverdueListsNeedAToken) {
  HttpResult anonymous = server().Get("/api/v1/tasks?overdue=true");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.ErrorCode(), "unauthenticated");
}

}  // namespace
}  // namespace jingsai::testing
