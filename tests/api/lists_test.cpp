// Lists: the inbox (GET /api/v1/tasks) and the report list with its filters,
// visibility and pagination.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

using Ids = std::set<int64_t>;

// Seven reports spread over the demo units and stages.
class Lists : public ApiTest {
 protected:
  void SetUp() override {
    draft_ = CreateReport(Token("jiajiang-submitter"), "jiajiang-ceramics", "夹江草稿");
    at_county_ = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "夹江县级审核中");
    at_city_ = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "夹江市级审核中");
    ActOk(Token("jiajiang-reviewer"), at_city_, "approve");
    shizhong_ = SubmittedReport("shizhong-submitter", "shizhong-power", "市中县级审核中");
    transit_ = SubmittedReport("transit-submitter", "city-transit", "公交市级审核中");
    transit_draft_ = CreateReport(Token("transit-submitter"), "city-transit", "公交草稿");
    approved_ = ApprovedCountyReport("夹江已通过");
  }

  // The ids listed at `target` for `user`; fails the test unless it is a
  // complete single page.
  Ids Listed(const std::string& user, const std::string& target) {
    HttpResult result = server().Get(target, Token(user));
    EXPECT_EQ(result.status, 200) << target << ": " << result.body;
    Ids ids;
    if (result.status != 200) return ids;
    EXPECT_TRUE(result.json.at("next_cursor").is_null()) << target;
    for (const boost::json::value& item : result.json.at("items").as_array()) {
      ids.insert(Int(item, "id"));
    }
    return ids;
  }
  Ids Tasks(const std::string& user) { return Listed(user, "/api/v1/tasks"); }

  Ids All() const {
    return {draft_, at_county_, at_city_, shizhong_, transit_, transit_draft_, approved_};
  }

  int64_t draft_ = 0, at_county_ = 0, at_city_ = 0, shizhong_ = 0, transit_ = 0, transit_draft_ = 0,
          approved_ = 0;
};

TEST_F(Lists, InboxHoldsExactlyWhatTheCallerMayActOn) {
  EXPECT_EQ(Tasks("jiajiang-submitter"), (Ids{draft_}));
  EXPECT_EQ(Tasks("jiajiang-reviewer"), (Ids{at_county_}));
  EXPECT_EQ(Tasks("shizhong-reviewer"), (Ids{shizhong_}));
  EXPECT_EQ(Tasks("city-reviewer"), (Ids{at_city_, transit_}));
  EXPECT_EQ(Tasks("transit-submitter"), (Ids{transit_draft_}));
  EXPECT_EQ(Tasks("shizhong-submitter"), Ids{});
  EXPECT_EQ(Tasks("voter1"), Ids{});
  EXPECT_EQ(Tasks("admin"), Ids{});
}

TEST_F(Lists, InboxFollowsTheItemsAsTheyMove) {
  ActOk(Token("jiajiang-reviewer"), at_county_, "approve");
  EXPECT_EQ(Tasks("jiajiang-reviewer"), Ids{});
  EXPECT_EQ(Tasks("city-reviewer"), (Ids{at_city_, transit_, at_county_}));

  ActOk(Token("city-reviewer"), at_county_, "return", "请单位补充", "draft");
  EXPECT_EQ(Tasks("city-reviewer"), (Ids{at_city_, transit_}));
  EXPECT_EQ(Tasks("jiajiang-submitter"), (Ids{draft_, at_county_}));
}

TEST_F(Lists, InboxItemsCarryTheCallersActions) {
  HttpResult tasks = server().Get("/api/v1/tasks", Token("jiajiang-reviewer"));
  ASSERT_EQ(tasks.status, 200) << tasks.body;
  const boost::json::array& items = tasks.json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(Str(items[0], "stage"), "county_review");
  EXPECT_EQ(Str(items[0], "title"), "夹江县级审核中");
  std::set<std::string> actions;
  for (const boost::json::value& action : items[0].at("allowed_actions").as_array()) {
    actions.insert(Str(action, "action"));
  }
  EXPECT_EQ(actions, (std::set<std::string>{"approve", "return"}));
}

