#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <optional>
#include <string>
#include <vector>

#include "storage/history.h"
#include "storage/items.h"
#include "storage/sha256.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kLater = "2014-09-02T03:00:00Z";

class HistoryStoreTest : public test_support::StorageTest {
 protected:
  // Creates `item` as the server does: the row, its "create" history row, and
  // the chain's head written back onto the item.
  engine::Status Create(Database& db, ItemRecord& item) {
    engine::Result<int64_t> id = InsertItem(db, item);
    if (!id.ok()) return std::move(id).error();
    item.instance.id = id.value();
    engine::Result<HistoryRecord> row = AppendHistory(
        db, item, {"create", "", item.instance.stage, ""}, submitter_id_, "submitter", NowText());
    if (!row.ok()) return std::move(row).error();
    return UpdateItem(db, item, item.instance.version);
  }

  // Moves `item` to `to` with a history row, writing it only if the stored
  // version is still `expected_version`.
  engine::Status Step(Database& db, ItemRecord& item, const std::string& action,
                      const std::string& to, const std::string& comment, int64_t expected_version) {
    engine::Fact fact{action, item.instance.stage, to, comment};
    item.instance.stage = to;
    item.instance.version += 1;
    item.last_action = action;
    item.updated_at = kLater;
    engine::Result<HistoryRecord> row =
        AppendHistory(db, item, fact, reviewer_id_, "reviewer", kLater);
    if (!row.ok()) return std::move(row).error();
    return UpdateItem(db, item, expected_version);
  }

  // A report taken through five steps, committed one unit each.
  int64_t ReportWithFiveSteps() {
    ItemRecord item = NewReport();
    EXPECT_TRUE(writer().RunSync([&](Database& db) { return Create(db, item); }).ok());
    struct Move {
      const char* action;
      const char* to;
      const char* comment;
    };
    for (const Move& move :
         {Move{"submit", "county_review", ""}, Move{"return", "draft", "请补充佐证材料"},
          Move{"submit", "county_review", "已补充"}, Move{"approve", "city_review", "同意"}}) {
      engine::Status status = writer().RunSync([&](Database& db) {
        return Step(db, item, move.action, move.to, move.comment, item.instance.version);
      });
      EXPECT_TRUE(status.ok());
    }
    return item.instance.id;
  }

  std::optional<ItemRecord> Load(int64_t id) {
    engine::Result<std::optional<ItemRecord>> item = LoadItem(db(), id);
    EXPECT_TRUE(item.ok());
    return item.ok() ? item.value() : std::nullopt;
  }

  std::vector<HistoryRecord> History(int64_t id) {
    engine::Result<std::vector<HistoryRecord>> rows = LoadHistory(db(), id);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? rows.value() : std::vector<HistoryRecord>{};
  }

  static std::vector<std::string> Actions(const std::vector<HistoryRecord>& rows) {
    std::vector<std::string> actions;
    for (const HistoryRecord& row : rows) actions.push_back(row.action);
    return actions;
  }

  // Lets the test alter history as an attacker with file access could.
  void DropAppendOnlyTriggers() {
    ASSERT_TRUE(db().Exec("DROP TRIGGER history_is_append_only_update; "
                          "DROP TRIGGER history_is_append_only_delete;")
                    .ok());
  }

  static std::string NowText() { return std::string(test_support::kNow); }
};

TEST_F(HistoryStoreTest, InsertStepAndHistoryInOneUnitAreAllCommitted) {
  ItemRecord item = NewReport();
  engine::Status status = writer().RunSync([&](Database& db) -> engine::Status {
    if (engine::Status created = Create(db, item); !created.ok()) return created;
    return Step(db, item, "submit", "county_review", "请审核", 1);
  });
  ASSERT_TRUE(status.ok());

  std::optional<ItemRecord> stored = Load(item.instance.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->instance.stage, "county_review");
  EXPECT_EQ(stored->instance.version, 2);
  EXPECT_EQ(stored->last_action, "submit");
  EXPECT_EQ(stored->history_seq, 2);
  std::vector<HistoryRecord> rows = History(item.instance.id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].from, "draft");
  EXPECT_EQ(rows[1].to, "county_review");
  EXPECT_EQ(rows[1].comment, "请审核");
  EXPECT_EQ(rows[1].actor_id, reviewer_id_);
  EXPECT_EQ(rows[1].actor, "reviewer");
  EXPECT_EQ(rows[1].at, kLater);
  EXPECT_EQ(stored->history_head, rows[1].hash);
  EXPECT_TRUE(VerifyItemHistory(db(), item.instance.id).ok());
}

