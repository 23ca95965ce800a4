#include "storage/sqlite.h"

#include <mutex>
#include <stdexcept>

#include "storage/page_cache.h"
#include "storage/wal_write_buffer.h"

namespace jingsai::storage {

engine::Error SqliteError(sqlite3* db, std::string_view what) {
  int code = sqlite3_extended_errcode(db);
  std::string message = std::string(what) + ": " + sqlite3_errmsg(db);
  if ((code & 0xff) == SQLITE_CONSTRAINT) return engine::Error::Conflict(message);
  return engine::Error::Internal(message);
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(statement_.get(), index, value);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(statement_.get(), index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text(statement_.get(), index, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindUncopied(int index, std::string_view value) {
  sqlite3_bind_text(statement_.get(), index, value.data(), static_cast<int>(value.size()),
                    SQLITE_STATIC);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(statement_.get(), index);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

engine::Result<bool> Statement::Step() {
  int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(sqlite3_db_handle(statement_.get()), "step");
}

engine::Status Statement::Run() {
  engine::Result<bool> stepped = Step();
  if (!stepped.ok()) return std::move(stepped).error();
  return engine::Ok{};
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(statement_.get(), column); }

double Statement::Double(int column) const {
  return sqlite3_column_double(statement_.get(), column);
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(statement_.get(), column)));
}

std::string Statement::Bytes(int column) const {
  const void* data = sqlite3_column_blob(statement_.get(), column);
  if (data == nullptr) return {};
  return std::string(static_cast<const char*>(data),
                     static_cast<size_t>(sqlite3_column_bytes(statement_.get(), column)));
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

void Statement::Reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
}

namespace {

// Before SQLite's first use in the process. Its memory statistics take a
// global mutex around every allocation, shared by every connection, and
// nothing here reads them; a bigger lookaside per connection would serve the
// row-sized allocations of a step without malloc (Debian's SQLite is built
// without lookaside, SQLITE_OMIT_LOOKASIDE, so there it does nothing). The page
// cache skips truncations with nothing to drop (storage/page_cache.h), and a
// commit's WAL frames reach the file in one write (storage/wal_write_buffer.h);
// the VFS comes last, since finding the platform's starts SQLite up.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 1200, 500);
    InstallPageCacheWrapper();
    InstallWalWriteBuffer();
  });
}

}  // namespace

engine::Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                         const Options& options) {
  ConfigureSqliteOnce();
  sqlite3* raw = nullptr;
  int flags =
      options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Database> db(new Database(raw, path, options));
  if (rc != SQLITE_OK) return SqliteError(raw, "open " + path);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);
  std::string pragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=" + options.synchronous +
                        "; PRAGMA cache_size=-" + std::to_string(options.cache_kib) +
                        "; PRAGMA temp_store=MEMORY;";
  if (!options.read_only) pragmas = "PRAGMA journal_mode=WAL; " + pragmas;
  if (engine::Status status = db->Exec(pragmas); !status.ok()) return std::move(status).error();
  return db;
}

Query Database::Prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return Query(*it->second);
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) {
    // Our SQL is fixed text: a failure here is a bug, not user input.
    throw std::logic_error("prepare failed: " + std::string(sqlite3_errmsg(db_.get())) +
                           " in: " + std::string(sql));
  }
  auto [inserted, _] = statements_.emplace(std::string(sql), std::make_unique<Statement>(raw));
  return Query(*inserted->second);
}

engine::Status Database::Exec(std::string_view sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message ? message : "unknown";
    sqlite3_free(message);
    return engine::Error::Internal("sqlite: " + text);
  }
  return engine::Ok{};
}

std::string Database::EndOpenReads() {
  std::string found;
  for (sqlite3_stmt* stmt = sqlite3_next_stmt(db_.get(), nullptr); stmt != nullptr;
       stmt = sqlite3_next_stmt(db_.get(), stmt)) {
    if (!sqlite3_stmt_busy(stmt)) continue;
    found += std::string(found.empty() ? "" : "; ") + sqlite3_sql(stmt);
    sqlite3_reset(stmt);
  }
  if (InTransaction()) {
    found += std::string(found.empty() ? "" : "; ") + "open transaction";
    (void)Exec("ROLLBACK");
  }
  return found;
}

ReadSnapshot::ReadSnapshot(Database& db) : db_(db) {
  if (db_.InTransaction()) return;
  begun_ = db_.Prepare("BEGIN")->Run().ok();
}

ReadSnapshot::~ReadSnapshot() {
  // A read transaction has nothing to lose; COMMIT only ends it.
  if (begun_) (void)db_.Prepare("COMMIT")->Run();
}

}  // namespace jingsai::storage
