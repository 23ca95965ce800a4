#include "storage/backup.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>

#include "storage/sqlite.h"

namespace jingsai::storage {

namespace {

// How long the copy keeps trying while another connection holds a lock it
// needs (the destination used by someone else, say) before it gives up.
constexpr auto kGiveUpAfter = std::chrono::seconds(30);

}  // namespace

engine::Status BackupDatabase(const std::string& source, const std::string& destination) {
  // Copying a database onto itself would wait for its own lock for ever.
  std::error_code ignored;
  if (std::filesystem::equivalent(source, destination, ignored)) {
    return engine::Error::BadRequest("备份文件不能是数据库本身：" + destination);
  }
  Database::Options read_only;
  read_only.read_only = true;
  engine::Result<std::unique_ptr<Database>> from = Database::Open(source, read_only);
  if (!from.ok()) return std::move(from).error();
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(destination.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    engine::Error error = SqliteError(raw, "open backup file " + destination);
    sqlite3_close_v2(raw);
    return error;
  }
  std::unique_ptr<sqlite3, ConnectionDeleter> to(raw);
  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.value()->handle(), "main");
  if (backup == nullptr) return SqliteError(to.get(), "start backup");
  // All pages in one step, inside one read transaction: in WAL mode a reader
  // does not hold up the writer, and a copy taken in batches would start over
  // after every write of another connection, so under steady writes it might
  // never finish.
  int rc = SQLITE_OK;
  const auto give_up_at = std::chrono::steady_clock::now() + kGiveUpAfter;
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      if (std::chrono::steady_clock::now() > give_up_at) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    return engine::Error::Internal("备份文件一直被占用，" + std::to_string(kGiveUpAfter.count()) +
                                   " 秒后放弃：" + destination);
  }
  if (rc != SQLITE_DONE) return SqliteError(to.get(), "backup");
  // The copy is a plain database file: no WAL beside it to lose.
  char* message = nullptr;
  if (sqlite3_exec(to.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, &message) !=
      SQLITE_OK) {
    sqlite3_free(message);
    return SqliteError(to.get(), "finish backup");
  }
  return engine::Ok{};
}

}  // namespace jingsai::storage
