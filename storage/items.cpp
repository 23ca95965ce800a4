#include "storage/items.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iterator>
#include <type_traits>

#include "engine/time_format.h"
#include "storage/kept_items.h"

namespace jingsai::storage {
namespace {

#define JINGSAI_ITEM_COLUMNS                                                               \
  "id, kind, campaign, org_id, org_path, county_scope_id, flow_key, flow_version, stage, " \
  "status, last_action, version, title, data, late, first_submitted_at, created_by, "      \
  "created_at, updated_at, stage_entered_at, history_seq, history_head, decisions, "       \
  "assignee_id, COALESCE(due_at, ''), COALESCE(history_row, 0), COALESCE(snapshot_row, 0) "

std::vector<int64_t> Ids(const boost::json::value* list) {
  std::vector<int64_t> ids;
  if (list == nullptr || !list->is_array()) return ids;
  for (const boost::json::value& id : list->get_array()) {
    if (id.is_int64()) ids.push_back(id.get_int64());
  }
  return ids;
}

// Multi-approver decisions as a small JSON object; "" when there are none.
engine::StageDecisions DecodeDecisions(const std::string& text) {
  engine::StageDecisions decisions;
  if (text.empty()) return decisions;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(text, ec);
  if (ec || !parsed.is_object()) return decisions;
  const boost::json::object& object = parsed.get_object();
  decisions.approvers = Ids(object.if_contains("approvers"));
  decisions.approved = Ids(object.if_contains("approved"));
  decisions.returned = Ids(object.if_contains("returned"));
  return decisions;
}

std::string EncodeDecisions(const engine::StageDecisions& decisions) {
  if (decisions == engine::StageDecisions{}) return "";
  auto list = [](const std::vector<int64_t>& ids) {
    return boost::json::array(ids.begin(), ids.end());
  };
  return boost::json::serialize(boost::json::object{{"approvers", list(decisions.approvers)},
                                                    {"approved", list(decisions.approved)},
                                                    {"returned", list(decisions.returned)}});
}

std::optional<std::string> NullIfEmpty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

// A rowid the item names, NULL for none (0).
void BindRowid(Statement& query, int index, int64_t rowid) {
  if (rowid != 0) {
    query.Bind(index, rowid);
  } else {
    query.BindNull(index);
  }
}

ItemRecord ReadItem(const Statement& row) {
  ItemRecord item;
  engine::Instance& instance = item.instance;
  instance.id = row.Int(0);
  item.kind = row.Text(1);
  item.campaign = row.Text(2);
  instance.org_id = row.Int(3);
  item.org_path = row.Text(4);
  item.county_scope_id = row.Int(5);
  item.flow_key = row.Text(6);
  item.flow_version = static_cast<int>(row.Int(7));
  instance.stage = row.Text(8);
  instance.status = row.Text(9);
  item.last_action = row.Text(10);
  instance.version = row.Int(11);
  item.title = row.Text(12);
  boost::system::error_code ec;
  instance.data = boost::json::parse(row.Text(13), ec);
  instance.late = row.Int(14) != 0;
  if (!row.IsNull(15)) instance.first_submitted_at = engine::ParseTime(row.Text(15));
  instance.created_by = row.Int(16);
  item.created_at = row.Text(17);
  item.updated_at = row.Text(18);
  item.stage_entered_at = row.Text(19);
  item.history_seq = row.Int(20);
  item.history_head = row.Text(21);
  instance.decisions = DecodeDecisions(row.Text(22));
  if (!row.IsNull(23)) instance.assignee = row.Int(23);
  item.due_at = row.Text(24);
  item.history_row = row.Int(25);
  item.snapshot_row = row.Int(26);
  return item;
}

std::optional<std::string> FirstSubmitted(const engine::Instance& instance) {
  if (!instance.first_submitted_at) return std::nullopt;
  return engine::FormatTime(*instance.first_submitted_at);
}

// `expected`: how many rows the query may return at most (its LIMIT), so
// that the rows are not moved again as the vector grows.
template <typename Row = ItemRecord, typename Read = ItemRecord (*)(const Statement&)>
engine::Result<std::vector<Row>> ReadAll(Query& query, int expected = 0, Read read = ReadItem) {
  std::vector<Row> rows;
  rows.reserve(static_cast<size_t>(std::clamp(expected, 0, 512)));
  for (;;) {
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    if (!row.value()) return rows;
    rows.push_back(read(*query));
  }
}

// The one row `query` selects by its only parameter, the id, if there is one.
template <typename Row, typename Read>
engine::Result<std::optional<Row>> ReadOne(Query& query, int64_t id, Read read) {
  query->Bind(1, id);
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  if (!row.value()) return std::optional<Row>();
  return std::optional<Row>(read(*query));
}

#define JINGSAI_STAMP_COLUMNS "id, version, flow_version, history_seq "

ItemStamp ReadStamp(const Statement& row) {
  return {row.Int(0), row.Int(1), static_cast<int>(row.Int(2)), row.Int(3)};
}

int64_t IdOf(const ItemRecord& item) { return item.instance.id; }
int64_t IdOf(const ItemStamp& stamp) { return stamp.id; }
bool Newer(const ItemRecord& a, const ItemRecord& b) { return a.instance.id > b.instance.id; }
constexpr auto kOlder = [](const auto& a, const auto& b) { return IdOf(a) < IdOf(b); };

}  // namespace

engine::Result<int64_t> InsertItem(Database& db, const ItemRecord& item) {
  const engine::Instance& instance = item.instance;
  Query query = db.Prepare(
      "INSERT INTO items (kind, campaign, org_id, org_path, county_scope_id, flow_key, "
      "flow_version, stage, status, last_action, version, title, data, late, first_submitted_at, "
      "created_by, created_at, updated_at, stage_entered_at, history_seq, history_head) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  query->Bind(1, item.kind)
      .Bind(2, item.campaign)
      .Bind(3, instance.org_id)
      .Bind(4, item.org_path)
      .Bind(5, item.county_scope_id)
      .Bind(6, item.flow_key)
      .Bind(7, item.flow_version)
      .Bind(8, instance.stage)
      .Bind(9, instance.status)
      .Bind(10, item.last_action)
      .Bind(11, instance.version)
      .Bind(12, item.title)
      .Bind(13, boost::json::serialize(instance.data))
      .Bind(14, instance.late ? 1 : 0)
      .Bind(15, FirstSubmitted(instance))
      .Bind(16, instance.created_by)
      .Bind(17, item.created_at)
      .Bind(18, item.updated_at)
      .Bind(19, item.stage_entered_at)
      .Bind(20, item.history_seq)
      .Bind(21, item.history_head);
  if (engine::Status status = query->Run(); !status.ok()) return std::move(status).error();
  const int64_t id = db.LastInsertId();
  // The new row is what the caller holds, as after a load: its next write,
  // handed over through KeepWrittenStep, is kept.
  if (KeptItems* kept = db.kept_items()) kept->Loaded(id);
  return id;
}

engine::Status UpdateItem(Database& db, const ItemRecord& item, int64_t expected_version) {
  return UpdateItem(db, item, expected_version, boost::json::serialize(item.instance.data));
}

namespace {

// The columns every step writes, parameters 1 to 15 (BindStepColumns).
#define JINGSAI_STEP_SET                                                                        \
  "UPDATE items SET stage = ?, status = ?, last_action = ?, version = ?, title = ?, data = ?, " \
  "late = ?, first_submitted_at = ?, updated_at = ?, stage_entered_at = ?, history_seq = ?, "   \
  "history_head = ?, decisions = ?, history_row = ?, snapshot_row = ? "

void BindStepColumns(Statement& query, const ItemRecord& item, std::string_view data_text) {
  const engine::Instance& instance = item.instance;
  // The record's own strings and `data_text` outlive the statement's use.
  query.BindUncopied(1, instance.stage)
      .BindUncopied(2, instance.status)
      .BindUncopied(3, item.last_action)
      .Bind(4, instance.version)
      .BindUncopied(5, item.title)
      .BindUncopied(6, data_text)
      .Bind(7, instance.late ? 1 : 0)
      .Bind(8, FirstSubmitted(instance))
      .BindUncopied(9, item.updated_at)
      .BindUncopied(10, item.stage_entered_at)
      .Bind(11, item.history_seq)
      .BindUncopied(12, item.history_head)
      .Bind(13, EncodeDecisions(instance.decisions));
  BindRowid(query, 14, item.history_row);
  BindRowid(query, 15, item.snapshot_row);
}

void BindAssignee(Statement& query, int index, const std::optional<int64_t>& assignee) {
  if (assignee) {
    query.Bind(index, *assignee);
  } else {
    query.BindNull(index);
  }
}

}  // namespace

engine::Status UpdateItem(Database& db, const ItemRecord& item, int64_t expected_version,
                          std::string_view data_text) {
  const engine::Instance& instance = item.instance;
  // Most steps keep the assignee and the due time. Writing them anyway costs
  // every step a foreign-key lookup (which also makes SQLite journal the
  // statement's pages) and a look at the due-time index: the first statement
  // leaves both out and matches only when they are unchanged.
  {
    Query same = db.Prepare(JINGSAI_STEP_SET
                            "WHERE id = ? AND version = ? AND assignee_id IS ? AND due_at IS ?");
    BindStepColumns(*same, item, data_text);
    same->Bind(16, instance.id).Bind(17, expected_version);
    BindAssignee(*same, 18, instance.assignee);
    same->Bind(19, NullIfEmpty(item.due_at));
    if (engine::Status status = same->Run(); !status.ok()) return status;
    if (db.Changes() == 1) return engine::Ok{};
  }
  Query query =
      db.Prepare(JINGSAI_STEP_SET ", assignee_id = ?, due_at = ? WHERE id = ? AND version = ?");
  BindStepColumns(*query, item, data_text);
  BindAssignee(*query, 16, instance.assignee);
  query->Bind(17, NullIfEmpty(item.due_at)).Bind(18, instance.id).Bind(19, expected_version);
  if (engine::Status status = query->Run(); !status.ok()) return status;
  if (db.Changes() == 0) {
    return engine::Error::VersionMismatch("事项已被他人修改，请刷新后重试");
  }
  return engine::Ok{};
}
#undef JINGSAI_STEP_SET

engine::Status MoveToFlowVersion(Database& db, int64_t item_id, int flow_version) {
  Query query = db.Prepare("UPDATE items SET flow_version = ? WHERE id = ?");
  query->Bind(1, flow_version).Bind(2, item_id);
  return query->Run();
}

engine::Result<std::optional<ItemRecord>> LoadItem(Database& db, int64_t id, LoadFor use) {
  KeptItems* kept = db.kept_items();
  std::optional<ItemRecord> copy;
  if (kept != nullptr) copy = use == LoadFor::kStep ? kept->Take(id) : kept->Find(id);
  if (copy && !KeptItems::checking()) {
    kept->Loaded(id);
    return copy;
  }
  Query query = db.Prepare("SELECT " JINGSAI_ITEM_COLUMNS "FROM items WHERE id = ?");
  engine::Result<std::optional<ItemRecord>> loaded = ReadOne<ItemRecord>(query, id, ReadItem);
  if (kept == nullptr || !loaded.ok()) return loaded;
  if (copy && loaded.value() != copy) {
    kept->CountMismatch();
    spdlog::error("写入线程保留的事项 {} 与数据库不一致", id);
  }
  if (loaded.value()) kept->Loaded(id);
  return loaded;
}

std::shared_ptr<const ItemRecord> KeepWrittenStep(Database& db, ItemRecord item) {
  auto written = std::make_shared<ItemRecord>(std::move(item));
  if (KeptItems* kept = db.kept_items()) kept->Wrote(written);
  return written;
}

namespace {

// ListSubtree over county scopes: one indexed walk per scope, newest first,
// merged into the newest `limit`.
engine::Result<std::vector<ItemRecord>> ListByCountyScopes(Database& db, const SubtreeQuery& filter,
                                                           const std::vector<int64_t>& scopes,
                                                           const std::string& upper) {
  std::string_view sql = filter.stage
                             ? "SELECT " JINGSAI_ITEM_COLUMNS
                               "FROM items WHERE kind = ?1 AND county_scope_id = ?2 AND stage = ?3 "
                               "AND id < ?4 AND org_path >= ?5 AND org_path < ?6 "
                               "AND (?7 IS NULL OR campaign = ?7) ORDER BY id DESC LIMIT ?8"
                             : "SELECT " JINGSAI_ITEM_COLUMNS
                               "FROM items WHERE kind = ?1 AND county_scope_id = ?2 AND ?3 IS NULL "
                               "AND id < ?4 AND org_path >= ?5 AND org_path < ?6 "
                               "AND (?7 IS NULL OR campaign = ?7) ORDER BY id DESC LIMIT ?8";
  std::vector<ItemRecord> found;
  for (int64_t scope : scopes) {
    Query query = db.Prepare(sql);
    query->Bind(1, filter.kind)
        .Bind(2, scope)
        .Bind(3, filter.stage)
        .Bind(4, filter.before_id)
        .Bind(5, filter.org_path)
        .Bind(6, upper)
        .Bind(7, filter.campaign)
        .Bind(8, filter.limit);
    engine::Result<std::vector<ItemRecord>> page = ReadAll(query, filter.limit);
    if (!page.ok()) return page;
    std::move(page->begin(), page->end(), std::back_inserter(found));
  }
  KeepFirst(found, filter.limit, Newer);
  return found;
}

}  // namespace

engine::Result<std::vector<ItemRecord>> ListSubtree(Database& db, const SubtreeQuery& filter,
                                                    const std::vector<int64_t>& county_scopes) {
  // Paths look like "/1/5/"; every path in the subtree starts with it, and
  // '0' is the character right after '/', so [path, path-with-'0') is the range.
  std::string upper = filter.org_path;
  upper.back() = '0';
  if (!county_scopes.empty()) return ListByCountyScopes(db, filter, county_scopes, upper);
  Query query =
      db.Prepare("SELECT " JINGSAI_ITEM_COLUMNS
                 "FROM items WHERE kind = ?1 AND org_path >= ?2 AND org_path < ?3 "
                 "AND (?4 IS NULL OR campaign = ?4) AND (?5 IS NULL OR stage = ?5) AND id < ?6 "
                 "ORDER BY id DESC LIMIT ?7");
  query->Bind(1, filter.kind)
      .Bind(2, filter.org_path)
      .Bind(3, upper)
      .Bind(4, filter.campaign)
      .Bind(5, filter.stage)
      .Bind(6, filter.before_id)
      .Bind(7, filter.limit);
  return ReadAll(query, filter.limit);
}

namespace {

// `values` as a JSON array's text, for a statement's json_each(?).
template <typename Values>
std::string JsonList(const Values& values) {
  return boost::json::serialize(boost::json::array(values.begin(), values.end()));
}

// One walk of `sql` per kind of item (`bind` binds all but the kind, ?1),
// merged into the oldest `limit`.
template <typename Row, typename Read, typename Bind>
engine::Result<std::vector<Row>> OldestOfEachKind(Database& db, std::string_view sql, int limit,
                                                  Read read, const Bind& bind) {
  std::vector<Row> found;
  for (std::string_view kind : {kKindSubmission, kKindNomination}) {
    Query query = db.Prepare(sql);
    query->Bind(1, kind);
    bind(query);
    engine::Result<std::vector<Row>> page = ReadAll<Row>(query, limit, read);
    if (!page.ok()) return page;
    std::move(page->begin(), page->end(), std::back_inserter(found));
  }
  KeepFirst(found, limit, kOlder);
  return found;
}

// The item's flow is one of a list (JSON text), or the only one: most
// stages belong to one flow, and a list costs each walk a temporary B-tree
// built from it and a lookup in that tree per row, a tenth of an inbox.
#define JINGSAI_IN_FLOWS(list, only)                                                             \
  "(flow_key = " only " OR (" only " IS NULL AND flow_key IN (SELECT value FROM json_each(" list \
  "))))"
// A unit's own items are few: its path, then the stage as a filter.
#define JINGSAI_AT_UNIT_STAGE                                                     \
  "FROM items INDEXED BY items_by_kind_path WHERE kind = ?1 AND org_path = ?2 "   \
  "AND id > ?3 AND flow_key IN (SELECT value FROM json_each(?4)) AND stage = ?5 " \
  "AND org_id = ?6 ORDER BY id LIMIT ?7"
// A county scope's items at a stage of one of the flows, through the one
// index that holds the stage; its trailing flow key filters without reading rows.
#define JINGSAI_AT_STAGE                                              \
  "FROM items INDEXED BY items_by_kind_county_stage WHERE kind = ?1 " \
  "AND county_scope_id = ?2 AND stage = ?3 AND id > ?4 "              \
  "AND " JINGSAI_IN_FLOWS("?5", "?7") " ORDER BY id LIMIT ?6"

// The statements of one shape of answer: whole items or their stamps (which
// the stage index holds).
struct AtStageSql {
  std::string_view at_unit;
  std::string_view at_scope;
};
constexpr AtStageSql kItemsAtStage{
    "SELECT " JINGSAI_ITEM_COLUMNS JINGSAI_AT_UNIT_STAGE,
    "SELECT " JINGSAI_ITEM_COLUMNS JINGSAI_AT_STAGE,
};
constexpr AtStageSql kStampsAtStage{
    "SELECT " JINGSAI_STAMP_COLUMNS JINGSAI_AT_UNIT_STAGE,
    "SELECT " JINGSAI_STAMP_COLUMNS JINGSAI_AT_STAGE,
};
constexpr std::string_view kItemsByIds =
    "SELECT " JINGSAI_ITEM_COLUMNS "FROM items WHERE id IN (SELECT value FROM json_each(?1))";
#undef JINGSAI_IN_FLOWS
#undef JINGSAI_AT_UNIT_STAGE
#undef JINGSAI_AT_STAGE

template <typename Row, typename Read>
engine::Result<std::vector<Row>> AtStage(Database& db, const StageQuery& filter,
                                         const AtStageSql& sql, Read read) {
  const std::string flows = JsonList(filter.flow_keys);
  std::optional<std::string> only_flow;
  if (filter.flow_keys.size() == 1) only_flow = filter.flow_keys.front();
  if (filter.column == ScopeColumn::kOrg) {
    return OldestOfEachKind<Row>(db, sql.at_unit, filter.limit, read, [&](Query& query) {
      query->Bind(2, filter.org_path)
          .Bind(3, filter.after_id)
          .Bind(4, flows)
          .Bind(5, filter.stage)
          .Bind(6, filter.org_id)
          .Bind(7, filter.limit)
          .Bind(8, only_flow);
    });
  }
  auto bind_scope = [&](int64_t scope) {
    return [&, scope](Query& query) {
      query->Bind(2, scope)
          .Bind(3, filter.stage)
          .Bind(4, filter.after_id)
          .Bind(5, flows)
          .Bind(6, filter.limit)
          .Bind(7, only_flow);
    };
  };
  if (filter.column == ScopeColumn::kCountyScope) {
    return OldestOfEachKind<Row>(db, sql.at_scope, filter.limit, read, bind_scope(filter.org_id));
  }
  // Over every county scope: first the stamps from the index alone, then
  // only the oldest `limit` rows, in one statement.
  std::vector<ItemStamp> stamps;
  for (std::string_view kind : {kKindSubmission, kKindNomination}) {
    for (int64_t scope : filter.county_scopes) {
      Query query = db.Prepare(kStampsAtStage.at_scope);
      query->Bind(1, kind);
      bind_scope(scope)(query);
      engine::Result<std::vector<ItemStamp>> page = ReadAll<ItemStamp>(query, 0, ReadStamp);
      if (!page.ok()) return std::move(page).error();
      std::move(page->begin(), page->end(), std::back_inserter(stamps));
    }
  }
  KeepFirst(stamps, filter.limit, kOlder);
  if constexpr (std::is_same_v<Row, ItemStamp>) {
    return stamps;
  } else {
    if (stamps.empty()) return std::vector<Row>();
    std::vector<int64_t> ids;
    for (const ItemStamp& stamp : stamps) ids.push_back(stamp.id);
    Query query = db.Prepare(kItemsByIds);
    query->Bind(1, JsonList(ids));
    engine::Result<std::vector<Row>> rows = ReadAll<Row>(query, static_cast<int>(ids.size()), read);
    if (rows.ok()) KeepFirst(rows.value(), filter.limit, kOlder);
    return rows;
  }
}

}  // namespace

engine::Result<std::vector<ItemRecord>> ListAtStage(Database& db, const StageQuery& filter) {
  return AtStage<ItemRecord>(db, filter, kItemsAtStage, ReadItem);
}

engine::Result<std::vector<ItemStamp>> StampsAtStage(Database& db, const StageQuery& filter) {
  return AtStage<ItemStamp>(db, filter, kStampsAtStage, ReadStamp);
}

engine::Result<std::vector<ItemRecord>> LoadItems(Database& db, const std::vector<int64_t>& ids) {
  if (ids.empty()) return std::vector<ItemRecord>();
  Query query = db.Prepare(kItemsByIds);
  query->Bind(1, JsonList(ids));
  return ReadAll(query, static_cast<int>(ids.size()));
}

ItemStamp StampOf(const ItemRecord& item) {
  return {item.instance.id, item.instance.version, item.flow_version, item.history_seq};
}

engine::Result<std::optional<ItemStamp>> LoadStamp(Database& db, int64_t id) {
  Query query = db.Prepare("SELECT " JINGSAI_STAMP_COLUMNS "FROM items WHERE id = ?");
  return ReadOne<ItemStamp>(query, id, ReadStamp);
}

engine::Result<std::vector<ItemRecord>> ListOverdue(Database& db, const std::string& now,
                                                    int64_t after_id, int limit) {
  Query query = db.Prepare("SELECT " JINGSAI_ITEM_COLUMNS
                           "FROM items WHERE due_at IS NOT NULL AND due_at < ? AND id > ? "
                           "ORDER BY id LIMIT ?");
  query->Bind(1, now).Bind(2, after_id).Bind(3, static_cast<int64_t>(limit));
  return ReadAll(query);
}

engine::Result<std::vector<ItemRecord>> ListOnFlowVersion(Database& db, std::string_view flow_key,
                                                          int version) {
  Query query = db.Prepare("SELECT " JINGSAI_ITEM_COLUMNS
                           "FROM items WHERE flow_key = ? AND flow_version = ? ORDER BY id");
  query->Bind(1, flow_key).Bind(2, version);
  return ReadAll(query);
}

}  // namespace jingsai::storage
