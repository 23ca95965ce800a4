// The inbox question over the one stage index: the walks per kind and county
// scope are merged into one page in id order, and paging goes on after it.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

#include "storage/items.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

using test_support::StorageTest;

class InboxQueryTest : public StorageTest {
 protected:
  int64_t Insert(std::string_view stage, int64_t county_scope, std::string kind = "submission") {
    ItemRecord item = NewReport();
    item.kind = std::move(kind);
    item.instance.stage = std::string(stage);
    item.county_scope_id = county_scope;
    engine::Result<int64_t> id = InsertItem(db(), item);
    EXPECT_TRUE(id.ok());
    return id.ok() ? id.value() : 0;
  }

  // The ids of the page, asserting that the walk of stamps finds the same
  // items in the same order, each stamped as its row is.
  std::vector<int64_t> Ids(const StageQuery& query) {
    engine::Result<std::vector<ItemRecord>> found = ListAtStage(db(), query);
    EXPECT_TRUE(found.ok());
    std::vector<int64_t> ids;
    std::vector<ItemStamp> expected_stamps;
    for (const ItemRecord& item : found.value()) {
      ids.push_back(item.instance.id);
      expected_stamps.push_back(StampOf(item));
    }
    engine::Result<std::vector<ItemStamp>> stamps = StampsAtStage(db(), query);
    EXPECT_TRUE(stamps.ok());
    EXPECT_EQ(stamps.value(), expected_stamps);
    return ids;
  }
};

TEST_F(InboxQueryTest, TheCitysInboxMergesEveryCountyScopeInIdOrder) {
  std::vector<int64_t> expected;
  for (int i = 0; i < 6; ++i) {
    expected.push_back(Insert("city_review", i % 2 == 0 ? county_id_ : city_id_));
    Insert("county_review", county_id_);  // another stage: never listed
  }
  expected.push_back(Insert("city_review", county_id_, "nomination"));

  EXPECT_EQ(Ids(CityInbox(0, 50)), expected);
  std::vector<int64_t> first = Ids(CityInbox(0, 4));
  EXPECT_EQ(first, std::vector<int64_t>(expected.begin(), expected.begin() + 4));
  EXPECT_EQ(Ids(CityInbox(first.back(), 4)),
            std::vector<int64_t>(expected.begin() + 4, expected.end()));
}

TEST_F(InboxQueryTest, ACountysInboxHoldsOnlyItsScopeAndFlow) {
  int64_t own = Insert("county_review", county_id_);
  Insert("county_review", city_id_);
  ItemRecord other_flow = NewReport();
  other_flow.flow_key = "commendation";
  other_flow.instance.stage = "county_review";
  ASSERT_TRUE(InsertItem(db(), other_flow).ok());

  StageQuery query;
  query.flow_keys = {"report-county"};
  query.stage = "county_review";
  query.column = ScopeColumn::kCountyScope;
  query.org_id = county_id_;
  EXPECT_EQ(Ids(query), std::vector<int64_t>{own});
}

TEST_F(InboxQueryTest, OneWalkServesEveryFlowWhoseStageTheReviewerActsAt) {
  std::vector<int64_t> both;
  std::vector<int64_t> county_flow;
  for (int i = 0; i < 4; ++i) {
    county_flow.push_back(Insert("city_review", county_id_));
    both.push_back(county_flow.back());
    ItemRecord direct = NewReport();
    direct.flow_key = "report-city-direct";
    direct.instance.stage = "city_review";
    direct.county_scope_id = city_id_;
    engine::Result<int64_t> id = InsertItem(db(), direct);
    ASSERT_TRUE(id.ok());
    both.push_back(id.value());
  }

  StageQuery query = CityInbox(0, 50);
  query.flow_keys = {"report-city-direct", "report-county"};
  EXPECT_EQ(Ids(query), both);
  query.limit = 3;
  EXPECT_EQ(Ids(query), std::vector<int64_t>(both.begin(), both.begin() + 3));
  EXPECT_EQ(Ids(CityInbox(0, 50)), county_flow);
}

TEST_F(InboxQueryTest, AStampChangesWithEveryStepAndItsHistoryRow) {
  const int64_t id = Insert("county_review", county_id_);
  StageQuery query;
  query.flow_keys = {"report-county"};
  query.stage = "county_review";
  query.column = ScopeColumn::kCountyScope;
  query.org_id = county_id_;
  engine::Result<std::vector<ItemStamp>> before = StampsAtStage(db(), query);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 1u);

  // A recorded step that keeps the version (as a ballot does) still makes a new stamp.
  engine::Result<std::optional<ItemRecord>> item = LoadItem(db(), id);
  ASSERT_TRUE(item.ok() && item.value());
  item.value()->history_seq += 1;
  ASSERT_TRUE(UpdateItem(db(), *item.value(), item.value()->instance.version).ok());
  engine::Result<std::vector<ItemStamp>> after = StampsAtStage(db(), query);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_NE(after->front(), before->front());
  EXPECT_EQ(after->front(), StampOf(*item.value()));
  engine::Result<std::optional<ItemStamp>> loaded = LoadStamp(db(), id);
  ASSERT_TRUE(loaded.ok() && loaded.value());
  EXPECT_EQ(*loaded.value(), after->front());
}

// The statements of one answer see one committed state, however many commit meanwhile.
TEST_F(InboxQueryTest, AReadSnapshotKeepsOneStateUntilItEnds) {
  const int64_t id = Insert("county_review", county_id_);
  std::unique_ptr<Database> reader = OpenConnection();
  auto version_seen = [&] {
    engine::Result<std::optional<ItemStamp>> stamp = LoadStamp(*reader, id);
    EXPECT_TRUE(stamp.ok() && stamp.value());
    return stamp.value()->version;
  };
  engine::Result<std::optional<ItemRecord>> item = LoadItem(db(), id);
  ASSERT_TRUE(item.ok() && item.value());
  const int64_t first = item.value()->instance.version;
  {
    ReadSnapshot snapshot(*reader);
    EXPECT_EQ(version_seen(), first);
    item.value()->instance.version = first + 1;
    ASSERT_TRUE(UpdateItem(db(), *item.value(), first).ok());
    EXPECT_EQ(version_seen(), first);
  }
  EXPECT_FALSE(reader->InTransaction());
  EXPECT_EQ(version_seen(), first + 1);
}

}  // namespace
}  // namespace jingsai::storage