TEST_F(Lists, EachCallerSeesOnlyTheReportsOfTheirSubtree) {
  EXPECT_EQ(Listed("city-reviewer", "/api/v1/submissions"), All());
  EXPECT_EQ(Listed("jiajiang-reviewer", "/api/v1/submissions"),
            (Ids{draft_, at_county_, at_city_, approved_}));
  EXPECT_EQ(Listed("jiajiang-submitter", "/api/v1/submissions"),
            (Ids{draft_, at_county_, at_city_, approved_}));
  EXPECT_EQ(Listed("shizhong-reviewer", "/api/v1/submissions"), (Ids{shizhong_}));
  EXPECT_EQ(Listed("transit-submitter", "/api/v1/submissions"), (Ids{transit_, transit_draft_}));
}

TEST_F(Lists, FiltersByStageOrgAndCampaign) {
  EXPECT_EQ(Listed("city-reviewer", "/api/v1/submissions?stage=county_review"),
            (Ids{at_county_, shizhong_}));
  EXPECT_EQ(Listed("city-reviewer", "/api/v1/submissions?stage=city_review"),
            (Ids{at_city_, transit_}));
  EXPECT_EQ(Listed("city-reviewer", "/api/v1/submissions?stage=approved"), (Ids{approved_}));
  EXPECT_EQ(Listed("city-reviewer", "/api/v1/submissions?org=jiajiang"),
            (Ids{draft_, at_county_, at_city_, approved_}));
  EXPECT_EQ(Listed("city-reviewer", "/api/v1/submissions?org=city-transit"),
            (Ids{transit_, transit_draft_}));
  EXPECT_EQ(Listed("city-reviewer", "/api/v1/submissions?org=jiajiang&stage=draft"), (Ids{draft_}));
  EXPECT_EQ(Listed("city-reviewer", "/api/v1/submissions?campaign=leshan-2014"), All());
  EXPECT_EQ(Listed("city-reviewer", "/api/v1/submissions?campaign=leshan-2015"), Ids{});
  EXPECT_EQ(Listed("jiajiang-reviewer", "/api/v1/submissions?org=jiajiang-ceramics&stage=approved"),
            (Ids{approved_}));
}

// A client filling the query from an empty form sends empty values.
TEST_F(Lists, EmptyFiltersFilterNothing) {
  EXPECT_EQ(Listed("city-reviewer", "/api/v1/submissions?campaign=&org=&stage="), All());
  EXPECT_EQ(Listed("jiajiang-reviewer", "/api/v1/submissions?campaign=leshan-2014&org=&stage="),
            (Ids{draft_, at_county_, at_city_, approved_}));
}

TEST_F(Lists, AFilterNeverWidensWhatOneSees) {
  EXPECT_EQ(Listed("jiajiang-reviewer", "/api/v1/submissions?org=shizhong"), Ids{});
  EXPECT_EQ(Listed("jiajiang-reviewer", "/api/v1/submissions?org=shizhong-power"), Ids{});
  EXPECT_EQ(Listed("jiajiang-reviewer", "/api/v1/submissions?org=leshan"),
            (Ids{draft_, at_county_, at_city_, approved_}));
  EXPECT_EQ(Listed("shizhong-reviewer", "/api/v1/submissions?stage=city_review"), Ids{});
}

TEST_F(Lists, UnknownOrgFilterIsABadRequest) {
  HttpResult result = server().Get("/api/v1/submissions?org=nowhere", Token("city-reviewer"));
  EXPECT_EQ(result.status, 400);
  EXPECT_EQ(result.ErrorCode(), "bad_request");
}

TEST_F(Lists, NewestFirst) {
  HttpResult result = server().Get("/api/v1/submissions", Token("city-reviewer"));
  ASSERT_EQ(result.status, 200);
  std::vector<int64_t> ids;
  for (const boost::json::value& item : result.json.at("items").as_array()) {
    ids.push_back(Int(item, "id"));
  }
  std::vector<int64_t> sorted = ids;
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  EXPECT_EQ(ids, sorted);
}

