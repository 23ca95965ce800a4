// A report's history: one row per step, with who did what and when, chained
// by hashes so that no step can be altered or removed unnoticed.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "engine/time_format.h"
#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

class ItemHistory : public ApiTest {};

TEST_F(ItemHistory, EveryStepIsARowWithItsActorAndStages) {
  const std::string& submitter = Token("jiajiang-submitter");
  int64_t id = CreateReport(submitter, "jiajiang-ceramics");
  AttachDocument(submitter, id);
  ActOk(submitter, id, "submit");
  ActOk(Token("jiajiang-reviewer"), id, "return", "请补充材料");
  ActOk(submitter, id, "submit");
  ActOk(Token("jiajiang-reviewer"), id, "approve");
  ActOk(Token("city-reviewer"), id, "approve");

  boost::json::array rows = History(Token("jiajiang-reviewer"), id);
  struct Expected {
    const char* action;
    const char* actor;
    const char* from;  // nullptr: JSON null
    const char* to;
    const char* comment;
  };
  const Expected expected[] = {
      {"create", "jiajiang-submitter", nullptr, "draft", ""},
      {"attach", "jiajiang-submitter", "draft", "draft", nullptr},
      {"submit", "jiajiang-submitter", "draft", "county_review", ""},
      {"return", "jiajiang-reviewer", "county_review", "draft", "请补充材料"},
      {"submit", "jiajiang-submitter", "draft", "county_review", ""},
      {"approve", "jiajiang-reviewer", "county_review", "city_review", ""},
      {"approve", "city-reviewer", "city_review", "approved", ""},
  };
  ASSERT_EQ(rows.size(), std::size(expected)) << boost::json::serialize(rows);
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    const boost::json::value& row = rows[i];
    EXPECT_EQ(Int(row, "seq"), static_cast<int64_t>(i + 1));
    EXPECT_NE(engine::ParseTime(Str(row, "at")), std::nullopt) << Str(row, "at");
    EXPECT_EQ(Str(row, "action"), expected[i].action);
    EXPECT_EQ(Str(row, "actor"), expected[i].actor);
    if (expected[i].from == nullptr) {
      EXPECT_TRUE(row.at("from").is_null());
    } else {
      EXPECT_EQ(Str(row, "from"), expected[i].from);
    }
    EXPECT_EQ(Str(row, "to"), expected[i].to);
    ASSERT_TRUE(row.at("comment").is_string());
    if (expected[i].comment != nullptr) {
      EXPECT_EQ(Str(row, "comment"), expected[i].comment);
    }
  }
}

TEST_F(ItemHistory, RowsAreHashChained) {
  int64_t id = ApprovedCountyReport();
  boost::json::array rows = History(Token("city-reviewer"), id);
  ASSERT_GE(rows.size(), 5u);
  std::set<std::string> hashes;
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    std::string hash = Str(rows[i], "hash");
    EXPECT_EQ(hash.size(), 64u) << hash;
    EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos) << hash;
    EXPECT_TRUE(hashes.insert(hash).second) << "repeated hash " << hash;
    if (i > 0) {
      EXPECT_EQ(Str(rows[i], "prev_hash"), Str(rows[i - 1], "hash"));
    }
  }
  EXPECT_NE(Str(rows[0], "prev_hash"), Str(rows[0], "hash"));
}

TEST_F(ItemHistory, EveryoneWhoSeesTheReportSeesTheSameHistory) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  HttpResult by_submitter =
      server().Get(SubmissionPath(id, "/history"), Token("jiajiang-submitter"));
  HttpResult by_city = server().Get(SubmissionPath(id, "/history"), Token("city-reviewer"));
  ASSERT_EQ(by_submitter.status, 200);
  ASSERT_EQ(by_city.status, 200);
  EXPECT_EQ(by_submitter.json.at("items"), by_city.json.at("items"));
}

TEST_F(ItemHistory, RowsComeAPageAtATime) {
  int64_t id = ApprovedCountyReport();
  boost::json::array all = History(Token("city-reviewer"), id);
  ASSERT_GE(all.size(), 5u);
  HttpResult first = server().Get(SubmissionPath(id, "/history?limit=2"), Token("city-reviewer"));
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(first.json.at("items").as_array().size(), 2u);
  EXPECT_EQ(first.json.at("items").as_array()[1], all[1]);
  EXPECT_EQ(Str(first.json, "head"), Str(all.back(), "hash"));
  const std::string cursor(first.json.at("next_cursor").as_string());
  HttpResult rest = server().Get(SubmissionPath(id, "/history?limit=500&cursor=" + cursor),
                                 Token("city-reviewer"));
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.json.at("items").as_array().size(), all.size() - 2);
  EXPECT_EQ(rest.json.at("items").as_array()[0], all[2]);
  EXPECT_TRUE(rest.json.at("next_cursor").is_null());
  HttpResult refused = server().Get(SubmissionPath(id, "/history?limit=0"), Token("city-reviewer"));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.ErrorCode(), "bad_request");
}

TEST_F(ItemHistory, RefusedStepsLeaveNoRow) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  boost::json::array before = History(Token("city-reviewer"), id);
  EXPECT_EQ(Act(Token("city-reviewer"), id, "approve").status, 403);
  EXPECT_EQ(Act(Token("jiajiang-reviewer"), id, "return").status, 400);
  EXPECT_EQ(Act(Token("jiajiang-reviewer"), id, "submit").status, 409);
  EXPECT_EQ(History(Token("city-reviewer"), id), before);
}

TEST_F(ItemHistory, EditsAreRecorded) {
  const std::string& token = Token("jiajiang-submitter");
  int64_t id = CreateReport(token, "jiajiang-ceramics");
  ASSERT_EQ(server().Patch(SubmissionPath(id), {{"title", "修改标题"}}, token).status, 200);
  boost::json::array rows = History(token, id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Str(rows[1], "action"), "edit");
  EXPECT_EQ(Str(rows[1], "from"), "draft");
  EXPECT_EQ(Str(rows[1], "to"), "draft");
}

}  // namespace
}  // namespace jingsai::testing
