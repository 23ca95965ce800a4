// The history table: append-only, hash-chained per item.
//
// Each row's hash covers the previous row's hash and every field of the row
// (including the SHA-256 of the item's data after the step), so altering or
// removing any recorded step breaks the chain. The item records the chain's
// head, so dropping the newest row is caught too. One chain per item: no
// single head that every writer would contend on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/result.h"
#include "engine/transition.h"
#include "storage/records.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

// Appends `fact` as the item's next row and advances item.history_seq,
// item.history_head and item.history_row; the caller then writes the item in
// the same transaction.
// REQUIRES: item.instance.id is the stored item's id; item.instance.data is
// the data after the step.
engine::Result<HistoryRecord> AppendHistory(Database& db, ItemRecord& item,
                                            const engine::Fact& fact,
                                            std::optional<int64_t> actor_id,
                                            const std::string& actor, const std::string& at);

// AppendHistory in two halves, for a step that is decided before it writes:
// the row (with its hashes) that would follow the item's head, and its
// insertion, which gives the new row's rowid. The insertion refuses a row that
// does not follow the item's stored head (kConflict, nothing written: a stale
// copy of the item cannot fork its chain). The caller advances the item's
// history_seq, history_head and history_row to the row's once it is inserted. `data_text` is
// item.instance.data serialized (what the row's data hash covers).
HistoryRecord ChainNextRow(const ItemRecord& item, std::string_view data_text,
                           const engine::Fact& fact, std::optional<int64_t> actor_id,
                           const std::string& actor, const std::string& at);
engine::Result<int64_t> InsertHistory(Database& db, const HistoryRecord& row);

// The item's rows, oldest first, following the links back from the row the
// item names as its newest.
engine::Result<std::vector<HistoryRecord>> LoadHistory(Database& db, int64_t item_id);

// The hash a row must carry, from its fields and prev_hash.
std::string ComputeHistoryHash(const HistoryRecord& row);

// Verifies one item's chain: every row's hash, every link, contiguous seqs,
// and the item's recorded head and seq. kInternal naming the first broken row.
engine::Status VerifyItemHistory(Database& db, int64_t item_id);

}  // namespace jingsai::storage