TEST_F(Lists, PagesWalkEveryItemOnce) {
  std::vector<int64_t> seen;
  std::string target = "/api/v1/submissions?limit=3";
  int pages = 0;
  while (true) {
    HttpResult page = server().Get(target, Token("city-reviewer"));
    ASSERT_EQ(page.status, 200) << page.body;
    ++pages;
    const boost::json::array& items = page.json.at("items").as_array();
    for (const boost::json::value& item : items) seen.push_back(Int(item, "id"));
    const boost::json::value& next = page.json.at("next_cursor");
    if (next.is_null()) {
      EXPECT_EQ(items.size(), 1u);
      break;
    }
    EXPECT_EQ(items.size(), 3u);
    ASSERT_TRUE(next.is_string()) << page.body;
    target = "/api/v1/submissions?limit=3&cursor=" + std::string(next.as_string());
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(Ids(seen.begin(), seen.end()), All());
}

TEST_F(Lists, AFullLastPageHasNoNextCursor) {
  HttpResult exact = server().Get("/api/v1/submissions?limit=7", Token("city-reviewer"));
  ASSERT_EQ(exact.status, 200);
  EXPECT_EQ(exact.json.at("items").as_array().size(), 7u);
  EXPECT_TRUE(exact.json.at("next_cursor").is_null());
}

TEST_F(Lists, PagesKeepTheirFilters) {
  HttpResult first =
      server().Get("/api/v1/submissions?org=jiajiang&limit=2", Token("city-reviewer"));
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_TRUE(first.json.at("next_cursor").is_string());
  HttpResult second = server().Get("/api/v1/submissions?org=jiajiang&limit=2&cursor=" +
                                       std::string(first.json.at("next_cursor").as_string()),
                                   Token("city-reviewer"));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_TRUE(second.json.at("next_cursor").is_null());
  Ids ids;
  for (const HttpResult* page : {&first, &second}) {
    for (const boost::json::value& item : page->json.at("items").as_array()) {
      ids.insert(Int(item, "id"));
    }
  }
  EXPECT_EQ(ids, (Ids{draft_, at_county_, at_city_, approved_}));
}

TEST_F(Lists, InboxPages) {
  HttpResult first = server().Get("/api/v1/tasks?limit=1", Token("city-reviewer"));
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(first.json.at("items").as_array().size(), 1u);
  ASSERT_TRUE(first.json.at("next_cursor").is_string()) << first.body;
  HttpResult second = server().Get(
      "/api/v1/tasks?limit=1&cursor=" + std::string(first.json.at("next_cursor").as_string()),
      Token("city-reviewer"));
  ASSERT_EQ(second.status, 200) << second.body;
  ASSERT_EQ(second.json.at("items").as_array().size(), 1u);
  EXPECT_TRUE(second.json.at("next_cursor").is_null()) << second.body;
  EXPECT_EQ((Ids{Int(first.json.at("items").as_array()[0], "id"),
                 Int(second.json.at("items").as_array()[0], "id")}),
            (Ids{at_city_, transit_}));
}

TEST_F(Lists, LimitOutsideOneTo500IsABadRequest) {
  for (const char* limit : {"0", "501", "-1", "abc", "10000"}) {
    HttpResult result =
        server().Get(std::string("/api/v1/submissions?limit=") + limit, Token("city-reviewer"));
    EXPECT_EQ(result.status, 400) << limit;
    EXPECT_EQ(result.ErrorCode(), "bad_request") << limit;
    ASSERT_FALSE(result.json.at("error").at("details").as_array().empty());
    EXPECT_EQ(Str(result.json.at("error").at("details").as_array()[0], "path"), "limit");
  }
  EXPECT_EQ(server().Get("/api/v1/submissions?limit=500", Token("city-reviewer")).status, 200);
  EXPECT_EQ(server().Get("/api/v1/tasks?limit=501", Token("city-reviewer")).status, 400);
  EXPECT_EQ(server().Get("/api/v1/submissions?cursor=xyz", Token("city-reviewer")).status, 400);
}

}  // namespace
}  // namespace jingsai::testing
