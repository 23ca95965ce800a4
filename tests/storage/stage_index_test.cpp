// The inbox's index in memory: it answers what SQLite's stage index answers,
// the writer keeps it so after every commit, and it never answers for a
// state of the database it has not seen.
#include "storage/stage_index.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/items.h"
#include "storage/writer.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

using test_support::StorageTest;

// In these tests no one acts at "approved".
bool KeepUnlessApproved(std::string_view, int, std::string_view stage) {
  return stage != "approved";
}

class StageIndexTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    index_ = std::make_unique<StageIndex>(KeepUnlessApproved);
  }
  void TearDown() override {
    index_writer_.reset();
    index_.reset();
    StorageTest::TearDown();
  }

  // A writer that keeps the index, as the server's does.
  Writer& IndexWriter() {
    if (index_writer_ == nullptr) {
      index_writer_ = std::make_unique<Writer>(OpenConnection(), 512, index_.get());
    }
    return *index_writer_;
  }

  int64_t Insert(Database& db, std::string_view stage, int64_t scope,
                 std::string_view flow = "report-county", std::string_view kind = "submission") {
    ItemRecord item = NewReport();
    item.kind = std::string(kind);
    item.flow_key = std::string(flow);
    item.instance.stage = std::string(stage);
    item.county_scope_id = scope;
    engine::Result<int64_t> id = InsertItem(db, item);
    EXPECT_TRUE(id.ok());
    return id.ok() ? id.value() : 0;
  }

  int64_t WriterInsert(std::string_view stage, int64_t scope) {
    int64_t id = 0;
    EXPECT_TRUE(IndexWriter()
                    .RunSync([&](Database& db) -> engine::Status {
                      id = Insert(db, stage, scope);
                      return engine::Ok{};
                    })
                    .ok());
    return id;
  }

  // Moves the item to `stage` by a step (a new version), on `db`.
  static engine::Status MoveTo(Database& db, int64_t id, std::string_view stage) {
    engine::Result<std::optional<ItemRecord>> item = LoadItem(db, id);
    if (!item.ok()) return std::move(item).error();
    ItemRecord moved = item.value().value();
    moved.instance.stage = std::string(stage);
    moved.instance.version += 1;
    return UpdateItem(db, moved, item.value()->instance.version);
  }

  StageQuery CountyInbox(std::string stage = "county_review", int64_t after_id = 0,
                         int limit = 50) const {
    StageQuery query;
    query.flow_keys = {"report-county", "commendation"};
    query.stage = std::move(stage);
    query.column = ScopeColumn::kCountyScope;
    query.org_id = county_id_;
    query.after_id = after_id;
    query.limit = limit;
    return query;
  }

  // The index's answer, asserting that it has one and that it is SQLite's.
  std::vector<ItemStamp> Answer(const StageQuery& query) {
    ReadSnapshot snapshot(db());
    engine::Result<int64_t> generation = ItemsGeneration(db());
    EXPECT_TRUE(generation.ok());
    std::optional<std::vector<ItemStamp>> kept = index_->StampsAtStage(query, generation.value());
    EXPECT_TRUE(kept.has_value()) << "the index does not answer at generation "
                                  << generation.value();
    engine::Result<std::vector<ItemStamp>> stored = StampsAtStage(db(), query);
    EXPECT_TRUE(stored.ok());
    if (!kept || !stored.ok()) return {};
    EXPECT_EQ(kept.value(), stored.value());
    return kept.value();
  }

  static std::vector<int64_t> IdsOf(const std::vector<ItemStamp>& stamps) {
    std::vector<int64_t> ids;
    for (const ItemStamp& stamp : stamps) ids.push_back(stamp.id);
    return ids;
  }

  std::unique_ptr<StageIndex> index_;
  std::unique_ptr<Writer> index_writer_;
};

TEST_F(StageIndexTest, LoadedItAnswersWhatTheDatabaseAnswers) {
  std::vector<int64_t> county;
  std::vector<int64_t> city;
  for (int i = 0; i < 5; ++i) {
    county.push_back(Insert(db(), "county_review", county_id_));
    city.push_back(Insert(db(), "city_review", i % 2 ? city_id_ : county_id_));
    Insert(db(), "draft", county_id_);
    Insert(db(), "county_review", county_id_, "report-city-direct");  // another flow
  }
  int64_t nomination = Insert(db(), "county_review", county_id_, "commendation", "nomination");
  ASSERT_TRUE(index_->Load(db()).ok());

  std::vector<int64_t> expected = county;
  expected.push_back(nomination);
  EXPECT_EQ(IdsOf(Answer(CountyInbox())), expected);
  EXPECT_EQ(IdsOf(Answer(CityInbox())), city);
  // Pages go on after their cursor, and stop at their limit.
  EXPECT_EQ(IdsOf(Answer(CountyInbox("county_review", county[1], 2))),
            (std::vector<int64_t>{county[2], county[3]}));
  EXPECT_EQ(IdsOf(Answer(CityInbox(city[2], 10))), (std::vector<int64_t>{city[3], city[4]}));
  EXPECT_TRUE(Answer(CountyInbox("no_such_stage")).empty());
}

