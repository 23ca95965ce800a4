// Idempotency keys are kept a week: a retry a day later, from a new session of
// the same user, still gets the first answer and acts nothing; after a week the
// key is purged and may be used again.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

using namespace std::chrono_literals;

class IdempotencyRetention : public ApiTest {
 protected:
  IdempotencyRetention() : ApiTest(TestServer::Options::OnClockAt("2014-06-01T02:00:00Z")) {}
};

TEST_F(IdempotencyRetention, ARetryADayLaterGetsTheFirstAnswerAndActsOnce) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  std::map<std::string, std::string> key{{"Idempotency-Key", "approve-after-a-day"}};
  HttpResult first = Act(Token("jiajiang-reviewer"), id, "approve", "", "", key);
  ASSERT_EQ(first.status, 200) << first.body;
  size_t rows = History(Token("city-reviewer"), id).size();

  // Tokens last 12 hours: the retry comes from a new login of the same user.
  server().Advance(25h);
  std::string later = server().LoginDemo("jiajiang-reviewer");
  HttpResult retry = Act(later, id, "approve", "", "", key);

  ASSERT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(retry.json, first.json);
  EXPECT_EQ(retry.Header("idempotent-replayed"), "true");
  std::string city = server().LoginDemo("city-reviewer");
  HttpResult history = server().Get(SubmissionPath(id, "/history"), city);
  EXPECT_EQ(history.json.at("items").as_array().size(), rows);
  EXPECT_EQ(Str(server().Get(SubmissionPath(id), city).json, "stage"), "city_review");
}

TEST_F(IdempotencyRetention, ARetriedCreateADayLaterMakesNoSecondReport) {
  boost::json::object body{{"campaign", kCampaign},
                           {"org", "jiajiang-ceramics"},
                           {"title", "隔日重试"},
                           {"data", ValidReportData()}};
  std::map<std::string, std::string> key{{"Idempotency-Key", "create-after-a-day"}};
  HttpResult first = server().Post("/api/v1/submissions", body, Token("jiajiang-submitter"), key);
  ASSERT_EQ(first.status, 201) << first.body;

  server().Advance(24h + 1min);
  std::string later = server().LoginDemo("jiajiang-submitter");
  HttpResult retry = server().Post("/api/v1/submissions", body, later, key);

  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(Int(retry.json, "id"), Int(first.json, "id"));
  EXPECT_EQ(server().Get("/api/v1/submissions", later).json.at("items").as_array().size(), 1u);
}

TEST_F(IdempotencyRetention, KeysOlderThanAWeekArePurgedAndActAgain) {
  boost::json::object body{{"campaign", kCampaign},
                           {"org", "jiajiang-ceramics"},
                           {"title", "一周前的报送"},
                           {"data", ValidReportData()}};
  std::map<std::string, std::string> old_key{{"Idempotency-Key", "a-week-ago"}};
  HttpResult first =
      server().Post("/api/v1/submissions", body, Token("jiajiang-submitter"), old_key);
  ASSERT_EQ(first.status, 201) << first.body;

  // The purge runs along with the stores of later keyed requests; enough of
  // them come after eight days to trigger it more than once.
  server().Advance(8 * 24h);
  std::string later = server().LoginDemo("jiajiang-submitter");
  std::string recent_key;
  for (int i = 0; i < 600; ++i) {
    recent_key = "recent-" + std::to_string(i);
    HttpResult created =
        server().Post("/api/v1/submissions", body, later, {{"Idempotency-Key", recent_key}});
    ASSERT_EQ(created.status, 201) << created.body;
  }

  HttpResult reused = server().Post("/api/v1/submissions", body, later, old_key);
  ASSERT_EQ(reused.status, 201) << reused.body;
  EXPECT_NE(Int(reused.json, "id"), Int(first.json, "id"));
  EXPECT_EQ(reused.Header("idempotent-replayed"), "");

  // A key of this week still replays its first answer.
  HttpResult replayed =
      server().Post("/api/v1/submissions", body, later, {{"Idempotency-Key", recent_key}});
  EXPECT_EQ(replayed.Header("idempotent-replayed"), "true");
}

}  // namespace
}  // namespace jingsai::testing
