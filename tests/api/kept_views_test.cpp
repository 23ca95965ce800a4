// What users see of items the server keeps rendered between reads (ItemViews):
// every read after a step, a handover, a flow migration or a vote shows the
// item's new state, never the kept old one; what depends on the viewer (the
// allowed actions, who may see it at all) and on the time (overdue) is
// judged on every request.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "api/inbox_pages.h"
#include "api/item_views.h"
#include "storage/sqlite.h"
#include "tests/api/commendation_fixture.h"
#include "tests/api/flow_admin_fixture.h"

namespace jingsai::testing {
namespace {

using namespace std::chrono_literals;
using Names = std::vector<std::string>;
using Ids = std::vector<int64_t>;

std::string ETagOf(int64_t version) { return "\"" + std::to_string(version) + "\""; }

// `text` with every `from` replaced by `to`.
std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class KeptViews : public FlowAdminTest {
 protected:
  KeptViews() = default;
  explicit KeptViews(TestServer::Options options) : FlowAdminTest(std::move(options)) {}

  // How many reads were answered from a kept view so far.
  uint64_t Hits() { return server().app().item_views().counts().hits; }

  // The inbox of `user` as a list of items (fails the test unless 200).
  boost::json::array Inbox(const std::string& user) {
    HttpResult tasks = server().Get("/api/v1/tasks", Token(user));
    EXPECT_EQ(tasks.status, 200) << tasks.body;
    return tasks.status == 200 ? tasks.json.at("items").as_array() : boost::json::array{};
  }
};

TEST_F(KeptViews, AReportReadAgainAfterItsSubmitShowsTheNewState) {
  const std::string& submitter = Token("jiajiang-submitter");
  int64_t id = CreateReport(submitter, "jiajiang-ceramics");
  AttachDocument(submitter, id);
  HttpResult first = GetReport(submitter, id);
  ASSERT_EQ(first.status, 200) << first.body;
  const int64_t version = Int(first.json, "version");
  const uint64_t hits = Hits();
  HttpResult again = GetReport(submitter, id);
  EXPECT_GT(Hits(), hits) << "the second read is answered from the kept view";
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("etag"), ETagOf(version));

  ActOk(submitter, id, "submit");
  HttpResult submitted = GetReport(submitter, id);
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(Int(submitted.json, "version"), version + 1);
  EXPECT_EQ(submitted.Header("etag"), ETagOf(version + 1));
  EXPECT_EQ(Str(submitted.json, "stage"), "county_review");
  EXPECT_EQ(Str(submitted.json, "stage_title"), "县级审核");
  EXPECT_EQ(Str(submitted.json, "status"), "in_review");
  EXPECT_TRUE(submitted.json.at("submitted_at").is_string()) << submitted.body;
  EXPECT_EQ(AllowedActionNames(submitted.json), Names{"withdraw"});
  // Read again, it is still the new state.
  EXPECT_EQ(GetReport(submitter, id).body, submitted.body);
}

TEST_F(KeptViews, AReportReadAgainWithNothingCommittedIsNotLookedUpAgain) {
  const std::string& submitter = Token("jiajiang-submitter");
  int64_t id = CreateReport(submitter, "jiajiang-ceramics");
  int64_t other_report = CreateReport(submitter, "jiajiang-ceramics");
  ASSERT_EQ(GetReport(submitter, other_report).status, 200);
  HttpResult first = GetReport(submitter, id);
  ASSERT_EQ(first.status, 200) << first.body;
  const storage::StampWatch::Counts before = server().app().stamp_watch().counts();
  EXPECT_EQ(GetReport(submitter, id).body, first.body);
  EXPECT_EQ(GetReport(submitter, id).body, first.body);
  const storage::StampWatch::Counts after = server().app().stamp_watch().counts();
  EXPECT_EQ(after.known - before.known, 2u) << "answered without a statement";
  EXPECT_EQ(after.read, before.read);

  // Another process on the same file changes the report: the next read sees it.
  {
    engine::Result<std::unique_ptr<storage::Database>> other =
        storage::Database::Open(server().db_path(), {});
    ASSERT_TRUE(other.ok());
    storage::Query rename = other.value()->Prepare(
        "UPDATE items SET title = '改过的标题', version = version + 1 WHERE id = ?");
    rename->Bind(1, id);
    ASSERT_TRUE(rename->Run().ok());
  }
  ASSERT_EQ(GetReport(submitter, other_report).status, 200);  // read first after the change
  HttpResult renamed = GetReport(submitter, id);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(Str(renamed.json, "title"), "改过的标题");
  EXPECT_EQ(renamed.Header("etag"), ETagOf(Int(first.json, "version") + 1));
}

TEST_F(KeptViews, AReportReadAgainAfterTheReviewersApprovalShowsTheNewState) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const std::string& reviewer = Token("jiajiang-reviewer");
  const int64_t version = Int(Item(reviewer, id), "version");
  EXPECT_EQ(AllowedActionNames(Item(reviewer, id)), (Names{"approve", "return"}));

