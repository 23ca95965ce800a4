#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/items.h"
#include "storage/votes.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

using ::testing::ElementsAre;

constexpr const char* kRules = R"({"quorum":0.5,"majority":"more_than_half"})";
constexpr const char* kOpenedAt = "2014-11-03T01:00:00Z";
constexpr const char* kClosedAt = "2014-11-03T03:00:00Z";

class VotesStoreTest : public test_support::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    for (const char* title : {"推荐市中区供电公司", "推荐张三", "推荐李四"}) {
      engine::Result<int64_t> id = InsertItem(db(), NewNomination(title));
      ASSERT_TRUE(id.ok());
      nominations_.push_back(id.value());
    }
  }

  VoteSessionRecord Session(std::vector<int64_t> nominations) const {
    VoteSessionRecord session;
    session.campaign = std::string(test_support::kCampaign);
    session.title = "2014年度表彰评审会";
    session.rules = kRules;
    session.opened_by = reviewer_id_;
    session.opened_at = kOpenedAt;
    session.members = {reviewer_id_, submitter_id_};
    session.nominations = std::move(nominations);
    return session;
  }

  int64_t Open(std::vector<int64_t> nominations) {
    engine::Result<int64_t> id = InsertVoteSession(db(), Session(std::move(nominations)));
    EXPECT_TRUE(id.ok());
    return id.ok() ? id.value() : 0;
  }

  std::optional<VoteSessionRecord> LoadSession(int64_t id) {
    engine::Result<std::optional<VoteSessionRecord>> session = LoadVoteSession(db(), id);
    EXPECT_TRUE(session.ok());
    return session.ok() ? session.value() : std::nullopt;
  }

  std::optional<int64_t> OpenSession(int64_t item_id) {
    engine::Result<std::optional<int64_t>> session = OpenSessionOf(db(), item_id);
    EXPECT_TRUE(session.ok());
    return session.ok() ? session.value() : std::nullopt;
  }

  std::vector<BallotRecord> Ballots(int64_t session_id) {
    engine::Result<std::vector<BallotRecord>> ballots = LoadBallots(db(), session_id);
    EXPECT_TRUE(ballots.ok());
    return ballots.ok() ? ballots.value() : std::vector<BallotRecord>{};
  }

  std::vector<int64_t> nominations_;
};

TEST_F(VotesStoreTest, SessionRoundTripsOpenWithSortedParticipants) {
  // Given out of order; read back ascending.
  VoteSessionRecord written = Session({nominations_[2], nominations_[0]});
  written.members = {submitter_id_, reviewer_id_};
  engine::Result<int64_t> id = InsertVoteSession(db(), written);
  ASSERT_TRUE(id.ok());

  std::optional<VoteSessionRecord> read = LoadSession(id.value());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->id, id.value());
  EXPECT_EQ(read->campaign, "leshan-2014");
  EXPECT_EQ(read->title, "2014年度表彰评审会");
  EXPECT_EQ(read->rules, kRules);
  EXPECT_EQ(read->status, "open");
  EXPECT_EQ(read->opened_by, reviewer_id_);
  EXPECT_EQ(read->opened_at, kOpenedAt);
  EXPECT_EQ(read->closed_by, std::nullopt);
  EXPECT_EQ(read->closed_at, "");
  EXPECT_EQ(read->results, "");
  EXPECT_THAT(read->members, ElementsAre(std::min(reviewer_id_, submitter_id_),
                                         std::max(reviewer_id_, submitter_id_)));
  EXPECT_THAT(read->nominations, ElementsAre(nominations_[0], nominations_[2]));
}

TEST_F(VotesStoreTest, SessionIsStoredOpenWhateverTheRecordSays) {
  VoteSessionRecord written = Session({nominations_[0]});
  written.status = "closed";
  written.results = "{}";
  engine::Result<int64_t> id = InsertVoteSession(db(), written);
  ASSERT_TRUE(id.ok());
  std::optional<VoteSessionRecord> read = LoadSession(id.value());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->status, "open");
  EXPECT_EQ(read->results, "");
}

TEST_F(VotesStoreTest, UnknownSessionIsEmpty) { EXPECT_EQ(LoadSession(987), std::nullopt); }

TEST_F(VotesStoreTest, SessionOverAMissingNominationIsRefused) {
  engine::Result<int64_t> id = InsertVoteSession(db(), Session({nominations_[0], 4040}));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, engine::ErrorCode::kConflict);
}

TEST_F(VotesStoreTest, PutBallotReplacesTheMembersBallot) {
  const int64_t session = Open({nominations_[0], nominations_[1]});
  ASSERT_TRUE(
      PutBallot(db(), session, {reviewer_id_, nominations_[0], "for", "n1", kOpenedAt}).ok());
  ASSERT_TRUE(PutBallot(db(), session,
                        {reviewer_id_, nominations_[0], "against", "n2", "2014-11-03T01:30:00Z"})
                  .ok());

  std::vector<BallotRecord> ballots = Ballots(session);
  ASSERT_EQ(ballots.size(), 1u);
  EXPECT_EQ(ballots[0].user_id, reviewer_id_);
  EXPECT_EQ(ballots[0].item_id, nominations_[0]);
  EXPECT_EQ(ballots[0].choice, "against");
  EXPECT_EQ(ballots[0].nonce, "n2");
  EXPECT_EQ(ballots[0].cast_at, "2014-11-03T01:30:00Z");
}

