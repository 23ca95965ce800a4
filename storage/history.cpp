#include "storage/history.h"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "storage/items.h"
#include "storage/sha256.h"

namespace jingsai::storage {
namespace {

// Length-prefixed fields: no two different rows serialize alike.
void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

}  // namespace

std::string ComputeHistoryHash(const HistoryRecord& row) {
  std::string canonical;
  AppendField(canonical, row.prev_hash);
  AppendField(canonical, std::to_string(row.item_id));
  AppendField(canonical, std::to_string(row.seq));
  AppendField(canonical, row.at);
  AppendField(canonical, row.actor_id ? std::to_string(*row.actor_id) : "");
  AppendField(canonical, row.actor);
  AppendField(canonical, row.action);
  AppendField(canonical, row.from);
  AppendField(canonical, row.to);
  AppendField(canonical, row.comment);
  AppendField(canonical, row.data_hash);
  return Sha256Hex(canonical);
}

HistoryRecord ChainNextRow(const ItemRecord& item, std::string_view data_text,
                           const engine::Fact& fact, std::optional<int64_t> actor_id,
                           const std::string& actor, const std::string& at) {
  HistoryRecord row;
  row.item_id = item.instance.id;
  row.seq = item.history_seq + 1;
  row.at = at;
  row.actor_id = actor_id;
  row.actor = actor;
  row.action = fact.action;
  row.from = fact.from;
  row.to = fact.to;
  row.comment = fact.comment;
  row.data_hash = Sha256Hex(data_text);
  row.prev_hash = item.history_head;
  row.hash = ComputeHistoryHash(row);
  row.prev_row = item.history_row;
  return row;
}

engine::Result<int64_t> InsertHistory(Database& db, const HistoryRecord& row) {
  // Nothing in the table refuses a second row after the same head (the links
  // replaced the unique (item_id, seq) index): the insertion itself does, by
  // writing the row only while the stored item's head is the one it follows.
  // One statement: a separate look at the item was 3% of the writer's time.
  Query query = db.Prepare(
      "INSERT INTO history (item_id, seq, at, actor_id, actor, action, from_stage, to_stage, "
      "comment, data_hash, prev_hash, hash, prev_row) "
      "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULLIF(?13, 0) "
      "WHERE EXISTS (SELECT 1 FROM items WHERE id = ?1 AND history_seq = ?2 - 1 "
      "AND COALESCE(history_row, 0) = ?13)");
  // The row's strings outlive the statement's use.
  query->Bind(1, row.item_id).Bind(2, row.seq).BindUncopied(3, row.at);
  if (row.actor_id) {
    query->Bind(4, *row.actor_id);
  } else {
    query->BindNull(4);
  }
  query->BindUncopied(5, row.actor)
      .BindUncopied(6, row.action)
      .BindUncopied(7, row.from)
      .BindUncopied(8, row.to)
      .BindUncopied(9, row.comment)
      .BindUncopied(10, row.data_hash)
      .BindUncopied(11, row.prev_hash)
      .BindUncopied(12, row.hash)
      .Bind(13, row.prev_row);
  if (engine::Status status = query->Run(); !status.ok()) return std::move(status).error();
  if (db.Changes() == 0) {
    return engine::Error::Conflict("事项的历史记录已有更新的一步，请刷新后重试");
  }
  return db.LastInsertId();
}

engine::Result<HistoryRecord> AppendHistory(Database& db, ItemRecord& item,
                                            const engine::Fact& fact,
                                            std::optional<int64_t> actor_id,
                                            const std::string& actor, const std::string& at) {
  HistoryRecord row =
      ChainNextRow(item, boost::json::serialize(item.instance.data), fact, actor_id, actor, at);
  engine::Result<int64_t> inserted = InsertHistory(db, row);
  if (!inserted.ok()) return std::move(inserted).error();
  item.history_seq = row.seq;
  item.history_head = row.hash;
  item.history_row = inserted.value();
  return row;
}

namespace {

// The row at `rowid` if it is one of `item_id`'s.
engine::Result<std::optional<HistoryRecord>> HistoryRow(Database& db, int64_t item_id,
                                                        int64_t rowid) {
  Query query = db.Prepare(
      "SELECT item_id, seq, at, actor_id, actor, action, from_stage, to_stage, comment, "
      "data_hash, prev_hash, hash, COALESCE(prev_row, 0) FROM history WHERE id = ?");
  query->Bind(1, rowid);
  engine::Result<bool> step = query->Step();
  if (!step.ok()) return std::move(step).error();
  if (!step.value() || query->Int(0) != item_id) return std::optional<HistoryRecord>();
  HistoryRecord row;
  row.item_id = query->Int(0);
  row.seq = query->Int(1);
  row.at = query->Text(2);
  if (!query->IsNull(3)) row.actor_id = query->Int(3);
  row.actor = query->Text(4);
  row.action = query->Text(5);
  row.from = query->Text(6);
  row.to = query->Text(7);
  row.comment = query->Text(8);
  row.data_hash = query->Text(9);
  row.prev_hash = query->Text(10);
  row.hash = query->Text(11);
  row.prev_row = query->Int(12);
  return std::optional<HistoryRecord>(std::move(row));
}

}  // namespace

engine::Result<std::vector<HistoryRecord>> LoadHistory(Database& db, int64_t item_id) {
  int64_t next = 0;
  {
    Query head = db.Prepare("SELECT COALESCE(history_row, 0) FROM items WHERE id = ?");
    head->Bind(1, item_id);
    engine::Result<bool> found = head->Step();
    if (!found.ok()) return std::move(found).error();
    if (found.value()) next = head->Int(0);
  }
  // From the newest row back along the links. Each row links to an older
  // (smaller) rowid, so the walk ends even over a damaged file; where a link
  // leads nowhere it ends there, and VerifyItemHistory names the gap.
  std::vector<HistoryRecord> rows;
  while (next != 0) {
    engine::Result<std::optional<HistoryRecord>> row = HistoryRow(db, item_id, next);
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) break;
    const int64_t previous = row.value()->prev_row;
    rows.push_back(std::move(*row.value()));
    if (previous >= next) break;
    next = previous;
  }
  std::reverse(rows.begin(), rows.end());
  return rows;
}

