// Races over HTTP: many clients act on the same item at once. Exactly one
// step happens; every other client is refused (409 or 412) and the history
// holds the one step.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>
#include <vector>

#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

constexpr int kClients = 8;

class ConcurrentActions : public ApiTest {
 protected:
  // Sends `action` from kClients threads released together; returns every answer.
  std::vector<HttpResult> Race(const std::string& token, int64_t id, const std::string& action,
                               const std::map<std::string, std::string>& headers = {}) {
    std::vector<HttpResult> answers(kClients);
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back([&, i] {
        ++ready;
        while (!go) std::this_thread::yield();
        answers[i] = Act(token, id, action, "", "", headers);
      });
    }
    while (ready < kClients) std::this_thread::yield();
    go = true;
    for (std::thread& client : clients) client.join();
    return answers;
  }

  static int CountStatus(const std::vector<HttpResult>& answers, int status) {
    int count = 0;
    for (const HttpResult& answer : answers) count += answer.status == status ? 1 : 0;
    return count;
  }

  int CountRows(int64_t id, const std::string& action, const std::string& from) {
    int count = 0;
    for (const boost::json::value& row : History(Token("city-reviewer"), id)) {
      count += Str(row, "action") == action && Str(row, "from") == from ? 1 : 0;
    }
    return count;
  }
};

TEST_F(ConcurrentActions, OneOfManySimultaneousFinalApprovalsWinsTheRestAreConflicts) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ActOk(Token("jiajiang-reviewer"), id, "approve");
  int64_t version = Int(GetReport(Token("city-reviewer"), id).json, "version");

  std::vector<HttpResult> answers = Race(Token("city-reviewer"), id, "approve");

  EXPECT_EQ(CountStatus(answers, 200), 1);
  for (const HttpResult& answer : answers) {
    if (answer.status == 200) continue;
    EXPECT_TRUE(answer.status == 409 || answer.status == 412) << answer.status << answer.body;
    EXPECT_TRUE(answer.ErrorCode() == "invalid_action" || answer.ErrorCode() == "version_mismatch")
        << answer.body;
  }
  HttpResult now = GetReport(Token("city-reviewer"), id);
  EXPECT_EQ(Str(now.json, "stage"), "approved");
  EXPECT_EQ(Int(now.json, "version"), version + 1);
  EXPECT_EQ(CountRows(id, "approve", "city_review"), 1);
}

TEST_F(ConcurrentActions, SimultaneousApprovalsOfTheSameVersionLeaveOneWinnerAndStaleLosers) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  HttpResult before = GetReport(Token("jiajiang-reviewer"), id);
  std::string etag = before.Header("etag");
  ASSERT_FALSE(etag.empty());

  std::vector<HttpResult> answers =
      Race(Token("jiajiang-reviewer"), id, "approve", {{"If-Match", etag}});

  EXPECT_EQ(CountStatus(answers, 200), 1);
  EXPECT_EQ(CountStatus(answers, 412), kClients - 1);
  for (const HttpResult& answer : answers) {
    if (answer.status == 412) {
      EXPECT_EQ(answer.ErrorCode(), "version_mismatch") << answer.body;
    }
  }
  HttpResult now = GetReport(Token("city-reviewer"), id);
  EXPECT_EQ(Str(now.json, "stage"), "city_review");
  EXPECT_EQ(Int(now.json, "version"), Int(before.json, "version") + 1);
  EXPECT_EQ(CountRows(id, "approve", "county_review"), 1);
}

TEST_F(ConcurrentActions, SimultaneousRetriesWithOneIdempotencyKeyActOnceAndAgree) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");

  std::vector<HttpResult> answers =
      Race(Token("jiajiang-reviewer"), id, "approve", {{"Idempotency-Key", "double-click-1"}});

  EXPECT_EQ(CountStatus(answers, 200), kClients);
  for (const HttpResult& answer : answers) EXPECT_EQ(answer.json, answers[0].json) << answer.body;
  int replayed = 0;
  for (const HttpResult& answer : answers)
    replayed += answer.Header("idempotent-replayed") == "true";
  EXPECT_EQ(replayed, kClients - 1);
  EXPECT_EQ(CountRows(id, "approve", "county_review"), 1);
  EXPECT_EQ(Str(GetReport(Token("city-reviewer"), id).json, "stage"), "city_review");
}

TEST_F(ConcurrentActions, SimultaneousReturnAndApproveOfOneItemLetOnlyOneHappen) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ActOk(Token("jiajiang-reviewer"), id, "approve");
  HttpResult approved;
  HttpResult returned;
  std::thread approving([&] { approved = Act(Token("city-reviewer"), id, "approve"); });
  std::thread returning(
      [&] { returned = Act(Token("city-reviewer"), id, "return", "请补充材料", "county_review"); });
  approving.join();
  returning.join();

  ASSERT_NE(approved.status == 200, returned.status == 200)
      << approved.status << " " << returned.status;
  const HttpResult& loser = approved.status == 200 ? returned : approved;
  // A return that lost finds the report approved (409); an approval that lost
  // finds it back at the county, which is not the city's stage (403).
  EXPECT_EQ(loser.status, approved.status == 200 ? 409 : 403) << loser.body;
  std::string stage = Str(GetReport(Token("city-reviewer"), id).json, "stage");
  EXPECT_EQ(stage, approved.status == 200 ? "approved" : "county_review");
  EXPECT_EQ(CountRows(id, "approve", "city_review") + CountRows(id, "return", "city_review"), 1);
}

}  // namespace
}  // namespace jingsai::testing
