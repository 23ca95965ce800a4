// jingsai-sqlite-ceiling: the one-commit-per-step ceiling. Raw sqlite3, the
// server's journal and sync settings (WAL, synchronous FULL by default), the
// items/history shape of the schema, and per transaction exactly what a step
// writes at the least: one UPDATE of the item and one INSERT of its history
// row. No HTTP, no JSON, no engine: the server can only beat this rate by
// committing several steps per transaction.
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, campaign TEXT NOT NULL, org_id INTEGER NOT NULL,
  org_path TEXT NOT NULL, county_scope_id INTEGER NOT NULL, flow_key TEXT NOT NULL,
  flow_version INTEGER NOT NULL, stage TEXT NOT NULL, status TEXT NOT NULL,
  last_action TEXT NOT NULL, version INTEGER NOT NULL, title TEXT NOT NULL, data TEXT NOT NULL,
  updated_at TEXT NOT NULL, history_seq INTEGER NOT NULL, history_head TEXT NOT NULL,
  history_row INTEGER);
CREATE INDEX IF NOT EXISTS items_by_kind_county_stage
  ON items(kind, county_scope_id, stage, id, flow_key);
CREATE INDEX IF NOT EXISTS items_by_kind_county ON items(kind, county_scope_id, id);
CREATE INDEX IF NOT EXISTS items_by_kind_path ON items(kind, org_path, id);
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL,
  actor_id INTEGER, actor TEXT NOT NULL, action TEXT NOT NULL, from_stage TEXT NOT NULL,
  to_stage TEXT NOT NULL, comment TEXT NOT NULL, data_hash TEXT NOT NULL, prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL, prev_row INTEGER);
)";

const std::string kHash(64, 'a');
const std::string kData =
    R"({"indicators":{"proposals_submitted":120,"proposals_implemented":80},)"
    R"("competitions":["tech_innovation"],"narrative":"本单位开展了职工技术创新活动。"})";

void Exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "?";
    sqlite3_free(message);
    throw std::runtime_error(text + " in: " + sql);
  }
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) !=
      SQLITE_OK) {
    throw std::runtime_error(sqlite3_errmsg(db));
  }
  return statement;
}

void Step(sqlite3* db, sqlite3_stmt* statement) {
  if (sqlite3_step(statement) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
  sqlite3_reset(statement);
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "sqlite-ceiling.db";
  std::string synchronous = "FULL";
  double seconds = 5;
  int items = 1000;
  CLI::App cli{"jingsai-sqlite-ceiling: raw SQLite, one step per transaction"};
  cli.add_option("--db", path, "database file (created; use the server's file system)")
      ->capture_default_str();
  cli.add_option("--synchronous", synchronous)
      ->check(CLI::IsMember({"FULL", "NORMAL"}))
      ->capture_default_str();
  cli.add_option("--seconds", seconds)->capture_default_str();
  cli.add_option("--items", items)->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  try {
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open");
    Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=" + synchronous + ";");
    Exec(db, kSchema);
    sqlite3_stmt* insert_item = Prepare(
        db,
        "INSERT INTO items (kind, campaign, org_id, org_path, county_scope_id, flow_key, "
        "flow_version, stage, status, last_action, version, title, data, updated_at, history_seq, "
        "history_head) VALUES ('submission', 'leshan-2014', ?1, '/1/2/', 2, 'report-county', 1, "
        "'county_review', 'open', 'submit', 1, '基准测试报告', ?2, '2014-10-01T00:00:00Z', 0, ?3)");
    Exec(db, "BEGIN");
    for (int i = 0; i < items; ++i) {
      sqlite3_bind_int(insert_item, 1, 100 + i % 3000);
      sqlite3_bind_text(insert_item, 2, kData.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert_item, 3, kHash.c_str(), -1, SQLITE_STATIC);
      Step(db, insert_item);
    }
    Exec(db, "COMMIT");

    sqlite3_stmt* begin = Prepare(db, "BEGIN IMMEDIATE");
    sqlite3_stmt* commit = Prepare(db, "COMMIT");
    sqlite3_stmt* update = Prepare(
        db,
        "UPDATE items SET stage = ?1, status = 'open', last_action = ?2, version = version + 1, "
        "updated_at = '2014-10-01T00:00:00Z', history_seq = ?3, history_head = ?4, "
        "history_row = ?6 WHERE id = ?5");
    sqlite3_stmt* append = Prepare(
        db,
        "INSERT INTO history (item_id, seq, at, actor_id, actor, action, from_stage, to_stage, "
        "comment, data_hash, prev_hash, hash, prev_row) VALUES (?1, ?2, '2014-10-01T00:00:00Z', "
        "7, 'reviewer', ?3, ?4, ?5, ?6, ?7, ?7, ?7, ?8)");
    std::vector<int> seq(static_cast<size_t>(items), 0);
    std::vector<sqlite3_int64> last_row(static_cast<size_t>(items), 0);
    auto start = std::chrono::steady_clock::now();
    auto end = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(seconds));
    long transactions = 0;
    while (std::chrono::steady_clock::now() < end) {
      int id = 1 + static_cast<int>(transactions % items);
      int next = ++seq[static_cast<size_t>(id - 1)];
      bool approve = next % 2 == 1;
      const char* from = approve ? "county_review" : "city_review";
      const char* to = approve ? "city_review" : "county_review";
      Step(db, begin);
      // As the server: the history row first, linked to the item's previous
      // one, then the item naming it.
      sqlite3_int64& previous = last_row[static_cast<size_t>(id - 1)];
      sqlite3_bind_int(append, 1, id);
      sqlite3_bind_int(append, 2, next);
      sqlite3_bind_text(append, 3, approve ? "approve" : "return", -1, SQLITE_STATIC);
      sqlite3_bind_text(append, 4, from, -1, SQLITE_STATIC);
      sqlite3_bind_text(append, 5, to, -1, SQLITE_STATIC);
      sqlite3_bind_text(append, 6, approve ? "" : "请补充佐证材料", -1, SQLITE_STATIC);
      sqlite3_bind_text(append, 7, kHash.c_str(), -1, SQLITE_STATIC);
      if (previous != 0) {
        sqlite3_bind_int64(append, 8, previous);
      } else {
        sqlite3_bind_null(append, 8);
      }
      Step(db, append);
      previous = sqlite3_last_insert_rowid(db);
      sqlite3_bind_text(update, 1, to, -1, SQLITE_STATIC);
      sqlite3_bind_text(update, 2, approve ? "approve" : "return", -1, SQLITE_STATIC);
      sqlite3_bind_int(update, 3, next);
      sqlite3_bind_text(update, 4, kHash.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int(update, 5, id);
      sqlite3_bind_int64(update, 6, previous);
      Step(db, update);
      Step(db, commit);
      ++transactions;
    }
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double rate = static_cast<double>(transactions) / elapsed;
    std::printf("sqlite one-commit-per-step (WAL, synchronous=%s): %ld transactions in %.1f s\n",
                synchronous.c_str(), transactions, elapsed);
    std::printf("RESULT phase=sqlite-ceiling rate=%.0f\n", rate);
    for (sqlite3_stmt* statement : {insert_item, begin, commit, update, append}) {
      sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jingsai-sqlite-ceiling: %s\n", e.what());
    return 1;
  }
  return 0;
}