TEST_F(StageIndexTest, TheWriterKeepsItAsTheDatabaseIsAfterEveryCommit) {
  ASSERT_TRUE(index_->Load(db()).ok());
  int64_t first = WriterInsert("county_review", county_id_);
  int64_t second = WriterInsert("county_review", county_id_);
  EXPECT_EQ(IdsOf(Answer(CountyInbox())), (std::vector<int64_t>{first, second}));

  // Approved at the county: it leaves the county's inbox for the city's,
  // with its new stamp.
  ASSERT_TRUE(
      IndexWriter().RunSync([&](Database& db) { return MoveTo(db, first, "city_review"); }).ok());
  EXPECT_EQ(IdsOf(Answer(CountyInbox())), (std::vector<int64_t>{second}));
  std::vector<ItemStamp> city = Answer(CityInbox());
  ASSERT_EQ(IdsOf(city), (std::vector<int64_t>{first}));
  EXPECT_EQ(city[0].version, 2);

  // Where no one acts, it is in no bucket (but still in the database).
  ASSERT_TRUE(
      IndexWriter().RunSync([&](Database& db) { return MoveTo(db, first, "approved"); }).ok());
  EXPECT_TRUE(Answer(CityInbox()).empty());
  EXPECT_EQ(index_->size(), 1u);

  // A deleted item leaves too.
  ASSERT_TRUE(IndexWriter()
                  .RunSync([&](Database& db) {
                    Query query = db.Prepare("DELETE FROM items WHERE id = ?");
                    query->Bind(1, second);
                    return query->Run();
                  })
                  .ok());
  EXPECT_TRUE(Answer(CountyInbox()).empty());
  EXPECT_EQ(index_->size(), 0u);
  EXPECT_TRUE(index_->answering());
}

TEST_F(StageIndexTest, AUnitThatFailsAfterWritingLeavesItAsItWas) {
  int64_t id = Insert(db(), "county_review", county_id_);
  ASSERT_TRUE(index_->Load(db()).ok());
  engine::Status refused = IndexWriter().RunSync([&](Database& db) -> engine::Status {
    if (engine::Status moved = MoveTo(db, id, "city_review"); !moved.ok()) return moved;
    return engine::Error::BadRequest("refused after writing");
  });
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(IdsOf(Answer(CountyInbox())), (std::vector<int64_t>{id}));
  EXPECT_TRUE(Answer(CityInbox()).empty());
  // And the next commit is kept as usual.
  ASSERT_TRUE(
      IndexWriter().RunSync([&](Database& db) { return MoveTo(db, id, "city_review"); }).ok());
  EXPECT_EQ(IdsOf(Answer(CityInbox())), (std::vector<int64_t>{id}));
}

TEST_F(StageIndexTest, ItNeverAnswersForAChangeItHasNotSeen) {
  int64_t id = Insert(db(), "county_review", county_id_);
  ASSERT_TRUE(index_->Load(db()).ok());
  engine::Result<int64_t> loaded_at = ItemsGeneration(db());
  ASSERT_TRUE(loaded_at.ok());
  ASSERT_TRUE(index_->StampsAtStage(CountyInbox(), loaded_at.value()).has_value());

  // Another connection (another process, a hand-written statement) moves it.
  ASSERT_TRUE(MoveTo(db(), id, "city_review").ok());
  engine::Result<int64_t> now = ItemsGeneration(db());
  ASSERT_TRUE(now.ok());
  EXPECT_GT(now.value(), loaded_at.value());
  EXPECT_FALSE(index_->StampsAtStage(CountyInbox(), now.value()).has_value());

  // The writer's next batch finds a generation it did not make: the index
  // stops for good, and the database answers from then on.
  WriterInsert("county_review", county_id_);
  EXPECT_FALSE(index_->answering());
  engine::Result<int64_t> later = ItemsGeneration(db());
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(index_->StampsAtStage(CountyInbox(), later.value()).has_value());
  EXPECT_FALSE(index_->StampsAtStage(CityInbox(), later.value()).has_value());
  // Stopped, its writer still raises the generation, which other servers'
  // indexes count on.
  EXPECT_GT(later.value(), now.value());
  WriterInsert("county_review", county_id_);
  EXPECT_GT(ItemsGeneration(db()).value(), later.value());
}

TEST_F(StageIndexTest, AUnitsOwnStageIsLeftToTheDatabase) {
  ASSERT_TRUE(index_->Load(db()).ok());
  StageQuery query = CountyInbox("draft");
  query.column = ScopeColumn::kOrg;
  query.org_id = unit_id_;
  query.org_path = org_path_;
  engine::Result<int64_t> generation = ItemsGeneration(db());
  ASSERT_TRUE(generation.ok());
  EXPECT_FALSE(index_->StampsAtStage(query, generation.value()).has_value());
}