engine::Status VerifyItemHistory(Database& db, int64_t item_id) {
  engine::Result<std::optional<ItemRecord>> item = LoadItem(db, item_id);
  if (!item.ok()) return std::move(item).error();
  if (!item.value()) return engine::Error::NotFound("item " + std::to_string(item_id));
  engine::Result<std::vector<HistoryRecord>> rows = LoadHistory(db, item_id);
  if (!rows.ok()) return std::move(rows).error();

  auto broken = [&](int64_t seq, const std::string& why) {
    return engine::Error::Internal("item " + std::to_string(item_id) + " history row " +
                                   std::to_string(seq) + ": " + why);
  };
  std::string previous;
  int64_t expected_seq = 1;
  for (const HistoryRecord& row : rows.value()) {
    // The rows are read back from the newest: where they stop short of the
    // first, the row before the oldest one read is the one gone.
    if (row.seq > expected_seq) return broken(row.seq - 1, "missing");
    if (row.seq != expected_seq) return broken(row.seq, "is out of order");
    if (row.prev_hash != previous) return broken(row.seq, "does not link to the row before");
    if (ComputeHistoryHash(row) != row.hash) return broken(row.seq, "hash does not match");
    previous = row.hash;
    ++expected_seq;
  }
  const ItemRecord& stored = *item.value();
  if (stored.history_seq != expected_seq - 1 || stored.history_head != previous) {
    return broken(stored.history_seq, "the item's recorded head is not the last row");
  }
  if (!rows.value().empty()) {
    const HistoryRecord& last = rows.value().back();
    if (last.to != stored.instance.stage) return broken(last.seq, "the item is not at its stage");
    if (last.data_hash != Sha256Hex(boost::json::serialize(stored.instance.data))) {
      return broken(last.seq, "the item's data is not the data recorded");
    }
  }
  return engine::Ok{};
}

}  // namespace jingsai::storage
