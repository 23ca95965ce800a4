#include "storage/stage_index.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>

#include "storage/records.h"

namespace jingsai::storage {
namespace {

// The columns of an entry, all in SQLite's stage index (migration 009), so
// that loading reads the index, not the rows.
#define JINGSAI_ENTRY_COLUMNS \
  "id, kind, county_scope_id, stage, flow_key, version, flow_version, history_seq "

int KindIndex(std::string_view kind) { return kind == kKindNomination ? 1 : 0; }

StageIndex::Row RowOf(const ItemRecord& item) {
  StageIndex::Row row;
  row.id = item.instance.id;
  row.exists = true;
  row.kind = KindIndex(item.kind);
  row.county_scope_id = item.county_scope_id;
  row.stage = item.instance.stage;
  row.flow_key = item.flow_key;
  row.stamp = StampOf(item);
  return row;
}

StageIndex::Row ReadRow(const Statement& row) {
  StageIndex::Row read;
  read.id = row.Int(0);
  read.exists = true;
  read.kind = KindIndex(row.Text(1));
  read.county_scope_id = row.Int(2);
  read.stage = row.Text(3);
  read.flow_key = row.Text(4);
  read.stamp = {read.id, row.Int(5), static_cast<int>(row.Int(6)), row.Int(7)};
  return read;
}

}  // namespace

engine::Result<int64_t> ItemsGeneration(Database& db) {
  Query query = db.Prepare("SELECT generation FROM items_generation WHERE id = 1");
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  if (!row.value()) return engine::Error::Internal("items_generation has no row");
  return query->Int(0);
}

StageIndex::StageIndex(Keep keep) : keep_(std::move(keep)) {}

engine::Status StageIndex::Load(Database& db) {
  ReadSnapshot snapshot(db);
  engine::Result<int64_t> generation = ItemsGeneration(db);
  if (!generation.ok()) return std::move(generation).error();
  Query query = db.Prepare("SELECT " JINGSAI_ENTRY_COLUMNS
                           "FROM items INDEXED BY items_by_kind_county_stage");
  std::unique_lock lock(mutex_);
  buckets_.clear();
  bucket_of_.clear();
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) break;
    Put(ReadRow(*query), generation.value());
  }
  generation_ = generation.value();
  loaded_at_ = generation.value();
  answering_ = !stopped_;
  return engine::Ok{};
}

bool StageIndex::answering() const {
  std::shared_lock lock(mutex_);
  return answering_;
}

size_t StageIndex::size() const {
  std::shared_lock lock(mutex_);
  return bucket_of_.size();
}

void StageIndex::Walk(int kind, int64_t scope, const StageQuery& query,
                      const std::vector<uint16_t>& flows, std::vector<ItemStamp>& out) const {
  // Stage names fit in a short string's own buffer: this key allocates nothing.
  auto bucket = buckets_.find(BucketKey(kind, scope, query.stage));
  if (bucket == buckets_.end()) return;
  const std::map<int64_t, Entry>& entries = bucket->second.entries;
  int kept = 0;
  for (auto entry = entries.upper_bound(query.after_id);
       entry != entries.end() && kept < query.limit; ++entry) {
    const Entry& e = entry->second;
    if (std::find(flows.begin(), flows.end(), e.flow) == flows.end()) continue;
    out.push_back({entry->first, e.version, e.flow_version, e.history_seq});
    ++kept;
  }
}

std::optional<std::vector<ItemStamp>> StageIndex::StampsAtStage(const StageQuery& query,
                                                                int64_t generation) const {
  if (query.column == ScopeColumn::kOrg) return std::nullopt;
  std::shared_lock lock(mutex_);
  if (!answering_ || generation != generation_) return std::nullopt;
  std::vector<uint16_t> flows;
  for (const std::string& key : query.flow_keys) {
    auto found = std::find(flows_.begin(), flows_.end(), key);
    if (found != flows_.end()) flows.push_back(static_cast<uint16_t>(found - flows_.begin()));
  }
  std::vector<ItemStamp> stamps;
  if (flows.empty()) return stamps;
  for (int kind : {0, 1}) {
    if (query.column == ScopeColumn::kCountyScope) {
      Walk(kind, query.org_id, query, flows, stamps);
    } else {
      for (int64_t scope : query.county_scopes) Walk(kind, scope, query, flows, stamps);
    }
  }
  KeepFirst(stamps, query.limit,
            [](const ItemStamp& a, const ItemStamp& b) { return a.id < b.id; });
  return stamps;
}