  ActOk(reviewer, id, "approve");
  HttpResult approved = GetReport(reviewer, id);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Int(approved.json, "version"), version + 1);
  EXPECT_EQ(approved.Header("etag"), ETagOf(version + 1));
  EXPECT_EQ(Str(approved.json, "stage"), "city_review");
  EXPECT_EQ(Str(approved.json, "stage_title"), "市级审核");
  EXPECT_EQ(AllowedActionNames(approved.json), Names{});
  EXPECT_EQ(AllowedActionNames(Item(Token("city-reviewer"), id)), (Names{"approve", "return"}));
}

TEST_F(KeptViews, TheReportListShowsTheStateAfterAStep) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  auto listed = [&] {
    HttpResult list = server().Get("/api/v1/submissions", Token("jiajiang-reviewer"));
    EXPECT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(ItemIds(list), Ids{id});
    return list.status == 200 ? list.json.at("items").at(0) : boost::json::value{};
  };
  const int64_t version = Int(listed(), "version");
  const uint64_t hits = Hits();
  EXPECT_EQ(Str(listed(), "stage"), "county_review");
  EXPECT_GT(Hits(), hits);

  ActOk(Token("jiajiang-reviewer"), id, "approve");
  boost::json::value item = listed();
  EXPECT_EQ(Str(item, "stage"), "city_review");
  EXPECT_EQ(Int(item, "version"), version + 1);
  EXPECT_EQ(AllowedActionNames(item), Names{});
}

TEST_F(KeptViews, AnApprovedReportLeavesTheCountyInboxForTheCitysWithItsNewState) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const int64_t version = Int(Item(Token("admin"), id), "version");
  for (int read = 0; read < 2; ++read) {
    boost::json::array county = Inbox("jiajiang-reviewer");
    ASSERT_EQ(county.size(), 1u);
    EXPECT_EQ(Int(county[0], "id"), id);
    EXPECT_EQ(Str(county[0], "stage"), "county_review");
    EXPECT_EQ(Inbox("city-reviewer"), boost::json::array{});
  }
  // Read again unchanged, the inbox is answered from its kept page, which
  // holds the kept views' text.
  const uint64_t hits = server().app().inbox_pages().counts().hits;
  EXPECT_EQ(Inbox("jiajiang-reviewer").size(), 1u);
  EXPECT_GT(server().app().inbox_pages().counts().hits, hits) << "the inbox page is kept";

  ActOk(Token("jiajiang-reviewer"), id, "approve");
  EXPECT_EQ(Inbox("jiajiang-reviewer"), boost::json::array{});
  boost::json::array city = Inbox("city-reviewer");
  ASSERT_EQ(city.size(), 1u);
  EXPECT_EQ(Int(city[0], "id"), id);
  EXPECT_EQ(Str(city[0], "stage"), "city_review");
  EXPECT_EQ(Int(city[0], "version"), version + 1);
  EXPECT_EQ(AllowedActionNames(city[0]), (Names{"approve", "return"}));
  // These inboxes were answered by the index in memory, not by SQLite.
  EXPECT_TRUE(server().app().stage_index().answering());
}

TEST_F(KeptViews, AnInboxShowsWhatAnotherProcessChangedInTheDatabase) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  for (int read = 0; read < 2; ++read) {
    ASSERT_EQ(Inbox("jiajiang-reviewer").size(), 1u);
    EXPECT_EQ(Inbox("city-reviewer"), boost::json::array{});
  }
  // Another process on the same file (another server, a repair by hand)
  // moves the report on; this server's memory has not seen it.
  {
    engine::Result<std::unique_ptr<storage::Database>> other =
        storage::Database::Open(server().db_path(), {});
    ASSERT_TRUE(other.ok());
    storage::Query move = other.value()->Prepare(
        "UPDATE items SET stage = 'city_review', version = version + 1 WHERE id = ?");
    move->Bind(1, id);
    ASSERT_TRUE(move->Run().ok());
  }
  EXPECT_EQ(Inbox("jiajiang-reviewer"), boost::json::array{});
  boost::json::array city = Inbox("city-reviewer");
  ASSERT_EQ(city.size(), 1u);
  EXPECT_EQ(Str(city[0], "stage"), "city_review");

  // And after this server's own next step, still what the database holds.
  ActOk(Token("city-reviewer"), id, "approve");
  EXPECT_EQ(Inbox("city-reviewer"), boost::json::array{});
  int64_t next = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), Ids{next});
}

