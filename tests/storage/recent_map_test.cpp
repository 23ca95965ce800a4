// The budgeted map behind the writer's kept items and the readers' kept
// views and pages: the least recently used go first when the entries cost
// more than the budget, never the one just put.
#include "storage/recent_map.h"

#include <gtest/gtest.h>

#include <string>

namespace jingsai::storage {
namespace {

// The value under `key`, or "" when nothing is kept there.
std::string Kept(RecentMap<int, std::string>& map, int key) {
  const std::string* value = map.Find(key);
  return value != nullptr ? *value : "";
}

TEST(RecentMap, APutValueIsFoundUntilErased) {
  RecentMap<int, std::string> map(4);
  EXPECT_EQ(map.Find(1), nullptr);
  map.Put(1, "一");
  EXPECT_EQ(Kept(map, 1), "一");
  map.Erase(1);
  EXPECT_EQ(map.Find(1), nullptr);
  EXPECT_EQ(map.size(), 0u);
  map.Erase(1);  // erasing what is not there changes nothing
  EXPECT_EQ(map.size(), 0u);
}

TEST(RecentMap, PuttingAgainReplacesTheValueAndItsCost) {
  RecentMap<int, std::string> map(100);
  map.Put(1, "旧", 30);
  map.Put(1, "新", 10);
  EXPECT_EQ(Kept(map, 1), "新");
  EXPECT_EQ(map.size(), 1u);
  EXPECT_EQ(map.cost(), 10u);
}

TEST(RecentMap, OverACountTheLeastRecentlyUsedGoesFirst) {
  RecentMap<int, std::string> map(3);
  map.Put(1, "一");
  map.Put(2, "二");
  map.Put(3, "三");
  EXPECT_EQ(Kept(map, 1), "一");  // 1 is now more recent than 2 and 3
  map.Put(4, "四");
  EXPECT_EQ(map.Find(2), nullptr);
  EXPECT_EQ(Kept(map, 1), "一");
  EXPECT_EQ(Kept(map, 3), "三");
  EXPECT_EQ(Kept(map, 4), "四");
  EXPECT_EQ(map.size(), 3u);
}

TEST(RecentMap, PuttingAgainMakesAnEntryTheMostRecent) {
  RecentMap<int, std::string> map(2);
  map.Put(1, "一");
  map.Put(2, "二");
  map.Put(1, "壹");
  map.Put(3, "三");
  EXPECT_EQ(map.Find(2), nullptr);
  EXPECT_EQ(Kept(map, 1), "壹");
}

TEST(RecentMap, AValueRefusedOnLookupIsNoUse) {
  RecentMap<int, std::string> map(2);
  map.Put(1, "一");
  map.Put(2, "二");
  auto is_new = [](const std::string& value) { return value == "新"; };
  EXPECT_EQ(map.FindIf(1, is_new), nullptr);
  map.Put(3, "三");
  EXPECT_EQ(map.Find(1), nullptr);  // still the least recently used
  EXPECT_EQ(Kept(map, 2), "二");
}

TEST(RecentMap, OverACostBudgetAsManyGoAsItTakes) {
  RecentMap<int, std::string> map(100);
  map.Put(1, "一", 40);
  map.Put(2, "二", 40);
  map.Put(3, "三", 10);
  map.Put(4, "四", 90);  // 180 in all: 1 and 2 go, 3 alone brings it to 100
  EXPECT_EQ(map.Find(1), nullptr);
  EXPECT_EQ(map.Find(2), nullptr);
  EXPECT_EQ(Kept(map, 3), "三");
  EXPECT_EQ(Kept(map, 4), "四");
  EXPECT_EQ(map.cost(), 100u);
}

TEST(RecentMap, TheNewestIsKeptEvenOverTheBudgetAlone) {
  RecentMap<int, std::string> map(10);
  map.Put(1, "一", 5);
  map.Put(2, "二", 50);
  EXPECT_EQ(map.Find(1), nullptr);
  EXPECT_EQ(Kept(map, 2), "二");
  map.Put(3, "三", 50);
  EXPECT_EQ(map.Find(2), nullptr);
  EXPECT_EQ(Kept(map, 3), "三");
  EXPECT_EQ(map.size(), 1u);
  EXPECT_EQ(map.cost(), 50u);
}

TEST(RecentMap, ClearDropsEverythingAndItsCost) {
  RecentMap<int, std::string> map(100);
  map.Put(1, "一", 20);
  map.Put(2, "二", 30);
  map.Clear();
  EXPECT_EQ(map.Find(1), nullptr);
  EXPECT_EQ(map.Find(2), nullptr);
  EXPECT_EQ(map.size(), 0u);
  EXPECT_EQ(map.cost(), 0u);
  map.Put(3, "三", 100);  // the whole budget is free again
  map.Put(4, "四", 0);
  EXPECT_EQ(Kept(map, 3), "三");
}

}  // namespace
}  // namespace jingsai::storage
