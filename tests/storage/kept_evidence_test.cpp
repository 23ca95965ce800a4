// The writer's kept evidence lists: a list read in a batch is kept once the
// batch commits, and anything that could make it differ from the rows (a
// change to the item's evidence, a change no storage function explained, a
// rollback, a full budget) drops it.
#include "storage/kept_evidence.h"

#include <gtest/gtest.h>

namespace jingsai::storage {
namespace {

std::vector<EvidenceRecord> Files(int64_t item_id, int count) {
  std::vector<EvidenceRecord> records;
  for (int i = 1; i <= count; ++i) {
    EvidenceRecord record;
    record.id = item_id * 100 + i;
    record.item_id = item_id;
    record.info.filename = "材料" + std::to_string(i) + ".pdf";
    record.info.kind = "document";
    records.push_back(record);
  }
  return records;
}

// How many files the kept list of the item holds, -1 when none is kept.
int Kept(KeptEvidence& kept, int64_t item_id) {
  std::optional<std::vector<EvidenceRecord>> found = kept.Find(item_id);
  return found ? static_cast<int>(found->size()) : -1;
}

// Items 1 and 2 with their lists read and committed.
void KeepTwoLists(KeptEvidence& kept) {
  kept.Loaded(1, Files(1, 1));
  kept.Loaded(2, Files(2, 2));
  kept.Committed();
}

TEST(KeptEvidence, AListReadInABatchIsFoundThenAndAfterItsCommit) {
  KeptEvidence kept(16);
  EXPECT_EQ(Kept(kept, 1), -1);
  kept.Loaded(1, Files(1, 2));
  EXPECT_EQ(Kept(kept, 1), 2);
  kept.Committed();
  ASSERT_EQ(Kept(kept, 1), 2);
  EXPECT_EQ(*kept.Find(1), Files(1, 2));
  EXPECT_EQ(kept.size(), 1u);
}

TEST(KeptEvidence, AnItemsExplainedChangeHidesAndDropsOnlyItsList) {
  KeptEvidence kept(16);
  KeepTwoLists(kept);
  kept.RowChanged();  // e.g. a file attached to item 1
  kept.Explained(1, 1);
  EXPECT_EQ(Kept(kept, 1), -1) << "the rows changed in this batch";
  EXPECT_EQ(Kept(kept, 2), 2);
  kept.Committed();
  EXPECT_EQ(Kept(kept, 1), -1);
  EXPECT_EQ(Kept(kept, 2), 2);
}

TEST(KeptEvidence, AListReadAfterItsItemsChangeIsKeptButNotOneReadBefore) {
  KeptEvidence kept(16);
  kept.Loaded(1, Files(1, 1));
  kept.RowChanged();
  kept.Explained(1, 1);
  EXPECT_EQ(Kept(kept, 1), -1);
  kept.Loaded(1, Files(1, 2));
  kept.Committed();
  EXPECT_EQ(Kept(kept, 1), 2);

  kept.Loaded(2, Files(2, 1));
  kept.RowChanged();
  kept.Explained(2, 1);
  kept.Committed();
  EXPECT_EQ(Kept(kept, 2), -1);
}

TEST(KeptEvidence, AnUnexplainedChangeHidesEverythingAndDropsItAll) {
  KeptEvidence kept(16);
  KeepTwoLists(kept);
  kept.RowChanged();  // a statement no storage function answers for
  EXPECT_EQ(Kept(kept, 1), -1);
  kept.Loaded(3, Files(3, 1));
  EXPECT_EQ(Kept(kept, 3), -1);
  kept.Committed();
  EXPECT_EQ(Kept(kept, 1), -1);
  EXPECT_EQ(Kept(kept, 2), -1);
  EXPECT_EQ(Kept(kept, 3), -1);
  EXPECT_EQ(kept.size(), 0u);
}

TEST(KeptEvidence, AStatementThatChangedNoRowExplainsNothing) {
  KeptEvidence kept(16);
  KeepTwoLists(kept);
  kept.RowChanged();
  kept.Explained(1, 0);  // its own statement matched no row: the change was another's
  kept.Committed();
  EXPECT_EQ(kept.size(), 0u);
}

TEST(KeptEvidence, AUnitRolledBackDropsTheListsReadInTheBatch) {
  KeptEvidence kept(16);
  KeepTwoLists(kept);
  kept.Loaded(3, Files(3, 1));
  kept.UnitRolledBack();
  EXPECT_EQ(Kept(kept, 3), -1);
  kept.Committed();
  EXPECT_EQ(Kept(kept, 3), -1);
  EXPECT_EQ(Kept(kept, 1), 1) << "what an earlier batch committed holds";
}

TEST(KeptEvidence, ABatchRolledBackLeavesWhatWasKeptBefore) {
  KeptEvidence kept(16);
  KeepTwoLists(kept);
  kept.RowChanged();
  kept.Explained(1, 1);
  kept.Loaded(3, Files(3, 1));
  kept.RolledBack();
  EXPECT_EQ(Kept(kept, 1), 1);
  EXPECT_EQ(Kept(kept, 3), -1);
}

TEST(KeptEvidence, TheLeastRecentlyUsedListGoesFirst) {
  KeptEvidence kept(2);
  KeepTwoLists(kept);
  EXPECT_EQ(Kept(kept, 1), 1);  // item 1 used after item 2
  kept.Loaded(3, Files(3, 1));
  kept.Committed();
  EXPECT_EQ(kept.size(), 2u);
  EXPECT_EQ(Kept(kept, 2), -1);
  EXPECT_EQ(Kept(kept, 1), 1);
  EXPECT_EQ(Kept(kept, 3), 1);
}

}  // namespace
}  // namespace jingsai::storage
