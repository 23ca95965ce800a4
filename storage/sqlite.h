// Database and Statement: an owned SQLite connection with a cache of
// prepared statements, keyed by SQL text.
//
// Thread-safety: a Database is used by one thread at a time (the writer
// thread, or the holder of a reader lease). Statements belong to their
// Database and must not outlive it.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/result.h"

namespace jingsai::storage {

class KeptItems;

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
struct ConnectionDeleter {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

// A prepared statement. Bind parameters are 1-based, as in SQLite. Step()
// returns true while there is a row; Reset() readies it for the next use and
// is called automatically by Database::Prepare.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<std::string>& value);
  // Binds text without SQLite's own copy of it (each copy is an allocation
  // and a memcpy; a step binds about twenty strings on the writer's thread).
  // REQUIRES: `value` stays alive and unchanged until this use of the
  // statement has stepped for the last time: a member of the record being
  // written, never a temporary.
  Statement& BindUncopied(int index, std::string_view value);

  // Advances to the next row. Returns a row flag, or an error carrying
  // SQLite's message (constraint violations map to kConflict).
  engine::Result<bool> Step();
  // Runs a statement that returns no rows.
  engine::Status Run();

  int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  std::string Bytes(int column) const;  // a BLOB column's bytes
  bool IsNull(int column) const;

  void Reset();
  sqlite3_stmt* handle() const { return statement_.get(); }

 private:
  std::unique_ptr<sqlite3_stmt, StatementDeleter> statement_;
};

// A statement in use: resets it when the use ends, so that no statement keeps
// a read transaction (and with it an old snapshot) open between uses.
class Query {
 public:
  explicit Query(Statement& statement) : statement_(&statement) {}
  Query(Query&& other) noexcept : statement_(std::exchange(other.statement_, nullptr)) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    if (statement_ != nullptr) statement_->Reset();
  }
  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

class Database {
 public:
  struct Options {
    bool read_only = false;
    // FULL: an answered step survives power loss. NORMAL only for benchmarks.
    std::string synchronous = "FULL";
    int busy_timeout_ms = 5000;
    // Page cache in KiB. The writer's should hold a batch's dirty pages and
    // the hot index pages, or SQLite spills and re-reads them mid-batch.
    int cache_kib = 16 * 1024;
  };

  static engine::Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const Options& options);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A cached, reset statement for `sql`, reset again when the Query ends.
  // REQUIRES: `sql` is a valid statement (a programming error otherwise), and
  // the same SQL is not in use by another live Query of this Database.
  Query Prepare(std::string_view sql);

  // Runs one or more statements without parameters (schema, pragmas).
  engine::Status Exec(std::string_view sql);

  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_.get()); }
  int Changes() const { return sqlite3_changes(db_.get()); }
  // Rows changed by every statement that completed on this connection; a
  // statement that failed counts none.
  int64_t TotalChanges() const { return sqlite3_total_changes64(db_.get()); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }
  // Whether a statement is still stepping or a transaction is open: either
  // holds the connection's read snapshot, so that it would not see later
  // commits. Ends both and says which it found ("" when neither).
  std::string EndOpenReads();
  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return path_; }
  const Options& options() const { return options_; }

  // The writer's copies of the items it wrote (storage/kept_items.h); null
  // on every other connection. Not owned.
  KeptItems* kept_items() const { return kept_items_; }
  void set_kept_items(KeptItems* kept) { kept_items_ = kept; }

 private:
  Database(sqlite3* db, std::string path, Options options)
      : db_(db), path_(std::move(path)), options_(std::move(options)) {}

  std::unique_ptr<sqlite3, ConnectionDeleter> db_;
  std::string path_;
  Options options_;
  KeptItems* kept_items_ = nullptr;
  // Looked up by the SQL's text without copying it into a key first.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> statements_;
};

// One read transaction over the statements of an answer, while it lives:
// they all see one committed state (a page is never made of two), and
// SQLite takes its WAL read lock once instead of once per statement.
// Does nothing on a connection already in a transaction.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database& db);
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot();

 private:
  Database& db_;
  bool begun_ = false;
};

// An error value from SQLite's last error on `db`.
engine::Error SqliteError(sqlite3* db, std::string_view what);

}  // namespace jingsai::storage
