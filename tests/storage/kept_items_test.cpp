// The writer's kept copies of items: a step's write is kept once its batch
// commits, and anything that could make a copy differ from the row (another
// change, a rollback, another process, a full budget) drops it.
#include "storage/kept_items.h"

#include <gtest/gtest.h>

#include <memory>

#include "engine/time_format.h"

namespace jingsai::storage {
namespace {

ItemRecord Report(int64_t id, int64_t version) {
  ItemRecord item;
  item.instance.id = id;
  item.instance.version = version;
  item.instance.stage = "county_review";
  item.title = "报告 " + std::to_string(id);
  return item;
}

// One step of a batch as the writer runs it: the load, the UPDATE (which
// the update hook reports), the hand-over of the record written.
void Step(KeptItems& kept, const ItemRecord& written) {
  kept.Loaded(written.instance.id);
  kept.Changed(written.instance.id);
  kept.Wrote(std::make_shared<ItemRecord>(written));
}

// The version of the item's kept copy, -1 when none.
int64_t VersionKept(KeptItems& kept, int64_t id) {
  std::optional<ItemRecord> found = kept.Find(id);
  return found ? found->instance.version : -1;
}

// Items 1 and 2 written at version 2 by a committed batch; the next begun.
void KeepTwoReports(KeptItems& kept) {
  kept.BeginBatch(1);
  Step(kept, Report(1, 2));
  Step(kept, Report(2, 2));
  kept.Committed(2);
  kept.BeginBatch(2);
}

TEST(KeptItems, AStepsWriteIsFoundInLaterBatchesOnceCommitted) {
  KeptItems kept(16);
  kept.BeginBatch(7);
  EXPECT_EQ(VersionKept(kept, 1), -1);
  Step(kept, Report(1, 2));
  ASSERT_TRUE(kept.Find(1).has_value()) << "a later unit of the same batch sees the write";
  kept.Committed(8);
  kept.BeginBatch(8);
  std::optional<ItemRecord> found = kept.Find(1);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, Report(1, 2));
  EXPECT_EQ(kept.counts().kept, 1u);
}

TEST(KeptItems, AStepTakesTheKeptRecordWhenNoAnswerSharesIt) {
  KeptItems kept(16);
  KeepTwoReports(kept);
  std::optional<ItemRecord> taken = kept.Take(1);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(*taken, Report(1, 2));
  EXPECT_EQ(kept.counts().kept, 1u) << "handed over, no longer kept";
  EXPECT_EQ(VersionKept(kept, 1), -1);
  EXPECT_EQ(VersionKept(kept, 2), 2) << "a copy for a reading leaves it kept";
  EXPECT_EQ(VersionKept(kept, 2), 2);
}

TEST(KeptItems, AStepGetsACopyWhileAnAnswerSharesTheRecord) {
  KeptItems kept(16);
  kept.BeginBatch(1);
  auto written = std::make_shared<ItemRecord>(Report(1, 2));
  std::shared_ptr<const ItemRecord> answer = written;  // rendered later, elsewhere
  kept.Loaded(1);
  kept.Changed(1);
  kept.Wrote(std::move(written));
  kept.Committed(2);
  kept.BeginBatch(2);
  std::optional<ItemRecord> taken = kept.Take(1);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(*taken, Report(1, 2));
  EXPECT_EQ(*answer, Report(1, 2)) << "the answer's record is left as it was";
  EXPECT_EQ(VersionKept(kept, 1), 2) << "still kept";
  answer.reset();
  EXPECT_TRUE(kept.Take(1).has_value());
  EXPECT_EQ(VersionKept(kept, 1), -1);
}

TEST(KeptItems, ABatchRolledBackLeavesWhatWasKeptBefore) {
  KeptItems kept(16);
  KeepTwoReports(kept);
  Step(kept, Report(1, 3));
  Step(kept, Report(3, 1));
  kept.RolledBack();
  kept.BeginBatch(2);
  EXPECT_EQ(VersionKept(kept, 1), 2);
  EXPECT_EQ(VersionKept(kept, 2), 2);
  EXPECT_EQ(VersionKept(kept, 3), -1);
}

TEST(KeptItems, AnotherChangeToTheRowAfterTheStepDropsTheCopy) {
  KeptItems kept(16);
  KeepTwoReports(kept);
  Step(kept, Report(1, 3));
  kept.Changed(1);  // e.g. a ballot's UPDATE of the same row, later in the batch
  EXPECT_EQ(VersionKept(kept, 1), -1);
  kept.Committed(3);
  kept.BeginBatch(3);
  EXPECT_FALSE(kept.Find(1).has_value()) << "neither the step's copy nor the older one";
}

TEST(KeptItems, AWriteIsKeptOnlyWhenItIsTheOneChangeSinceTheLoad) {
  KeptItems kept(16);
  kept.BeginBatch(1);
  // Written without being loaded by the step.
  kept.Changed(1);
  kept.Wrote(std::make_shared<ItemRecord>(Report(1, 2)));
  // Loaded, then changed by another statement, then written.
  kept.Loaded(2);
  kept.Changed(2);
  kept.Changed(2);
  kept.Wrote(std::make_shared<ItemRecord>(Report(2, 2)));
  kept.Committed(2);
  kept.BeginBatch(2);
  EXPECT_EQ(VersionKept(kept, 1), -1);
  EXPECT_EQ(VersionKept(kept, 2), -1);
}

TEST(KeptItems, AUnitRolledBackToItsSavepointMakesWhatItTouchedUnknown) {
  KeptItems kept(16);
  KeepTwoReports(kept);
  Step(kept, Report(1, 3));  // a unit that holds
  const size_t start = kept.UnitStart();
  Step(kept, Report(2, 3));  // a unit that fails after writing
  kept.UnitRolledBack(start);
  EXPECT_EQ(VersionKept(kept, 2), -1);
  kept.Committed(3);
  kept.BeginBatch(3);
  EXPECT_EQ(VersionKept(kept, 1), 3);
  EXPECT_EQ(VersionKept(kept, 2), -1);
}

TEST(KeptItems, AGenerationThisWriterDidNotLeaveDropsEverything) {
  KeptItems kept(16);
  kept.BeginBatch(1);
  Step(kept, Report(1, 2));
  kept.Committed(2);
  kept.BeginBatch(5);  // another process changed items meanwhile
  EXPECT_EQ(VersionKept(kept, 1), -1);
  EXPECT_EQ(kept.counts().kept, 0u);
  // Nor is a generation the writer could not read or raise ever trusted.
  Step(kept, Report(1, 3));
  kept.Committed(-1);
  kept.BeginBatch(6);
  EXPECT_EQ(VersionKept(kept, 1), -1);
  Step(kept, Report(1, 4));
  kept.Committed(7);
  kept.BeginBatch(-1);
  EXPECT_EQ(VersionKept(kept, 1), -1);
}

TEST(KeptItems, AGenerationThisWriterDidNotLeaveDropsTheEvidenceListsToo) {
  KeptItems kept(16);
  kept.BeginBatch(1);
  EvidenceRecord file;
  file.id = 7;
  file.item_id = 1;
  kept.evidence().Loaded(1, {file});
  kept.Committed(1);
  kept.BeginBatch(1);
  EXPECT_TRUE(kept.evidence().Find(1).has_value());
  kept.Committed(1);
  kept.BeginBatch(4);  // another process attached or removed a file meanwhile
  EXPECT_FALSE(kept.evidence().Find(1).has_value());
}

TEST(KeptItems, TheLeastRecentlyUsedGoFirst) {
  KeptItems kept(3);
  kept.BeginBatch(1);
  for (int64_t id = 1; id <= 3; ++id) Step(kept, Report(id, 1));
  kept.Committed(2);
  kept.BeginBatch(2);
  ASSERT_TRUE(kept.Find(1).has_value());  // 1 is now the most recent
  Step(kept, Report(4, 1));
  kept.Committed(3);
  kept.BeginBatch(3);
  EXPECT_TRUE(kept.Find(1).has_value());
  EXPECT_EQ(VersionKept(kept, 2), -1);
  EXPECT_TRUE(kept.Find(3).has_value());
  EXPECT_TRUE(kept.Find(4).has_value());
  EXPECT_EQ(kept.counts().kept, 3u);
}

TEST(KeptItems, TimesAreKeptAsTheRowStoresThem) {
  KeptItems kept(4);
  kept.BeginBatch(1);
  ItemRecord written = Report(1, 2);
  const engine::TimePoint submitted =
      *engine::ParseTime("2014-06-01T02:00:00.123Z") + std::chrono::microseconds(456);
  written.instance.first_submitted_at = submitted;
  Step(kept, written);
  kept.Committed(2);
  kept.BeginBatch(2);
  std::optional<ItemRecord> found = kept.Find(1);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->instance.first_submitted_at, engine::ParseTime("2014-06-01T02:00:00.123Z"));
}

}  // namespace
}  // namespace jingsai::storage