TEST_F(KeptViews, AReportHandedOverLeavesTheInboxOfTheReviewerWhoHandedItOver) {
  CreateJiajiangReviewer("jiajiang-reviewer2");
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  for (int read = 0; read < 2; ++read) {
    EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), Ids{id});
    EXPECT_EQ(Tasks(Token("jiajiang-reviewer2")), Ids{id});
  }

  HttpResult handed = HandOver(Token("jiajiang-reviewer"), id, "jiajiang-reviewer2");
  ASSERT_EQ(handed.status, 200) << handed.body;
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), Ids{});
  boost::json::array inbox = Inbox("jiajiang-reviewer2");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(Str(inbox[0], "assignee"), "jiajiang-reviewer2");
  EXPECT_EQ(Int(inbox[0], "version"), Int(handed.json, "version"));
  EXPECT_EQ(AllowedActionNames(Item(Token("jiajiang-reviewer"), id)), Names{});
}

TEST_F(KeptViews, EachViewerSeesTheirOwnActionsOnAKeptReport) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const uint64_t hits = Hits();
  for (int read = 0; read < 2; ++read) {
    EXPECT_EQ(AllowedActionNames(Item(Token("jiajiang-reviewer"), id)),
              (Names{"approve", "return"}));
    EXPECT_EQ(AllowedActionNames(Item(Token("jiajiang-submitter"), id)), Names{"withdraw"});
    EXPECT_EQ(AllowedActionNames(Item(Token("city-reviewer"), id)), Names{});
  }
  EXPECT_GE(Hits(), hits + 5) << "all reads but the first are answered from the kept view";

  // In the inbox too, the kept view carries the caller's actions.
  boost::json::array county = Inbox("jiajiang-reviewer");
  ASSERT_EQ(county.size(), 1u);
  EXPECT_EQ(AllowedActionNames(county[0]), (Names{"approve", "return"}));
  EXPECT_EQ(AllowedActionNames(Item(Token("jiajiang-submitter"), id)), Names{"withdraw"});
}

TEST_F(KeptViews, AnotherCountysReviewerGetsNotFoundBeforeAndAfterTheViewIsKept) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const std::string& outsider = Token("shizhong-reviewer");
  HttpResult before = GetReport(outsider, id);
  EXPECT_EQ(before.status, 404) << before.body;
  EXPECT_EQ(before.ErrorCode(), "not_found");

  for (int read = 0; read < 2; ++read) Item(Token("jiajiang-reviewer"), id);
  HttpResult after = GetReport(outsider, id);
  EXPECT_EQ(after.status, 404) << after.body;
  EXPECT_EQ(after.body, before.body);
  HttpResult missing = GetReport(outsider, id + 1000);
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(Replaced(missing.body, std::to_string(id + 1000), "{id}"),
            Replaced(after.body, std::to_string(id), "{id}"));

  EXPECT_EQ(Tasks(outsider), Ids{});
  HttpResult listed = server().Get("/api/v1/submissions", outsider);
  EXPECT_EQ(ItemIds(listed), Ids{});
  // Nor is a kept report a nomination.
  HttpResult as_nomination =
      server().Get("/api/v1/nominations/" + std::to_string(id), Token("jiajiang-reviewer"));
  EXPECT_EQ(as_nomination.status, 404) << as_nomination.body;
}

// The answer for a report the caller may not see must not tell it from one
// that does not exist, however its id is written and whether or not its view
// is kept.
TEST_F(KeptViews, AHiddenReportAnswersLikeAMissingOneWhateverTheIdText) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const std::string& outsider = Token("shizhong-reviewer");
  // The 404's body with the id, as asked and as a number, made anonymous.
  auto shape = [&](int64_t of) {
    const std::string text = "0" + std::to_string(of);
    HttpResult answer = server().Get("/api/v1/submissions/" + text, outsider);
    EXPECT_EQ(answer.status, 404) << answer.body;
    return Replaced(Replaced(answer.body, text, "{as asked}"), std::to_string(of), "{number}");
  };
  const std::string missing = shape(id + 1000);
  EXPECT_EQ(shape(id), missing) << "view not kept";
  Item(Token("jiajiang-reviewer"), id);
  EXPECT_EQ(shape(id), missing) << "view kept";
}

