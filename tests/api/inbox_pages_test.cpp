// What reviewers see of the inbox pages the server keeps between reads
// (InboxPages): an unchanged inbox is answered from its kept page, and every
// change that alters what a page would show is in the next answer: a step in
// the reviewer's own stages, a change of the reviewer's roles, a new county
// union in the tree, the clock passing a due time, steps made while the
// inbox is being read. A step elsewhere leaves the kept page standing.
#include "api/inbox_pages.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/flow_admin_fixture.h"

namespace jingsai::testing {
namespace {

using namespace std::chrono_literals;
using Ids = std::vector<int64_t>;

class InboxPagesTest : public FlowAdminTest {
 protected:
  InboxPagesTest() = default;
  explicit InboxPagesTest(TestServer::Options options) : FlowAdminTest(std::move(options)) {}

  // How many inbox answers came from a kept page so far.
  uint64_t PageHits() { return server().app().inbox_pages().counts().hits; }

  HttpResult InboxOf(const std::string& token, const std::string& query = "") {
    HttpResult inbox = server().Get("/api/v1/tasks" + query, token);
    EXPECT_EQ(inbox.status, 200) << inbox.body;
    return inbox;
  }
};

TEST_F(InboxPagesTest, AnUnchangedInboxIsAnsweredAgainFromItsKeptPage) {
  int64_t first = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "第一份报告");
  int64_t second = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "第二份报告");
  const std::string& reviewer = Token("jiajiang-reviewer");
  HttpResult made = InboxOf(reviewer);
  ASSERT_EQ(ItemIds(made), (Ids{first, second}));

  const uint64_t hits = PageHits();
  HttpResult kept = InboxOf(reviewer);
  EXPECT_EQ(PageHits(), hits + 1) << "nothing changed: the kept page answers";
  EXPECT_EQ(kept.body, made.body);
  EXPECT_EQ(kept.Header("content-type"), made.Header("content-type"));

  // Each page of the inbox is kept on its own, with its cursor.
  HttpResult one = InboxOf(reviewer, "?limit=1");
  ASSERT_EQ(ItemIds(one), Ids{first});
  ASSERT_TRUE(one.json.at("next_cursor").is_string()) << one.body;
  const std::string cursor(one.json.at("next_cursor").as_string());
  HttpResult two = InboxOf(reviewer, "?limit=1&cursor=" + cursor);
  EXPECT_EQ(ItemIds(two), Ids{second});
  EXPECT_TRUE(two.json.at("next_cursor").is_null()) << two.body;
  EXPECT_EQ(InboxOf(reviewer, "?limit=1").body, one.body);
  EXPECT_EQ(InboxOf(reviewer, "?limit=1&cursor=" + cursor).body, two.body);
  EXPECT_EQ(InboxOf(reviewer).body, made.body);
}

TEST_F(InboxPagesTest, StepsInTheReviewersStagesAreInTheNextAnswer) {
  int64_t first = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const std::string& county = Token("jiajiang-reviewer");
  const std::string& city = Token("city-reviewer");
  ASSERT_EQ(ItemIds(InboxOf(county)), Ids{first});
  ASSERT_EQ(ItemIds(InboxOf(city)), Ids{});

  int64_t second = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  EXPECT_EQ(ItemIds(InboxOf(county)), (Ids{first, second}));

  ActOk(county, first, "approve");
  EXPECT_EQ(ItemIds(InboxOf(county)), Ids{second});
  HttpResult at_city = InboxOf(city);
  ASSERT_EQ(ItemIds(at_city), Ids{first});
  EXPECT_EQ(Str(at_city.json.at("items").at(0), "stage"), "city_review");

  ActOk(city, first, "return", "请补充佐证材料", "county_review");
  EXPECT_EQ(ItemIds(InboxOf(city)), Ids{});
  HttpResult back = InboxOf(county);
  ASSERT_EQ(ItemIds(back), (Ids{first, second}));
  EXPECT_EQ(Int(back.json.at("items").at(0), "version"), Int(Item(county, first), "version"));
}

TEST_F(InboxPagesTest, AStepInAnotherCountyLeavesTheKeptPageStanding) {
  int64_t ours = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const std::string& reviewer = Token("jiajiang-reviewer");
  HttpResult made = InboxOf(reviewer);
  ASSERT_EQ(ItemIds(made), Ids{ours});

  int64_t theirs = SubmittedReport("shizhong-submitter", "shizhong-power");
  const uint64_t hits = PageHits();
  EXPECT_EQ(InboxOf(reviewer).body, made.body);
  EXPECT_EQ(PageHits(), hits + 1) << "a report of shizhong changes nothing in jiajiang's inbox";
  EXPECT_EQ(ItemIds(InboxOf(Token("shizhong-reviewer"))), Ids{theirs});
}

