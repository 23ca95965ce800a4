// Evidence: content-addressed blobs and the files attached to items.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"
#include "engine/validators.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

struct EvidenceRecord {
  int64_t id = 0;
  int64_t item_id = 0;
  engine::EvidenceInfo info;  // sha256, filename, kind, ref, content_type, size
  std::string created_at;
  int64_t created_by = 0;
  bool operator==(const EvidenceRecord&) const = default;
};

// Stores the bytes once under their SHA-256 (a second copy is not kept).
// REQUIRES: sha256 == Sha256Hex(bytes).
engine::Status PutBlob(Database& db, const std::string& sha256, std::string_view bytes,
                       const std::string& content_type, const std::string& at);

struct Blob {
  std::string content_type;
  std::string data;
};
engine::Result<std::optional<Blob>> GetBlob(Database& db, const std::string& sha256);

engine::Result<int64_t> InsertEvidence(Database& db, const EvidenceRecord& evidence);

// The item's evidence that has not been removed, oldest first.
engine::Result<std::vector<EvidenceRecord>> ListEvidence(Database& db, int64_t item_id);

engine::Result<std::optional<EvidenceRecord>> FindEvidence(Database& db, int64_t item_id,
                                                           int64_t evidence_id);

engine::Status MarkEvidenceRemoved(Database& db, int64_t item_id, int64_t evidence_id, int64_t by,
                                   const std::string& at);

// Ids of the items that hold (or held) the blob.
engine::Result<std::vector<int64_t>> ItemsHoldingBlob(Database& db, const std::string& sha256);

std::vector<engine::EvidenceInfo> InfosOf(const std::vector<EvidenceRecord>& records);

}  // namespace jingsai::storage