TEST_F(HistoryStoreTest, StaleVersionLeavesNeitherTheChangeNorItsHistoryRow) {
  ItemRecord item = NewReport();
  ASSERT_TRUE(writer().RunSync([&](Database& db) { return Create(db, item); }).ok());
  const std::string head = item.history_head;

  // The history row is written first, then the version check refuses the
  // write: the whole unit must vanish.
  ItemRecord changed = item;
  changed.instance.data = boost::json::parse(R"({"indicators": {"proposals_submitted": 1}})");
  engine::Status status = writer().RunSync([&](Database& db) {
    // On a copy: a unit that fails after writing runs again (Writer::Unit).
    ItemRecord attempt = changed;
    return Step(db, attempt, "submit", "county_review", "", item.instance.version - 1);
  });

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, engine::ErrorCode::kVersionMismatch);
  std::optional<ItemRecord> stored = Load(item.instance.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->instance.stage, "draft");
  EXPECT_EQ(stored->instance.version, 1);
  EXPECT_EQ(stored->instance.data, item.instance.data);
  EXPECT_EQ(stored->history_seq, 1);
  EXPECT_EQ(stored->history_head, head);
  EXPECT_THAT(Actions(History(item.instance.id)), ElementsAre("create"));
  EXPECT_TRUE(VerifyItemHistory(db(), item.instance.id).ok());
}

TEST_F(HistoryStoreTest, StaleCopyCannotForkTheChain) {
  ItemRecord item = NewReport();
  ASSERT_TRUE(writer().RunSync([&](Database& db) { return Create(db, item); }).ok());
  // Two writers (say, two servers) read version 1 and act at once.
  ItemRecord first = item;
  ItemRecord second = item;
  std::optional<engine::Status> second_result;
  writer().Submit([&](Database& db) { return Step(db, first, "submit", "county_review", "", 1); },
                  [](engine::Status status) { EXPECT_TRUE(status.ok()); });
  writer().Submit([&](Database& db) { return Step(db, second, "withdraw", "draft", "", 1); },
                  [&](engine::Status status) { second_result = status; });
  ASSERT_TRUE(writer().RunSync([](Database&) { return engine::Status(engine::Ok{}); }).ok());

  // The second step's history row would take the first's place in the chain.
  ASSERT_TRUE(second_result.has_value());
  ASSERT_FALSE(second_result->ok());
  EXPECT_EQ(second_result->error().code, engine::ErrorCode::kConflict);
  EXPECT_THAT(Actions(History(item.instance.id)), ElementsAre("create", "submit"));
  std::optional<ItemRecord> stored = Load(item.instance.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->instance.stage, "county_review");
  EXPECT_TRUE(VerifyItemHistory(db(), item.instance.id).ok());
}

TEST_F(HistoryStoreTest, ChainLinksEveryStepAndVerifies) {
  const int64_t id = ReportWithFiveSteps();

  std::vector<HistoryRecord> rows = History(id);
  EXPECT_THAT(Actions(rows), ElementsAre("create", "submit", "return", "submit", "approve"));
  std::string previous;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(rows[i].prev_hash, previous);
    EXPECT_EQ(rows[i].hash, ComputeHistoryHash(rows[i]));
    EXPECT_EQ(rows[i].hash.size(), 64u);
    previous = rows[i].hash;
  }
  std::optional<ItemRecord> stored = Load(id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->history_seq, 5);
  EXPECT_EQ(stored->history_head, previous);
  EXPECT_EQ(rows.back().data_hash, Sha256Hex(R"({"indicators":{"proposals_submitted":1200}})"));
  EXPECT_TRUE(VerifyItemHistory(db(), id).ok());
}

