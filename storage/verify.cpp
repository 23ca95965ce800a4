#include "storage/verify.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "storage/history.h"
#include "storage/sha256.h"

namespace jingsai::storage {
namespace {

engine::Error Broken(const std::string& why) { return engine::Error::Internal(why); }

engine::Result<std::vector<int64_t>> Ids(Database& db, std::string_view sql) {
  std::vector<int64_t> ids;
  Query query = db.Prepare(sql);
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return ids;
    ids.push_back(query->Int(0));
  }
}

// The sha256 an attach or detach row names: its comment is "filename (sha256)".
std::string HashInComment(std::string_view comment) {
  constexpr size_t kHex = 64;
  if (comment.size() < kHex + 2 || comment.back() != ')') return {};
  return std::string(comment.substr(comment.size() - 1 - kHex, kHex));
}

// The files an item holds must be those its attach and detach steps left.
// (Items whose files predate the steps that record them have no such rows.)
engine::Status CheckEvidence(Database& db, int64_t item_id) {
  engine::Result<std::vector<HistoryRecord>> rows = LoadHistory(db, item_id);
  if (!rows.ok()) return std::move(rows).error();
  std::vector<std::string> replayed;
  bool recorded = false;
  for (const HistoryRecord& row : rows.value()) {
    if (row.action != "attach" && row.action != "detach") continue;
    recorded = true;
    std::string sha256 = HashInComment(row.comment);
    if (row.action == "attach") {
      replayed.push_back(std::move(sha256));
    } else if (auto found = std::find(replayed.begin(), replayed.end(), sha256);
               found != replayed.end()) {
      replayed.erase(found);
    }
  }
  Query query = db.Prepare("SELECT sha256 FROM evidence WHERE item_id = ? AND removed_at IS NULL");
  query->Bind(1, item_id);
  std::vector<std::string> held;
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) break;
    held.push_back(query->Text(0));
  }
  if (!recorded) return engine::Ok{};
  std::sort(replayed.begin(), replayed.end());
  std::sort(held.begin(), held.end());
  if (held != replayed) {
    return Broken("item " + std::to_string(item_id) + ": its evidence (" +
                  std::to_string(held.size()) + " files) is not what its history attached and " +
                  "detached (" + std::to_string(replayed.size()) + " files)");
  }
  return engine::Ok{};
}

engine::Status CheckBlobs(Database& db) {
  Query query = db.Prepare("SELECT sha256, data FROM blobs ORDER BY id");
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return engine::Ok{};
    const std::string sha256 = query->Text(0);
    if (Sha256Hex(query->Bytes(1)) != sha256) {
      return Broken("stored file " + sha256 + " no longer has that hash");
    }
  }
}

}  // namespace

engine::Result<int64_t> VerifyDatabase(Database& db) {
  engine::Result<std::vector<int64_t>> items = Ids(db, "SELECT id FROM items ORDER BY id");
  if (!items.ok()) return std::move(items).error();
  for (int64_t id : items.value()) {
    if (engine::Status chain = VerifyItemHistory(db, id); !chain.ok()) return chain.error();
    if (engine::Status files = CheckEvidence(db, id); !files.ok()) return files.error();
  }
  engine::Result<std::vector<int64_t>> orphans =
      Ids(db, "SELECT DISTINCT item_id FROM history WHERE item_id NOT IN (SELECT id FROM items)");
  if (!orphans.ok()) return std::move(orphans).error();
  if (!orphans.value().empty()) {
    return Broken("item " + std::to_string(orphans.value().front()) +
                  " has history rows but is gone");
  }
  if (engine::Status blobs = CheckBlobs(db); !blobs.ok()) return blobs.error();
  return static_cast<int64_t>(items.value().size());
}

}  // namespace jingsai::storage
