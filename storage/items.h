// The items table: reports and nominations, their current stage and data.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/result.h"
#include "storage/records.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

// Inserts a new item (instance.id is ignored) and returns its id. On the
// writer's connection, a KeepWrittenStep after the item's next UPDATE keeps it.
engine::Result<int64_t> InsertItem(Database& db, const ItemRecord& item);

// Writes the item's current state, only if the stored version is still
// `expected_version` (kVersionMismatch otherwise): the check is in the write
// itself, so it holds even with several servers on one database.
// The flow version is not written: only MoveToFlowVersion changes it, so that
// the steps, which never do, leave its index alone.
engine::Status UpdateItem(Database& db, const ItemRecord& item, int64_t expected_version);
// The same, with item.instance.data already serialized as `data_text`.
engine::Status UpdateItem(Database& db, const ItemRecord& item, int64_t expected_version,
                          std::string_view data_text);

// Puts the item on another version of its flow (a flow migration).
engine::Status MoveToFlowVersion(Database& db, int64_t item_id, int flow_version);

// What a load on the writer's connection does with the writer's kept copy of
// the item: a step that will write the item takes it instead of a copy.
enum class LoadFor { kReading, kStep };

// On the writer's connection, from its kept copy when it has one.
engine::Result<std::optional<ItemRecord>> LoadItem(Database& db, int64_t id,
                                                   LoadFor use = LoadFor::kReading);
// After a step's UpdateItem of an item it loaded: `item` is what the row
// holds now. The writer keeps it (not on other connections), and the step's
// answer shares the same record instead of a copy.
std::shared_ptr<const ItemRecord> KeepWrittenStep(Database& db, ItemRecord item);

// What names one stored state of an item: a step raises its version, every
// recorded step (a history row, such as a ballot) its history_seq, and a flow
// migration changes its flow version; nothing else changes a stored item, so
// a stamp stands for the same content for as long as the database lives
// (what callers may keep derived text by).
struct ItemStamp {
  int64_t id = 0;
  int64_t version = 0;
  int flow_version = 0;
  int64_t history_seq = 0;
  friend bool operator==(const ItemStamp&, const ItemStamp&) = default;
};
ItemStamp StampOf(const ItemRecord& item);
engine::Result<std::optional<ItemStamp>> LoadStamp(Database& db, int64_t id);

// The items of `ids` that exist, in no particular order.
engine::Result<std::vector<ItemRecord>> LoadItems(Database& db, const std::vector<int64_t>& ids);

// Items of one kind visible under a subtree, newest first.
struct SubtreeQuery {
  std::string kind;
  std::string org_path;  // "/1/5/": the subtree's root path
  std::optional<std::string> campaign;
  std::optional<std::string> stage;
  int64_t before_id = INT64_MAX;  // keyset cursor
  int limit = 50;
};
// When `county_scopes` is not empty, every item of the subtree has one of
// these county scopes (the subtree of the city or of a county union): the
// list is then read scope by scope through an index in id order and merged,
// instead of sorting the whole subtree; org_path still bounds what is returned.
engine::Result<std::vector<ItemRecord>> ListSubtree(Database& db, const SubtreeQuery& query,
                                                    const std::vector<int64_t>& county_scopes = {});

// Items at one stage of a flow whose scope resolves to one organization,
// oldest first (the inbox question). Every query walks an index in id order
// (of a kind and county scope, or of a unit's path) and the walks are merged,
// so that a step changes one index entry that holds its stage, not four.
enum class ScopeColumn { kOrg, kCountyScope, kAny };
struct StageQuery {
  // The flows whose items count, all in one walk: items of the stage that
  // belong to other flows are skipped in the index, so asking flow by flow
  // would walk the stage's whole range once for each flow that has none there.
  std::vector<std::string> flow_keys;
  std::string stage;
  ScopeColumn column = ScopeColumn::kAny;
  int64_t org_id = 0;    // kOrg: the item's own org; kCountyScope: the county scope
  std::string org_path;  // kOrg: that org's path
  // kAny: every county scope of the tree (the county unions and the city).
  std::vector<int64_t> county_scopes;
  int64_t after_id = 0;
  int limit = 50;
};
engine::Result<std::vector<ItemRecord>> ListAtStage(Database& db, const StageQuery& query);
// The same walk, only the stamps: it reads neither the data nor the text
// columns, for callers that keep items they have read before.
engine::Result<std::vector<ItemStamp>> StampsAtStage(Database& db, const StageQuery& query);

// The first `limit` of `values` in `order`: what is left of several walks,
// each in that order, once they are merged.
template <typename T, typename Order>
void KeepFirst(std::vector<T>& values, int limit, Order order) {
  std::sort(values.begin(), values.end(), order);
  if (values.size() > static_cast<size_t>(std::max(limit, 0))) {
    values.resize(static_cast<size_t>(std::max(limit, 0)));
  }
}

// Every item on one version of a flow, by id.
engine::Result<std::vector<ItemRecord>> ListOnFlowVersion(Database& db, std::string_view flow_key,
                                                          int version);

// Items whose current stage was due before `now` (ISO time), by id.
engine::Result<std::vector<ItemRecord>> ListOverdue(Database& db, const std::string& now,
                                                    int64_t after_id, int limit);

}  // namespace jingsai::storage