TEST_F(HistoryStoreTest, HashCoversEveryFieldAndTheirBoundaries) {
  HistoryRecord row{7,
                    3,
                    kLater,
                    5,
                    "reviewer",
                    "approve",
                    "county_review",
                    "city_review",
                    "同意",
                    std::string(64, 'a'),
                    std::string(64, 'b'),
                    ""};
  const std::string hash = ComputeHistoryHash(row);
  std::vector<HistoryRecord> altered(12, row);
  altered[0].item_id = 8;
  altered[1].seq = 4;
  altered[2].at = "2014-09-02T03:00:01Z";
  altered[3].actor_id = std::nullopt;
  altered[4].actor = "reviewer2";
  altered[5].action = "return";
  altered[6].from = "draft";
  altered[7].to = "approved";
  altered[8].comment = "同意。";
  altered[9].data_hash = std::string(64, 'c');
  altered[10].prev_hash = "";
  // The same characters split differently between two fields.
  altered[11].actor = "reviewera";
  altered[11].action = "pprove";
  for (size_t i = 0; i < altered.size(); ++i) {
    EXPECT_NE(ComputeHistoryHash(altered[i]), hash) << "alteration " << i;
  }
  row.hash = "anything";  // the stored hash is not part of its own input
  EXPECT_EQ(ComputeHistoryHash(row), hash);
}

TEST_F(HistoryStoreTest, TriggersRefuseToUpdateOrDeleteHistory) {
  const int64_t id = ReportWithFiveSteps();
  std::vector<HistoryRecord> before = History(id);

  engine::Status updated = db().Exec("UPDATE history SET comment = '同意' WHERE seq = 3");
  ASSERT_FALSE(updated.ok());
  EXPECT_THAT(updated.error().message, HasSubstr("history is append-only"));
  engine::Status deleted = db().Exec("DELETE FROM history WHERE seq = 5");
  ASSERT_FALSE(deleted.ok());
  EXPECT_THAT(deleted.error().message, HasSubstr("history is append-only"));

  std::vector<HistoryRecord> after = History(id);
  ASSERT_EQ(after.size(), before.size());
  EXPECT_EQ(after[2].comment, "请补充佐证材料");
  EXPECT_TRUE(VerifyItemHistory(db(), id).ok());
}

TEST_F(HistoryStoreTest, AlteredCommentIsFoundAtItsRow) {
  const int64_t id = ReportWithFiveSteps();
  DropAppendOnlyTriggers();
  ASSERT_TRUE(db().Exec("UPDATE history SET comment = '' WHERE item_id = " + std::to_string(id) +
                        " AND seq = 3")
                  .ok());

  engine::Status verified = VerifyItemHistory(db(), id);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code, engine::ErrorCode::kInternal);
  EXPECT_THAT(verified.error().message, HasSubstr("history row 3: hash does not match"));
}

TEST_F(HistoryStoreTest, RehashedRowBreaksTheLinkOfTheNextRow) {
  const int64_t id = ReportWithFiveSteps();
  DropAppendOnlyTriggers();
  HistoryRecord forged = History(id)[2];
  forged.comment = "";
  forged.hash = ComputeHistoryHash(forged);
  Query query =
      db().Prepare("UPDATE history SET comment = ?, hash = ? WHERE item_id = ? AND seq = 3");
  query->Bind(1, forged.comment).Bind(2, forged.hash).Bind(3, id);
  ASSERT_TRUE(query->Run().ok());

  engine::Status verified = VerifyItemHistory(db(), id);
  ASSERT_FALSE(verified.ok());
  EXPECT_THAT(verified.error().message, HasSubstr("history row 4: does not link"));
}

TEST_F(HistoryStoreTest, RemovedNewestRowIsFoundByTheItemsHead) {
  const int64_t id = ReportWithFiveSteps();
  DropAppendOnlyTriggers();
  ASSERT_TRUE(
      db().Exec("DELETE FROM history WHERE item_id = " + std::to_string(id) + " AND seq = 5").ok());

  engine::Status verified = VerifyItemHistory(db(), id);
  ASSERT_FALSE(verified.ok());
  EXPECT_THAT(verified.error().message, HasSubstr("history row 5: the item's recorded head"));
}

TEST_F(HistoryStoreTest, RemovedMiddleRowIsReportedMissing) {
  const int64_t id = ReportWithFiveSteps();
  DropAppendOnlyTriggers();
  ASSERT_TRUE(
      db().Exec("DELETE FROM history WHERE item_id = " + std::to_string(id) + " AND seq = 2").ok());

  engine::Status verified = VerifyItemHistory(db(), id);
  ASSERT_FALSE(verified.ok());
  EXPECT_THAT(verified.error().message, HasSubstr("history row 2: missing"));
}

