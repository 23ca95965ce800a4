// Snapshots: what an item held (data and evidence) at a return, kept so that
// the reviewer can see what changed when it comes back.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/result.h"
#include "engine/validators.h"
#include "storage/records.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

struct Snapshot {
  int64_t seq = 0;  // the history row of the return
  boost::json::value data;
  std::vector<engine::EvidenceInfo> evidence;
};

// Keeps the snapshot of `item` at its history row `seq` (`data_text` is its
// data serialized) and makes it the item's latest: the caller then writes the
// item in the same transaction.
engine::Status SaveSnapshot(Database& db, ItemRecord& item, int64_t seq, std::string_view data_text,
                            const std::vector<engine::EvidenceInfo>& evidence);

// The snapshot of the item's latest return, if it was ever returned.
engine::Result<std::optional<Snapshot>> LatestSnapshot(Database& db, int64_t item_id);

}  // namespace jingsai::storage
