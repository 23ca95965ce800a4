#include "storage/evidence.h"

#include <spdlog/spdlog.h>

#include "storage/kept_items.h"

namespace jingsai::storage {
namespace {

// A literal, so that each query is one string at compile time (ReadEvidence
// reads the columns in this order).
#define JINGSAI_EVIDENCE_SELECT                                                                  \
  "SELECT id, item_id, sha256, filename, kind, ref, content_type, size, created_at, created_by " \
  "FROM evidence "

EvidenceRecord ReadEvidence(const Statement& row) {
  EvidenceRecord record;
  record.id = row.Int(0);
  record.item_id = row.Int(1);
  record.info.sha256 = row.Text(2);
  record.info.filename = row.Text(3);
  record.info.kind = row.Text(4);
  record.info.ref = row.Text(5);
  record.info.content_type = row.Text(6);
  record.info.size = row.Int(7);
  record.created_at = row.Text(8);
  record.created_by = row.Int(9);
  return record;
}

}  // namespace

engine::Status PutBlob(Database& db, const std::string& sha256, std::string_view bytes,
                       const std::string& content_type, const std::string& at) {
  Query query = db.Prepare(
      "INSERT INTO blobs (sha256, size, content_type, data, created_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (sha256) DO NOTHING");
  query->Bind(1, sha256).Bind(2, static_cast<int64_t>(bytes.size())).Bind(3, content_type);
  sqlite3_bind_blob64(query->handle(), 4, bytes.data(), bytes.size(), SQLITE_STATIC);
  query->Bind(5, at);
  return query->Run();
}

engine::Result<std::optional<Blob>> GetBlob(Database& db, const std::string& sha256) {
  Query query = db.Prepare("SELECT content_type, data FROM blobs WHERE sha256 = ?");
  query->Bind(1, sha256);
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  if (!row.value()) return std::optional<Blob>();
  Blob blob{query->Text(0), query->Bytes(1)};
  return std::optional<Blob>(std::move(blob));
}

engine::Result<int64_t> InsertEvidence(Database& db, const EvidenceRecord& evidence) {
  Query query = db.Prepare(
      "INSERT INTO evidence (item_id, sha256, filename, kind, ref, content_type, size, "
      "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  query->Bind(1, evidence.item_id)
      .Bind(2, evidence.info.sha256)
      .Bind(3, evidence.info.filename)
      .Bind(4, evidence.info.kind)
      .Bind(5, evidence.info.ref)
      .Bind(6, evidence.info.content_type)
      .Bind(7, evidence.info.size)
      .Bind(8, evidence.created_at)
      .Bind(9, evidence.created_by);
  if (engine::Status status = query->Run(); !status.ok()) return std::move(status).error();
  if (KeptItems* kept = db.kept_items()) kept->evidence().Explained(evidence.item_id, db.Changes());
  return db.LastInsertId();
}

namespace {

engine::Result<std::vector<EvidenceRecord>> ReadEvidenceRows(Database& db, int64_t item_id) {
  Query query =
      db.Prepare(JINGSAI_EVIDENCE_SELECT "WHERE item_id = ? AND removed_at IS NULL ORDER BY id");
  query->Bind(1, item_id);
  std::vector<EvidenceRecord> records;
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return records;
    records.push_back(ReadEvidence(*query));
  }
}

}  // namespace

engine::Result<std::vector<EvidenceRecord>> ListEvidence(Database& db, int64_t item_id) {
  KeptItems* kept = db.kept_items();
  if (kept == nullptr) return ReadEvidenceRows(db, item_id);
  std::optional<std::vector<EvidenceRecord>> copy = kept->evidence().Find(item_id);
  if (copy && !KeptItems::checking()) return std::move(*copy);
  engine::Result<std::vector<EvidenceRecord>> read = ReadEvidenceRows(db, item_id);
  if (!read.ok()) return read;
  if (copy && read.value() != *copy) {
    kept->CountMismatch();
    spdlog::error("写入线程保留的事项 {} 的佐证材料与数据库不一致", item_id);
  }
  kept->evidence().Loaded(item_id, read.value());
  return read;
}

engine::Result<std::optional<EvidenceRecord>> FindEvidence(Database& db, int64_t item_id,
                                                           int64_t evidence_id) {
  Query query =
      db.Prepare(JINGSAI_EVIDENCE_SELECT "WHERE item_id = ? AND id = ? AND removed_at IS NULL");
  query->Bind(1, item_id).Bind(2, evidence_id);
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  if (!row.value()) return std::optional<EvidenceRecord>();
  return std::optional<EvidenceRecord>(ReadEvidence(*query));
}

engine::Status MarkEvidenceRemoved(Database& db, int64_t item_id, int64_t evidence_id, int64_t by,
                                   const std::string& at) {
  Query query = db.Prepare(
      "UPDATE evidence SET removed_at = ?, removed_by = ? "
      "WHERE id = ? AND item_id = ? AND removed_at IS NULL");
  query->Bind(1, at).Bind(2, by).Bind(3, evidence_id).Bind(4, item_id);
  if (engine::Status status = query->Run(); !status.ok()) return status;
  if (KeptItems* kept = db.kept_items()) kept->evidence().Explained(item_id, db.Changes());
  return engine::Ok{};
}

engine::Result<std::vector<int64_t>> ItemsHoldingBlob(Database& db, const std::string& sha256) {
  Query query = db.Prepare("SELECT DISTINCT item_id FROM evidence WHERE sha256 = ?");
  query->Bind(1, sha256);
  std::vector<int64_t> ids;
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return ids;
    ids.push_back(query->Int(0));
  }
}

std::vector<engine::EvidenceInfo> InfosOf(const std::vector<EvidenceRecord>& records) {
  std::vector<engine::EvidenceInfo> infos;
  infos.reserve(records.size());
  for (const EvidenceRecord& record : records) infos.push_back(record.info);
  return infos;
}

#undef JINGSAI_EVIDENCE_SELECT

}  // namespace jingsai::storage