bool StageIndex::UnchangedSince(const std::vector<StageQuery>& queries, int64_t since,
                                int64_t generation) const {
  std::shared_lock lock(mutex_);
  if (!answering_ || generation != generation_ || since < loaded_at_) return false;
  auto unchanged = [&](int64_t scope, const std::string& stage) {
    for (int kind : {0, 1}) {
      auto bucket = buckets_.find(BucketKey(kind, scope, stage));
      // A bucket never made holds nothing since the load.
      if (bucket != buckets_.end() && bucket->second.changed_at > since) return false;
    }
    return true;
  };
  for (const StageQuery& query : queries) {
    switch (query.column) {
      case ScopeColumn::kOrg:
        return false;
      case ScopeColumn::kCountyScope:
        if (!unchanged(query.org_id, query.stage)) return false;
        break;
      case ScopeColumn::kAny:
        for (int64_t scope : query.county_scopes) {
          if (!unchanged(scope, query.stage)) return false;
        }
        break;
    }
  }
  return true;
}

void StageIndex::CheckGeneration(const engine::Result<int64_t>& generation) {
  int64_t known = 0;
  {
    // Only this writer's Apply changes the generation: read once, it holds.
    std::shared_lock lock(mutex_);
    if (!answering_) return;
    known = generation_;
  }
  if (!generation.ok()) return Stop(generation.error().message);
  if (generation.value() != known) {
    Stop("另一个进程改动了事项（代数 " + std::to_string(known) + " → " +
         std::to_string(generation.value()) + "）");
  }
}

std::optional<StageIndex::Changes> StageIndex::RecordChanges(Database& db,
                                                             const std::vector<int64_t>& ids,
                                                             const KeptItems* written) {
  // Raised whether or not this index answers: the writer's connection has
  // no triggers, and other servers' indexes count on the number.
  Changes changes;
  Query raise = db.Prepare(
      "UPDATE items_generation SET generation = generation + 1 WHERE id = 1 "
      "RETURNING generation");
  engine::Result<bool> raised = raise->Step();
  if (!raised.ok() || !raised.value()) {
    Stop(raised.ok() ? "items_generation has no row" : raised.error().message);
    return std::nullopt;
  }
  changes.generation = raise->Int(0);
  raise->Reset();
  if (!answering()) return changes;
  std::vector<int64_t> unique(ids);
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  // One lookup by id each: an IN list through json_each cost a seventh more.
  Query query = db.Prepare("SELECT " JINGSAI_ENTRY_COLUMNS "FROM items WHERE id = ?");
  const bool checking = KeptItems::checking();
  for (int64_t id : unique) {
    const ItemRecord* known = written != nullptr ? written->WrittenInBatch(id) : nullptr;
    if (known != nullptr && !checking) {
      changes.rows.push_back(RowOf(*known));
      continue;
    }
    query->Bind(1, id);
    engine::Result<bool> row = query->Step();
    if (!row.ok()) {
      Stop(row.error().message);
      return std::nullopt;
    }
    if (row.value()) {
      changes.rows.push_back(ReadRow(*query));
      if (known != nullptr && changes.rows.back() != RowOf(*known)) {
        spdlog::error("写入线程保留的事项 {} 与数据库的阶段索引列不一致", id);
        written->CountMismatch();
      }
    } else {  // deleted by the batch
      Row deleted;
      deleted.id = id;
      changes.rows.push_back(std::move(deleted));
    }
    query->Reset();
  }
  return changes;
}

void StageIndex::Apply(Changes changes) {
  std::unique_lock lock(mutex_);
  if (!answering_) return;
  for (const Row& row : changes.rows) {
    Remove(row.id, changes.generation);
    if (row.exists) Put(row, changes.generation);
  }
  generation_ = changes.generation;
}

void StageIndex::Stop(std::string_view why) {
  std::unique_lock lock(mutex_);
  if (stopped_) return;
  stopped_ = true;
  answering_ = false;
  buckets_.clear();
  bucket_of_.clear();
  spdlog::warn("待办：内存中的阶段索引停用，改为查询数据库：{}", why);
}

uint16_t StageIndex::FlowIndex(const std::string& flow_key) {
  auto found = std::find(flows_.begin(), flows_.end(), flow_key);
  if (found != flows_.end()) return static_cast<uint16_t>(found - flows_.begin());
  flows_.push_back(flow_key);
  return static_cast<uint16_t>(flows_.size() - 1);
}

void StageIndex::Put(const Row& row, int64_t generation) {
  if (!keep_(row.flow_key, row.stamp.flow_version, row.stage)) return;
  auto [bucket, added] = buckets_.try_emplace(BucketKey(row.kind, row.county_scope_id, row.stage));
  bucket->second.entries[row.id] = Entry{row.stamp.version, row.stamp.history_seq,
                                         row.stamp.flow_version, FlowIndex(row.flow_key)};
  bucket->second.changed_at = generation;
  bucket_of_[row.id] = &bucket->second;
}

void StageIndex::Remove(int64_t id, int64_t generation) {
  auto found = bucket_of_.find(id);
  if (found == bucket_of_.end()) return;
  found->second->entries.erase(id);
  found->second->changed_at = generation;
  bucket_of_.erase(found);
}

}  // namespace jingsai::storage
