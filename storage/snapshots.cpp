#include "storage/snapshots.h"

#include <boost/json.hpp>

#include "engine/report_diff.h"

namespace jingsai::storage {

engine::Status SaveSnapshot(Database& db, ItemRecord& item, int64_t seq, std::string_view data_text,
                            const std::vector<engine::EvidenceInfo>& evidence) {
  boost::json::array encoded;
  for (const engine::EvidenceInfo& info : evidence) {
    encoded.push_back(engine::EncodeEvidenceInfo(info));
  }
  Query query =
      db.Prepare("INSERT INTO snapshots (item_id, seq, data, evidence) VALUES (?, ?, ?, ?)");
  query->Bind(1, item.instance.id)
      .Bind(2, seq)
      .BindUncopied(3, data_text)  // the caller's, alive through this call
      .Bind(4, boost::json::serialize(encoded));
  if (engine::Status status = query->Run(); !status.ok()) return status;
  item.snapshot_row = db.LastInsertId();
  return engine::Ok{};
}

namespace {

std::string StringField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace

engine::Result<std::optional<Snapshot>> LatestSnapshot(Database& db, int64_t item_id) {
  // The item names the row of its latest snapshot (see
  // storage/migrations/012_history_chain_by_row.sql).
  Query query = db.Prepare(
      "SELECT s.seq, s.data, s.evidence FROM items AS i JOIN snapshots AS s "
      "ON s.id = i.snapshot_row AND s.item_id = i.id WHERE i.id = ?");
  query->Bind(1, item_id);
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  if (!row.value()) return std::optional<Snapshot>();
  Snapshot snapshot;
  snapshot.seq = query->Int(0);
  boost::system::error_code ec;
  snapshot.data = boost::json::parse(query->Text(1), ec);
  boost::json::value evidence = boost::json::parse(query->Text(2), ec);
  if (evidence.is_array()) {
    for (const boost::json::value& entry : evidence.as_array()) {
      if (!entry.is_object()) continue;
      const boost::json::object& object = entry.as_object();
      engine::EvidenceInfo info;
      info.sha256 = StringField(object, "sha256");
      info.filename = StringField(object, "filename");
      info.kind = StringField(object, "kind");
      info.ref = StringField(object, "ref");
      info.content_type = StringField(object, "content_type");
      const boost::json::value* size = object.if_contains("size");
      info.size = size && size->is_int64() ? size->as_int64() : 0;
      snapshot.evidence.push_back(std::move(info));
    }
  }
  return std::optional<Snapshot>(std::move(snapshot));
}

}  // namespace jingsai::storage
