#include "storage/definitions.h"

namespace jingsai::storage {

engine::Result<int> InsertFlowVersion(Database& db, std::string_view key,
                                      std::string_view definition, std::string_view at,
                                      std::optional<int64_t> created_by) {
  int version = 1;
  {
    Query query = db.Prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM flows WHERE key = ?");
    query->Bind(1, key);
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    version = static_cast<int>(query->Int(0));
  }
  Query query = db.Prepare(
      "INSERT INTO flows (key, version, definition, created_at, created_by) VALUES (?, ?, ?, ?, "
      "?)");
  query->Bind(1, key).Bind(2, version).Bind(3, definition).Bind(4, at);
  if (created_by) {
    query->Bind(5, *created_by);
  } else {
    query->BindNull(5);
  }
  if (engine::Status status = query->Run(); !status.ok()) return std::move(status).error();
  return version;
}

engine::Result<std::optional<FlowHead>> LatestFlowHead(Database& db, std::string_view key) {
  Query query = db.Prepare(
      "SELECT version, COALESCE(json_extract(definition, '$.subject'), '') FROM flows "
      "WHERE key = ? ORDER BY version DESC LIMIT 1");
  query->Bind(1, key);
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  if (!row.value()) return std::optional<FlowHead>();
  return std::optional<FlowHead>(FlowHead{static_cast<int>(query->Int(0)), query->Text(1)});
}

engine::Result<std::vector<StoredFlow>> LoadFlows(Database& db) {
  Query query =
      db.Prepare("SELECT key, version, definition, created_at FROM flows ORDER BY key, version");
  std::vector<StoredFlow> flows;
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return flows;
    flows.push_back(
        {query->Text(0), static_cast<int>(query->Int(1)), query->Text(2), query->Text(3)});
  }
}

engine::Status InsertCampaign(Database& db, std::string_view key, std::string_view definition,
                              std::string_view at) {
  Query query = db.Prepare("INSERT INTO campaigns (key, definition, created_at) VALUES (?, ?, ?)");
  query->Bind(1, key).Bind(2, definition).Bind(3, at);
  return query->Run();
}

engine::Result<std::vector<StoredCampaign>> LoadCampaigns(Database& db) {
  Query query = db.Prepare("SELECT key, definition FROM campaigns ORDER BY key");
  std::vector<StoredCampaign> campaigns;
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return campaigns;
    campaigns.push_back({query->Text(0), query->Text(1)});
  }
}

}  // namespace jingsai::storage
