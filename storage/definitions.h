// Stored definitions: flow versions and campaigns, as JSON text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

struct StoredFlow {
  std::string key;
  int version = 0;
  std::string definition;  // JSON text
  std::string created_at;
};

struct StoredCampaign {
  std::string key;
  std::string definition;  // JSON text
};

// Stores `definition` as the next version of `key` and returns that version.
engine::Result<int> InsertFlowVersion(Database& db, std::string_view key,
                                      std::string_view definition, std::string_view at,
                                      std::optional<int64_t> created_by);

// The newest stored version of `key` and the subject it was defined for
// (nullopt for a key nobody published yet).
struct FlowHead {
  int version = 0;
  std::string subject;
};
engine::Result<std::optional<FlowHead>> LatestFlowHead(Database& db, std::string_view key);

// Every version of every flow, by key then version.
engine::Result<std::vector<StoredFlow>> LoadFlows(Database& db);

engine::Status InsertCampaign(Database& db, std::string_view key, std::string_view definition,
                              std::string_view at);
engine::Result<std::vector<StoredCampaign>> LoadCampaigns(Database& db);

}  // namespace jingsai::storage