TEST_F(HistoryStoreTest, ItemDataChangedWithoutAHistoryRowIsFound) {
  const int64_t id = ReportWithFiveSteps();
  Query query = db().Prepare("UPDATE items SET data = ? WHERE id = ?");
  query->Bind(1, R"({"indicators":{"proposals_submitted":99999}})").Bind(2, id);
  ASSERT_TRUE(query->Run().ok());

  engine::Status verified = VerifyItemHistory(db(), id);
  ASSERT_FALSE(verified.ok());
  EXPECT_THAT(verified.error().message,
              HasSubstr("history row 5: the item's data is not the data recorded"));
}

TEST_F(HistoryStoreTest, ItemStageChangedWithoutAHistoryRowIsFound) {
  const int64_t id = ReportWithFiveSteps();
  Query query = db().Prepare("UPDATE items SET stage = 'approved' WHERE id = ?");
  query->Bind(1, id);
  ASSERT_TRUE(query->Run().ok());

  engine::Status verified = VerifyItemHistory(db(), id);
  ASSERT_FALSE(verified.ok());
  EXPECT_THAT(verified.error().message, HasSubstr("history row 5: the item is not at its stage"));
}

TEST_F(HistoryStoreTest, OtherItemsChainsAreUntouchedByTampering) {
  const int64_t tampered = ReportWithFiveSteps();
  const int64_t intact = ReportWithFiveSteps();
  DropAppendOnlyTriggers();
  ASSERT_TRUE(db().Exec("UPDATE history SET actor = 'someone' WHERE item_id = " +
                        std::to_string(tampered) + " AND seq = 1")
                  .ok());

  EXPECT_FALSE(VerifyItemHistory(db(), tampered).ok());
  EXPECT_TRUE(VerifyItemHistory(db(), intact).ok());
}

// A step that keeps the assignee and the due time writes the item without
// them; one that changes either writes both. Both check the version.
TEST_F(HistoryStoreTest, StepsKeepOrChangeTheAssigneeAndTheDueTime) {
  ItemRecord item = NewReport();
  ASSERT_TRUE(writer().RunSync([&](Database& db) { return Create(db, item); }).ok());
  auto stored = [&] { return LoadItem(db(), item.instance.id).value().value(); };
  auto update = [&](int64_t expected_version) {
    return writer().RunSync([&](Database& db) { return UpdateItem(db, item, expected_version); });
  };

  item.instance.assignee = reviewer_id_;
  item.due_at = kLater;
  item.instance.version += 1;
  ASSERT_TRUE(update(item.instance.version - 1).ok());
  EXPECT_EQ(stored().instance.assignee, reviewer_id_);
  EXPECT_EQ(stored().due_at, kLater);

  item.instance.stage = "city_review";
  item.instance.version += 1;
  ASSERT_TRUE(update(item.instance.version - 1).ok());
  EXPECT_EQ(stored().instance.stage, "city_review");
  EXPECT_EQ(stored().instance.version, item.instance.version);
  EXPECT_EQ(stored().instance.assignee, reviewer_id_);
  EXPECT_EQ(stored().due_at, kLater);

  item.instance.stage = "county_review";
  engine::Status stale = update(item.instance.version - 1);  // unchanged assignee, stale version
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, engine::ErrorCode::kVersionMismatch);
  item.instance.assignee.reset();
  stale = update(item.instance.version - 1);  // changed assignee, stale version
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, engine::ErrorCode::kVersionMismatch);
  EXPECT_EQ(stored().instance.stage, "city_review");

  item.due_at.clear();
  item.instance.version += 1;
  ASSERT_TRUE(update(item.instance.version - 1).ok());
  EXPECT_EQ(stored().instance.stage, "county_review");
  EXPECT_EQ(stored().instance.assignee, std::nullopt);
  EXPECT_EQ(stored().due_at, "");
}

TEST_F(HistoryStoreTest, VerifyingAnUnknownItemIsNotFound) {
  engine::Status verified = VerifyItemHistory(db(), 12345);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code, engine::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace jingsai::storage