TEST_F(KeptViews, AMigratedReportShowsItsNewFlowVersionAndStageTitle) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  const std::string& reviewer = Token("jiajiang-reviewer");
  boost::json::value before = Item(reviewer, id);
  ASSERT_EQ(Item(reviewer, id), before);
  EXPECT_EQ(Int(before.at("flow"), "version"), 1);
  EXPECT_EQ(Str(before, "stage_title"), "县级审核");
  const int64_t version = Int(before, "version");

  ASSERT_EQ(PublishCountyWith("county_review", "title", "县级初审"), 2);
  HttpResult migrated = server().Post(
      "/api/v1/flows/report-county/migrations",
      {{"from_version", 1},
       {"to_version", 2},
       {"mapping",
        {{"draft", "draft"}, {"county_review", "county_review"}, {"city_review", "city_review"}}}},
      Token("admin"));
  ASSERT_EQ(migrated.status, 200) << migrated.body;

  // A migration is a step of its own: the item's version goes up by one too.
  HttpResult after = GetReport(reviewer, id);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(Int(after.json.at("flow"), "version"), 2);
  EXPECT_EQ(Int(after.json, "version"), version + 1);
  EXPECT_EQ(after.Header("etag"), ETagOf(version + 1));
  EXPECT_EQ(Str(after.json, "stage"), "county_review");
  EXPECT_EQ(Str(after.json, "stage_title"), "县级初审");
  EXPECT_EQ(AllowedActionNames(after.json), (Names{"approve", "return"}));
  boost::json::array inbox = Inbox("jiajiang-reviewer");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(Int(inbox[0].at("flow"), "version"), 2);
  EXPECT_EQ(Str(inbox[0], "stage_title"), "县级初审");
}

class KeptViewsOnAClock : public KeptViews {
 protected:
  KeptViewsOnAClock() : KeptViews(TestServer::Options::OnClockAt("2014-06-01T02:00:00Z")) {}

  // A token from a login now: the clock moves past a token's lifetime here.
  std::string Fresh(const std::string& username) { return server().LoginDemo(username); }
};

TEST_F(KeptViewsOnAClock, AKeptReportBecomesOverdueWhenTheClockPassesItsDueTime) {
  ASSERT_EQ(PublishCountyWith("county_review", "due", {{"days", 3}}), 2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  boost::json::value due = Item(Token("jiajiang-reviewer"), id);
  EXPECT_EQ(Str(due, "due_at"), "2014-06-04T02:00:00.000Z");
  EXPECT_FALSE(due.at("overdue").as_bool());
  EXPECT_EQ(Item(Token("jiajiang-reviewer"), id), due);

  server().Advance(3 * 24h + 1s);
  const std::string reviewer = Fresh("jiajiang-reviewer");
  const uint64_t hits = Hits();
  boost::json::value late = Item(reviewer, id);
  EXPECT_GT(Hits(), hits) << "the item has not changed: its kept view answers";
  EXPECT_TRUE(late.at("overdue").as_bool()) << late;
  EXPECT_EQ(Str(late, "due_at"), "2014-06-04T02:00:00.000Z");
  EXPECT_EQ(Int(late, "version"), Int(due, "version"));
  HttpResult inbox = server().Get("/api/v1/tasks?overdue=true", reviewer);
  ASSERT_EQ(ItemIds(inbox), Ids{id}) << inbox.body;
  EXPECT_TRUE(inbox.json.at("items").at(0).at("overdue").as_bool());
}

class KeptNominations : public CommendationTest {
 protected:
  boost::json::value LastHistoryRow(int64_t id) {
    boost::json::array rows = NominationHistory(id);
    return rows.empty() ? boost::json::value{} : rows.back();
  }
};

// A session without quorum moves no nomination but records the attempt on
// each one's history and updated_at; a kept view must not hide that.
TEST_F(KeptNominations, ANominationReadAfterAVoteWithoutQuorumShowsWhenItWasUpdated) {
  const int64_t id = UnitInVote("jiajiang-ceramics");
  const boost::json::value before = Nomination(id);
  ASSERT_EQ(Nomination(id), before);
  EXPECT_EQ(Str(before, "updated_at"), Str(LastHistoryRow(id), "at"));

  const int64_t session = OpenVoteOk();
  CastOk("voter1", session, {{id, "for"}});
  std::this_thread::sleep_for(5ms);  // so that the close has a later time
  CloseOk(session);
  const boost::json::value row = LastHistoryRow(id);
  ASSERT_EQ(Str(row, "action"), "vote_no_quorum");
  ASSERT_NE(Str(row, "at"), Str(before, "updated_at"));

  const boost::json::value after = Nomination(id);
  EXPECT_EQ(Str(after, "stage"), "vote");
  EXPECT_EQ(Str(after, "updated_at"), Str(row, "at")) << after;
}

}  // namespace
}  // namespace jingsai::testing