TEST_F(InboxPagesTest, AReviewerWhoseRolesChangeSeesTheInboxOfTheNewRoles) {
  int64_t jiajiang = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  int64_t shizhong = SubmittedReport("shizhong-submitter", "shizhong-power");
  CreateJiajiangReviewer("jiajiang-reviewer-2");
  const std::string& reviewer = Token("jiajiang-reviewer-2");
  ASSERT_EQ(ItemIds(InboxOf(reviewer)), Ids{jiajiang});

  HttpResult moved =
      PatchUser("jiajiang-reviewer-2", {{"roles", {{{"role", "reviewer"}, {"org", "shizhong"}}}}},
                Token("admin"));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(ItemIds(InboxOf(reviewer)), Ids{shizhong});

  HttpResult voter = PatchUser(
      "jiajiang-reviewer-2", {{"roles", {{{"role", "voter"}, {"org", "leshan"}}}}}, Token("admin"));
  ASSERT_EQ(voter.status, 200) << voter.body;
  EXPECT_EQ(ItemIds(InboxOf(reviewer)), Ids{});
}

TEST_F(InboxPagesTest, TheCitysKeptInboxShowsAReportFromANewCountyUnion) {
  const std::string& city = Token("city-reviewer");
  ASSERT_EQ(ItemIds(InboxOf(city)), Ids{});

  const std::string& admin = Token("admin");
  for (const auto& [code, name, level, parent] :
       {std::tuple{"xinqu", "乐山新区总工会", "county", "leshan"},
        std::tuple{"xinqu-steel", "新区钢铁厂工会", "unit", "xinqu"}}) {
    HttpResult created = server().Post(
        "/api/v1/orgs", {{"code", code}, {"name", name}, {"level", level}, {"parent", parent}},
        admin);
    ASSERT_EQ(created.status, 201) << created.body;
  }
  CreateUser("xinqu-submitter", {{"submitter", "xinqu-steel"}});
  CreateUser("xinqu-reviewer", {{"reviewer", "xinqu"}});
  int64_t id = SubmittedReport("xinqu-submitter", "xinqu-steel");
  ActOk(Token("xinqu-reviewer"), id, "approve");

  HttpResult inbox = InboxOf(city);
  ASSERT_EQ(ItemIds(inbox), Ids{id});
  EXPECT_EQ(Str(inbox.json.at("items").at(0), "org"), "xinqu-steel");
}

// While steps go on, both reviewers read their inboxes again and again, so
// pages are kept between the steps; once every step is answered, each inbox
// shows exactly where the reports are.
TEST_F(InboxPagesTest, KeptPagesFollowStepsMadeWhileTheyAreRead) {
  Ids reports;
  for (int i = 0; i < 6; ++i) {
    reports.push_back(SubmittedReport("jiajiang-submitter", "jiajiang-ceramics"));
  }
  const std::string county = Token("jiajiang-reviewer");
  const std::string city = Token("city-reviewer");
  std::atomic<bool> stepping{true};
  std::thread reader([&] {
    while (stepping) {
      server().Get("/api/v1/tasks", county);
      server().Get("/api/v1/tasks", city);
    }
  });
  // Two clients, each with every other report: to the city and back twice,
  // then the odd ones to the city once more.
  std::vector<std::thread> clients;
  for (size_t first = 0; first < 2; ++first) {
    clients.emplace_back([&, first] {
      for (size_t k = first; k < reports.size(); k += 2) {
        for (int round = 0; round < 2; ++round) {
          EXPECT_EQ(Act(county, reports[k], "approve").status, 200);
          EXPECT_EQ(Act(city, reports[k], "return", "请补充佐证材料", "county_review").status, 200);
        }
        if (k % 2 == 1) {
          EXPECT_EQ(Act(county, reports[k], "approve").status, 200);
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  stepping = false;
  reader.join();

  Ids at_county;
  Ids at_city;
  for (size_t k = 0; k < reports.size(); ++k)
    (k % 2 == 1 ? at_city : at_county).push_back(reports[k]);
  EXPECT_EQ(ItemIds(InboxOf(county)), at_county);
  EXPECT_EQ(ItemIds(InboxOf(city)), at_city);
  EXPECT_GT(PageHits(), 0u) << "pages were kept and answered between the steps";
}

class InboxPagesOnAClock : public InboxPagesTest {
 protected:
  InboxPagesOnAClock() : InboxPagesTest(TestServer::Options::OnClockAt("2014-06-01T02:00:00Z")) {}
};

TEST_F(InboxPagesOnAClock, AKeptPageShowsAReportOverdueOnceTheClockPassesItsDueTime) {
  ASSERT_EQ(PublishCountyWith("county_review", "due", {{"days", 3}}), 2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  std::string reviewer = server().LoginDemo("jiajiang-reviewer");
  HttpResult before = InboxOf(reviewer);
  ASSERT_EQ(ItemIds(before), Ids{id});
  EXPECT_FALSE(before.json.at("items").at(0).at("overdue").as_bool());
  EXPECT_EQ(ItemIds(InboxOf(reviewer, "?overdue=true")), Ids{});
  // Still kept up to the due time itself.
  server().Advance(3 * 24h);
  reviewer = server().LoginDemo("jiajiang-reviewer");
  const uint64_t hits = PageHits();
  EXPECT_EQ(InboxOf(reviewer).body, before.body);
  EXPECT_EQ(PageHits(), hits + 1);

  server().Advance(1s);
  HttpResult after = InboxOf(reviewer);
  ASSERT_EQ(ItemIds(after), Ids{id});
  EXPECT_TRUE(after.json.at("items").at(0).at("overdue").as_bool()) << after.body;
  EXPECT_EQ(ItemIds(InboxOf(reviewer, "?overdue=true")), Ids{id});
}

}  // namespace
}  // namespace jingsai::testing