TEST_F(VotesStoreTest, BallotsAreKeptPerMemberAndNomination) {
  const int64_t session = Open({nominations_[0], nominations_[1]});
  ASSERT_TRUE(
      PutBallot(db(), session, {submitter_id_, nominations_[1], "abstain", "a", kOpenedAt}).ok());
  ASSERT_TRUE(
      PutBallot(db(), session, {reviewer_id_, nominations_[1], "for", "b", kOpenedAt}).ok());
  ASSERT_TRUE(
      PutBallot(db(), session, {reviewer_id_, nominations_[0], "against", "c", kOpenedAt}).ok());

  std::vector<std::string> seen;
  for (const BallotRecord& ballot : Ballots(session)) seen.push_back(ballot.nonce);
  // Ordered by member, then nomination.
  if (reviewer_id_ < submitter_id_) {
    EXPECT_THAT(seen, ElementsAre("c", "b", "a"));
  } else {
    EXPECT_THAT(seen, ElementsAre("a", "c", "b"));
  }
  EXPECT_TRUE(Ballots(Open({nominations_[2]})).empty());
}

TEST_F(VotesStoreTest, BallotWithAnUnknownChoiceIsRefused) {
  const int64_t session = Open({nominations_[0]});
  engine::Status put =
      PutBallot(db(), session, {reviewer_id_, nominations_[0], "maybe", "n", kOpenedAt});
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, engine::ErrorCode::kConflict);
  EXPECT_TRUE(Ballots(session).empty());
}

TEST_F(VotesStoreTest, OpenSessionOfFindsOnlyOpenSessionsCoveringTheItem) {
  EXPECT_EQ(OpenSession(nominations_[0]), std::nullopt);
  const int64_t session = Open({nominations_[0], nominations_[1]});

  EXPECT_EQ(OpenSession(nominations_[0]), session);
  EXPECT_EQ(OpenSession(nominations_[1]), session);
  EXPECT_EQ(OpenSession(nominations_[2]), std::nullopt);

  ASSERT_TRUE(CloseVoteSession(db(), session, reviewer_id_, kClosedAt, "{}").ok());
  EXPECT_EQ(OpenSession(nominations_[0]), std::nullopt);

  const int64_t next = Open({nominations_[0]});
  EXPECT_NE(next, session);
  EXPECT_EQ(OpenSession(nominations_[0]), next);
}

TEST_F(VotesStoreTest, SessionClosesOnlyOnce) {
  const int64_t session = Open({nominations_[0]});
  const std::string results = R"({"items":[{"item":1,"outcome":"commended"}]})";
  ASSERT_TRUE(CloseVoteSession(db(), session, reviewer_id_, kClosedAt, results).ok());

  engine::Status again =
      CloseVoteSession(db(), session, submitter_id_, "2014-11-04T00:00:00Z", R"({"items":[]})");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, engine::ErrorCode::kInvalidAction);

  std::optional<VoteSessionRecord> read = LoadSession(session);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->status, "closed");
  EXPECT_EQ(read->closed_by, reviewer_id_);
  EXPECT_EQ(read->closed_at, kClosedAt);
  EXPECT_EQ(read->results, results);
}

TEST_F(VotesStoreTest, ClosingAnUnknownSessionIsRefused) {
  engine::Status closed = CloseVoteSession(db(), 555, reviewer_id_, kClosedAt, "{}");
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().code, engine::ErrorCode::kInvalidAction);
}

TEST_F(VotesStoreTest, ListsNewestFirstByCampaignWithACursor) {
  const int64_t first = Open({nominations_[0]});
  const int64_t second = Open({nominations_[1]});
  const int64_t third = Open({nominations_[2]});
  auto ids = [](const engine::Result<std::vector<VoteSessionRecord>>& sessions) {
    std::vector<int64_t> out;
    if (sessions.ok()) {
      for (const VoteSessionRecord& session : sessions.value()) out.push_back(session.id);
    }
    return out;
  };

  EXPECT_THAT(ids(ListVoteSessions(db(), std::nullopt, INT64_MAX, 10)),
              ElementsAre(third, second, first));
  EXPECT_THAT(ids(ListVoteSessions(db(), std::string("leshan-2014"), third, 1)),
              ElementsAre(second));
  EXPECT_TRUE(ids(ListVoteSessions(db(), std::string("other"), INT64_MAX, 10)).empty());
  engine::Result<std::vector<VoteSessionRecord>> listed =
      ListVoteSessions(db(), std::nullopt, INT64_MAX, 1);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_THAT(listed->front().nominations, ElementsAre(nominations_[2]));
}

}  // namespace
}  // namespace jingsai::storage
