// The hot queries stay index lookups as the database grows: each storage call
// runs on a fresh connection, and EXPLAIN QUERY PLAN of every statement it
// prepared must not SCAN a table (and, for the pages that must not sort a
// whole stage or subtree, must not build a temporary B-tree to sort).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/evidence.h"
#include "storage/history.h"
#include "storage/progress_totals.h"
#include "storage/stage_index.h"
#include "tests/storage/storage_fixture.h"

namespace jingsai::storage {
namespace {

using test_support::StorageTest;

class QueryPlanTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    // A few rows, so that the plans are those of a populated database.
    for (int i = 0; i < 3; ++i) {
      engine::Result<int64_t> id = InsertItem(db(), NewReport());
      ASSERT_TRUE(id.ok());
      item_id_ = id.value();
    }
  }

  // The plan lines of every statement `call` prepares on a fresh connection.
  template <typename Call>
  std::vector<std::string> PlansOf(Call call) {
    std::unique_ptr<Database> fresh = OpenConnection();
    call(*fresh);
    std::vector<std::string> lines;
    std::vector<std::string> prepared;
    for (sqlite3_stmt* statement = sqlite3_next_stmt(fresh->handle(), nullptr);
         statement != nullptr; statement = sqlite3_next_stmt(fresh->handle(), statement)) {
      prepared.push_back(sqlite3_sql(statement));
    }
    for (const std::string& sql : prepared) {
      sqlite3_stmt* raw = nullptr;
      std::string explain = "EXPLAIN QUERY PLAN " + sql;
      EXPECT_EQ(sqlite3_prepare_v2(fresh->handle(), explain.c_str(), -1, &raw, nullptr), SQLITE_OK)
          << sql;
      while (raw != nullptr && sqlite3_step(raw) == SQLITE_ROW) {
        lines.push_back(reinterpret_cast<const char*>(sqlite3_column_text(raw, 3)) +
                        std::string("   <- ") + sql);
      }
      sqlite3_finalize(raw);
    }
    EXPECT_FALSE(lines.empty()) << "the call prepared no statement";
    return lines;
  }

  // A scan of json_each walks the list of ids the query was given, not rows.
  static void ExpectNoScan(const std::vector<std::string>& plans) {
    for (const std::string& line : plans) {
      if (line.rfind("SCAN json_each VIRTUAL TABLE", 0) == 0) continue;
      EXPECT_NE(line.rfind("SCAN ", 0), 0u) << line;
    }
  }

  static void ExpectNoScanNorSort(const std::vector<std::string>& plans) {
    ExpectNoScan(plans);
    for (const std::string& line : plans) {
      EXPECT_EQ(line.find("TEMP B-TREE"), std::string::npos) << line;
    }
  }

  StageQuery Stage(std::string stage, ScopeColumn column, int64_t org_id) const {
    StageQuery query;
    query.flow_keys = {"report-county"};
    query.stage = std::move(stage);
    query.column = column;
    query.org_id = org_id;
    if (column == ScopeColumn::kOrg) query.org_path = org_path_;
    if (column == ScopeColumn::kAny) query.county_scopes = {city_id_, county_id_};
    return query;
  }

  int64_t item_id_ = 0;
};

TEST_F(QueryPlanTest, InboxOfACountyReviewerWalksTheStageIndex) {
  ExpectNoScanNorSort(PlansOf([&](Database& db) {
    ASSERT_TRUE(
        ListAtStage(db, Stage("county_review", ScopeColumn::kCountyScope, county_id_)).ok());
  }));
}

TEST_F(QueryPlanTest, InboxOfTheCityWalksTheStageIndex) {
  ExpectNoScanNorSort(PlansOf([&](Database& db) {
    ASSERT_TRUE(ListAtStage(db, Stage("city_review", ScopeColumn::kAny, 0)).ok());
  }));
}

TEST_F(QueryPlanTest, InboxOfASubmitterWalksItsUnitsPath) {
  ExpectNoScanNorSort(PlansOf([&](Database& db) {
    engine::Result<std::vector<ItemRecord>> found =
        ListAtStage(db, Stage("draft", ScopeColumn::kOrg, unit_id_));
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(found->size(), 3u);
  }));
}

