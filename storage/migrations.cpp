#include "storage/migrations.h"

#include <algorithm>
#include <string>
#include <vector>

#include "storage/embedded_migrations.h"

namespace jingsai::storage {
namespace {

struct Migration {
  int number;
  std::string_view sql;
};

// Migration files are named NNN_description.sql.
std::vector<Migration> SortedMigrations() {
  std::vector<Migration> migrations;
  for (const EmbeddedFile& file : MigrationFiles()) {
    migrations.push_back({std::stoi(std::string(file.name.substr(0, 3))), file.contents});
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.number < b.number; });
  return migrations;
}

}  // namespace

int LatestSchemaVersion() {
  std::vector<Migration> migrations = SortedMigrations();
  return migrations.empty() ? 0 : migrations.back().number;
}

engine::Status Migrate(Database& db) { return Migrate(db, LatestSchemaVersion()); }

engine::Status Migrate(Database& db, int up_to) {
  int current = 0;
  {
    Query query = db.Prepare("PRAGMA user_version");
    engine::Result<bool> row = query->Step();
    if (!row.ok()) return std::move(row).error();
    current = static_cast<int>(query->Int(0));
  }
  for (const Migration& migration : SortedMigrations()) {
    if (migration.number <= current) continue;
    if (migration.number > up_to) break;
    std::string script = "BEGIN IMMEDIATE;\n" + std::string(migration.sql) +
                         "\nPRAGMA user_version = " + std::to_string(migration.number) +
                         ";\nCOMMIT;";
    if (engine::Status status = db.Exec(script); !status.ok()) {
      db.Exec("ROLLBACK");
      return engine::Error::Internal("migration " + std::to_string(migration.number) +
                                     " failed: " + status.error().message);
    }
  }
  return engine::Ok{};
}

}  // namespace jingsai::storage