TEST_F(StageIndexTest, EveryChangeToItemsRaisesTheGeneration) {
  engine::Result<int64_t> before = ItemsGeneration(db());
  ASSERT_TRUE(before.ok());
  int64_t id = Insert(db(), "county_review", county_id_);
  ASSERT_TRUE(MoveTo(db(), id, "city_review").ok());
  ASSERT_TRUE(db().Exec("UPDATE items SET title = 'x'").ok());
  ASSERT_TRUE(db().Exec("DELETE FROM items").ok());
  engine::Result<int64_t> after = ItemsGeneration(db());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.value(), before.value() + 4);
}

TEST_F(StageIndexTest, TheWritersBatchRaisesTheGenerationOnceWhateverItChanges) {
  ASSERT_TRUE(index_->Load(db()).ok());
  engine::Result<int64_t> before = ItemsGeneration(db());
  ASSERT_TRUE(before.ok());
  int64_t id = 0;
  ASSERT_TRUE(IndexWriter()
                  .RunSync([&](Database& db) -> engine::Status {
                    id = Insert(db, "county_review", county_id_);
                    Insert(db, "county_review", county_id_);
                    return MoveTo(db, id, "city_review");
                  })
                  .ok());
  engine::Result<int64_t> after = ItemsGeneration(db());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.value(), before.value() + 1);
  EXPECT_EQ(IdsOf(Answer(CityInbox())), (std::vector<int64_t>{id}));
  // A batch that changes no item leaves it.
  ASSERT_TRUE(IndexWriter().RunSync([](Database&) { return engine::Status(engine::Ok{}); }).ok());
  EXPECT_EQ(ItemsGeneration(db()).value(), after.value());
  EXPECT_TRUE(index_->answering());
}

// The writer's connection runs without triggers; history stays append-only
// on it all the same.
TEST_F(StageIndexTest, HistoryStaysAppendOnlyThroughTheWriterThatKeepsTheIndex) {
  for (std::string_view sql : {"UPDATE history SET comment = 'x'", "DELETE FROM history"}) {
    engine::Status changed = IndexWriter().RunSync([&](Database& db) { return db.Exec(sql); });
    EXPECT_FALSE(changed.ok()) << sql;
    engine::Status prepared =
        IndexWriter().RunSync([&](Database& db) { return db.Prepare(sql)->Run(); });
    EXPECT_FALSE(prepared.ok()) << sql;
  }
}

TEST_F(StageIndexTest, ABucketCountsAsChangedFromTheBatchThatPutAnItemInOrTookOneOut) {
  int64_t waiting = Insert(db(), "county_review", county_id_);
  ASSERT_TRUE(index_->Load(db()).ok());
  auto generation = [this] {
    ReadSnapshot snapshot(db());
    engine::Result<int64_t> read = ItemsGeneration(db());
    EXPECT_TRUE(read.ok());
    return read.ok() ? read.value() : 0;
  };
  const std::vector<StageQuery> county{CountyInbox()};
  const std::vector<StageQuery> city{CityInbox()};
  const int64_t loaded = generation();
  EXPECT_TRUE(index_->UnchangedSince(county, loaded, loaded));

  // A report arriving at the city's stage changes the city's inbox only.
  WriterInsert("city_review", county_id_);
  const int64_t arrived = generation();
  ASSERT_GT(arrived, loaded);
  EXPECT_TRUE(index_->UnchangedSince(county, loaded, arrived));
  EXPECT_FALSE(index_->UnchangedSince(city, loaded, arrived));
  EXPECT_TRUE(index_->UnchangedSince(city, arrived, arrived));

  // A step changes the bucket it leaves and the one it enters.
  ASSERT_TRUE(
      IndexWriter().RunSync([&](Database& db) { return MoveTo(db, waiting, "city_review"); }).ok());
  const int64_t moved = generation();
  EXPECT_FALSE(index_->UnchangedSince(county, arrived, moved));
  EXPECT_FALSE(index_->UnchangedSince(city, arrived, moved));
  // Into a stage nobody acts at, which the index does not hold: it still
  // leaves a bucket.
  ASSERT_TRUE(
      IndexWriter().RunSync([&](Database& db) { return MoveTo(db, waiting, "approved"); }).ok());
  const int64_t approved = generation();
  EXPECT_FALSE(index_->UnchangedSince(city, moved, approved));
  EXPECT_TRUE(index_->UnchangedSince(county, moved, approved));

  // Never for a generation the index does not reflect, nor from before it
  // was loaded, nor for a unit's own stage, which it does not hold.
  EXPECT_FALSE(index_->UnchangedSince(county, approved, approved + 1));
  EXPECT_FALSE(index_->UnchangedSince(county, loaded - 1, approved));
  StageQuery unit = CountyInbox("draft");
  unit.column = ScopeColumn::kOrg;
  unit.org_id = unit_id_;
  EXPECT_FALSE(index_->UnchangedSince({unit}, approved, approved));
  // Nor once it has stopped.
  index_->Stop("a test stops it");
  EXPECT_FALSE(index_->UnchangedSince(county, approved, approved));
}

}  // namespace
}  // namespace jingsai::storage
