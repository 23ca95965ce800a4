#include "storage/progress_totals.h"

namespace jingsai::storage {

engine::Status AddToTotals(Database& db, const std::string& campaign, int64_t scope_org,
                           const engine::IndicatorTotals& counts) {
  for (const auto& [indicator, count] : counts) {
    Query query = db.Prepare(
        "INSERT INTO progress_totals (campaign, org_id, indicator, total) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (campaign, org_id, indicator) DO UPDATE SET total = total + excluded.total");
    query->Bind(1, campaign).Bind(2, scope_org).Bind(3, indicator).Bind(4, count);
    if (engine::Status status = query->Run(); !status.ok()) return status;
  }
  return engine::Ok{};
}

engine::Result<std::map<int64_t, engine::IndicatorTotals>> LoadTotals(Database& db,
                                                                      const std::string& campaign) {
  Query query =
      db.Prepare("SELECT org_id, indicator, total FROM progress_totals WHERE campaign = ?");
  query->Bind(1, campaign);
  std::map<int64_t, engine::IndicatorTotals> totals;
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return totals;
    totals[query->Int(0)][query->Text(1)] = query->Int(2);
  }
}

}  // namespace jingsai::storage