// The inbox's walk of stamps reads no row: the stage index holds them.
TEST_F(QueryPlanTest, StampsOfACountyOrCityInboxComeFromTheStageIndexAlone) {
  for (ScopeColumn column : {ScopeColumn::kCountyScope, ScopeColumn::kAny}) {
    std::vector<std::string> plans = PlansOf([&](Database& db) {
      engine::Result<std::vector<ItemStamp>> stamps =
          StampsAtStage(db, Stage("draft", column, county_id_));
      ASSERT_TRUE(stamps.ok());
    });
    ExpectNoScanNorSort(plans);
    for (const std::string& line : plans) {
      if (line.rfind("SEARCH items", 0) != 0) continue;
      EXPECT_EQ(line.rfind("SEARCH items USING COVERING INDEX items_by_kind_county_stage", 0), 0u)
          << line;
    }
  }
}

// Loading the inbox's index in memory at start reads the stage index, not
// the rows (a tenth of the file's pages at a million reports), and keeping
// it reads each changed row by its id.
TEST_F(QueryPlanTest, TheIndexInMemoryIsLoadedFromTheStageIndexAlone) {
  std::vector<std::string> plans = PlansOf([&](Database& db) {
    StageIndex index([](std::string_view, int, std::string_view) { return true; });
    ASSERT_TRUE(index.Load(db).ok());
    ASSERT_TRUE(index.RecordChanges(db, {1, 2}).has_value());
  });
  bool scanned = false;
  for (const std::string& line : plans) {
    if (line.rfind("SCAN items", 0) != 0) continue;
    scanned = true;
    EXPECT_EQ(line.rfind("SCAN items USING COVERING INDEX items_by_kind_county_stage", 0), 0u)
        << line;
  }
  EXPECT_TRUE(scanned);
}

TEST_F(QueryPlanTest, OpenItemsOfAFlowVersionAreAnIndexRange) {
  ExpectNoScanNorSort(
      PlansOf([&](Database& db) { ASSERT_TRUE(ListOnFlowVersion(db, "report-county", 1).ok()); }));
}

// Each index holding the stage is rewritten by every step: one serves the
// inboxes and the filtered lists, and no other may creep in.
TEST_F(QueryPlanTest, OneIndexOfItemsHoldsTheStage) {
  std::vector<std::string> holding;
  Query indexes = db().Prepare(
      "SELECT DISTINCT il.name FROM pragma_index_list('items') AS il, "
      "pragma_index_info(il.name) AS ii WHERE ii.name = 'stage'");
  while (indexes->Step().value()) holding.push_back(indexes->Text(0));
  EXPECT_EQ(holding, std::vector<std::string>{"items_by_kind_county_stage"});
}

TEST_F(QueryPlanTest, FilteredListOfACountyReadsPagesWithoutSorting) {
  for (std::optional<std::string> stage :
       {std::optional<std::string>("draft"), std::optional<std::string>()}) {
    ExpectNoScanNorSort(PlansOf([&](Database& db) {
      SubtreeQuery query;
      query.kind = kKindSubmission;
      query.org_path = "/" + std::to_string(city_id_) + "/";
      query.campaign = std::string(test_support::kCampaign);
      query.stage = stage;
      engine::Result<std::vector<ItemRecord>> found =
          ListSubtree(db, query, {city_id_, county_id_});
      ASSERT_TRUE(found.ok());
      EXPECT_EQ(found->size(), 3u);
    }));
  }
}

TEST_F(QueryPlanTest, ListOfAUnitSearchesByPath) {
  ExpectNoScan(PlansOf([&](Database& db) {
    SubtreeQuery query;
    query.kind = kKindSubmission;
    query.org_path = org_path_;
    ASSERT_TRUE(ListSubtree(db, query).ok());
  }));
}

TEST_F(QueryPlanTest, OneItemItsHistoryAndEvidenceAreLookups) {
  ExpectNoScanNorSort(PlansOf([&](Database& db) {
    ASSERT_TRUE(LoadItem(db, item_id_).ok());
    ASSERT_TRUE(LoadHistory(db, item_id_).ok());
    ASSERT_TRUE(ListEvidence(db, item_id_).ok());
  }));
}

TEST_F(QueryPlanTest, ProgressReadsTheKeptTotals) {
  ExpectNoScanNorSort(PlansOf([&](Database& db) {
    ASSERT_TRUE(LoadTotals(db, std::string(test_support::kCampaign)).ok());
  }));
}

TEST_F(QueryPlanTest, SigningInByTokenIsALookup) {
  ExpectNoScan(PlansOf([&](Database& db) {
    ASSERT_TRUE(FindUserByToken(db, std::string(64, 'a'), test_support::kNow).ok());
  }));
}

}  // namespace
}  // namespace jingsai::storage
