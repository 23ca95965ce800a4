// ItemViews alone, without an engine or a server: a view is found only by the
// exact stamp it was kept under, a newer state of an item replaces the older,
// and a shard over its budget lets go of its least recently used views.
#include "api/item_views.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "storage/items.h"

namespace jingsai::api {
namespace {

constexpr size_t kShards = 16;
// Large enough that a few of them fill a small budget.
constexpr size_t kLargeText = 10000;

ItemViewPtr View(int64_t id, int64_t version, int flow_version, size_t text_size = 16) {
  auto view = std::make_shared<ItemView>();
  view->item.instance.id = id;
  view->item.instance.version = version;
  view->item.flow_version = flow_version;
  view->shared_members = std::string(text_size, 'x');
  return view;
}

storage::ItemStamp Stamp(int64_t id, int64_t version, int flow_version) {
  return {id, version, flow_version};
}

// What one large view costs against the budget, as ItemViews counts it.
size_t BytesOfOneLargeView() {
  ItemViews views(1 << 20);
  views.Keep(View(1, 1, 1, kLargeText));
  return views.counts().bytes;
}

// A budget whose shards hold two large views but not three.
size_t BudgetForTwoLargeViewsAShard() { return kShards * (2 * BytesOfOneLargeView() + 100); }

TEST(ItemViews, FindsAKeptViewByItsStamp) {
  ItemViews views(1 << 20);
  ItemViewPtr kept = View(7, 3, 1);
  views.Keep(kept);
  EXPECT_EQ(views.Find(Stamp(7, 3, 1)), kept);
  EXPECT_EQ(views.Find(Stamp(7, 3, 1)), kept);
}

TEST(ItemViews, AnotherVersionOrFlowVersionOfTheItemMisses) {
  ItemViews views(1 << 20);
  views.Keep(View(7, 3, 1));
  EXPECT_EQ(views.Find(Stamp(7, 4, 1)), nullptr);
  EXPECT_EQ(views.Find(Stamp(7, 2, 1)), nullptr);
  EXPECT_EQ(views.Find(Stamp(7, 3, 2)), nullptr);
  EXPECT_EQ(views.Find(Stamp(7, 4, 2)), nullptr);
  // Another item of the same shard, in the same state numbers.
  EXPECT_EQ(views.Find(Stamp(7 + kShards, 3, 1)), nullptr);
  EXPECT_EQ(views.Find(Stamp(8, 3, 1)), nullptr);
}

TEST(ItemViews, NothingIsFoundBeforeAnythingIsKept) {
  ItemViews views(1 << 20);
  EXPECT_EQ(views.Find(Stamp(1, 1, 1)), nullptr);
  EXPECT_EQ(views.counts().views, 0u);
  EXPECT_EQ(views.counts().bytes, 0u);
}

TEST(ItemViews, AKeptNewerStateReplacesTheOlder) {
  ItemViews views(1 << 20);
  views.Keep(View(7, 3, 1));
  ItemViewPtr stepped = View(7, 4, 1);
  views.Keep(stepped);
  EXPECT_EQ(views.Find(Stamp(7, 3, 1)), nullptr);
  EXPECT_EQ(views.Find(Stamp(7, 4, 1)), stepped);

  ItemViewPtr migrated = View(7, 5, 2);
  views.Keep(migrated);
  EXPECT_EQ(views.Find(Stamp(7, 4, 1)), nullptr);
  EXPECT_EQ(views.Find(Stamp(7, 5, 2)), migrated);
  EXPECT_EQ(views.counts().views, 1u);
}

TEST(ItemViews, KeepingTheSameStateAgainKeepsOneView) {
  ItemViews views(1 << 20);
  views.Keep(View(7, 3, 1, kLargeText));
  const size_t bytes = views.counts().bytes;
  ItemViewPtr again = View(7, 3, 1, kLargeText);
  views.Keep(again);
  EXPECT_EQ(views.Find(Stamp(7, 3, 1)), again);
  EXPECT_EQ(views.counts().views, 1u);
  EXPECT_EQ(views.counts().bytes, bytes);
}

TEST(ItemViews, OverTheBudgetTheLeastRecentlyUsedGoesFirst) {
  ItemViews views(BudgetForTwoLargeViewsAShard());
  // Three items of one shard.
  const int64_t first = 3, second = 3 + kShards, third = 3 + 2 * kShards;
  views.Keep(View(first, 1, 1, kLargeText));
  views.Keep(View(second, 1, 1, kLargeText));
  views.Keep(View(third, 1, 1, kLargeText));
  EXPECT_EQ(views.Find(Stamp(first, 1, 1)), nullptr);
  EXPECT_NE(views.Find(Stamp(second, 1, 1)), nullptr);
  EXPECT_NE(views.Find(Stamp(third, 1, 1)), nullptr);
  EXPECT_EQ(views.counts().views, 2u);
  EXPECT_EQ(views.counts().bytes, 2 * BytesOfOneLargeView());
}

TEST(ItemViews, AViewFoundRecentlyOutlastsOneKeptLater) {
  ItemViews views(BudgetForTwoLargeViewsAShard());
  const int64_t first = 3, second = 3 + kShards, third = 3 + 2 * kShards;
  views.Keep(View(first, 1, 1, kLargeText));
  views.Keep(View(second, 1, 1, kLargeText));
  // Reading the first makes the second the least recently used.
  ASSERT_NE(views.Find(Stamp(first, 1, 1)), nullptr);
  views.Keep(View(third, 1, 1, kLargeText));
  EXPECT_NE(views.Find(Stamp(first, 1, 1)), nullptr);
  EXPECT_EQ(views.Find(Stamp(second, 1, 1)), nullptr);
  EXPECT_NE(views.Find(Stamp(third, 1, 1)), nullptr);
}

TEST(ItemViews, AMissDoesNotProtectAView) {
  ItemViews views(BudgetForTwoLargeViewsAShard());
  const int64_t first = 3, second = 3 + kShards, third = 3 + 2 * kShards;
  views.Keep(View(first, 1, 1, kLargeText));
  views.Keep(View(second, 1, 1, kLargeText));
  // Asking for another state of the first is no use of the kept one.
  ASSERT_EQ(views.Find(Stamp(first, 2, 1)), nullptr);
  views.Keep(View(third, 1, 1, kLargeText));
  EXPECT_EQ(views.Find(Stamp(first, 1, 1)), nullptr);
  EXPECT_NE(views.Find(Stamp(second, 1, 1)), nullptr);
}

TEST(ItemViews, OneFullShardLeavesTheOthersAlone) {
  ItemViews views(BudgetForTwoLargeViewsAShard());
  ItemViewPtr elsewhere = View(4, 1, 1, kLargeText);
  views.Keep(elsewhere);
  for (int64_t i = 0; i < 5; ++i) views.Keep(View(3 + i * kShards, 1, 1, kLargeText));
  EXPECT_EQ(views.Find(Stamp(4, 1, 1)), elsewhere);
  EXPECT_EQ(views.counts().views, 3u);
}

TEST(ItemViews, AShardKeepsItsNewestViewEvenOverTheBudget) {
  ItemViews views(kShards);  // one byte a shard
  ItemViewPtr first = View(5, 1, 1, kLargeText);
  views.Keep(first);
  EXPECT_EQ(views.Find(Stamp(5, 1, 1)), first);
  ItemViewPtr second = View(5 + kShards, 1, 1, kLargeText);
  views.Keep(second);
  EXPECT_EQ(views.Find(Stamp(5, 1, 1)), nullptr);
  EXPECT_EQ(views.Find(Stamp(5 + kShards, 1, 1)), second);
  EXPECT_EQ(views.counts().views, 1u);
}

TEST(ItemViews, CountsAddUpHitsMissesViewsAndBytes) {
  ItemViews views(1 << 20);
  views.Keep(View(1, 1, 1, kLargeText));
  const size_t one = views.counts().bytes;
  EXPECT_GT(one, 2 * kLargeText);
  views.Keep(View(2, 1, 1, kLargeText));
  views.Keep(View(2 + kShards, 1, 1, kLargeText));

  EXPECT_NE(views.Find(Stamp(1, 1, 1)), nullptr);
  EXPECT_NE(views.Find(Stamp(2, 1, 1)), nullptr);
  EXPECT_NE(views.Find(Stamp(2, 1, 1)), nullptr);
  EXPECT_EQ(views.Find(Stamp(1, 2, 1)), nullptr);
  EXPECT_EQ(views.Find(Stamp(9, 1, 1)), nullptr);

  ItemViews::Counts counts = views.counts();
  EXPECT_EQ(counts.hits, 3u);
  EXPECT_EQ(counts.misses, 2u);
  EXPECT_EQ(counts.views, 3u);
  EXPECT_EQ(counts.bytes, 3 * one);

  // A newer state in place of an older one of the same size costs nothing more.
  views.Keep(View(1, 2, 1, kLargeText));
  counts = views.counts();
  EXPECT_EQ(counts.views, 3u);
  EXPECT_EQ(counts.bytes, 3 * one);
  EXPECT_EQ(counts.hits, 3u);
  EXPECT_EQ(counts.misses, 2u);
}

}  // namespace
}  // namespace jingsai::api
