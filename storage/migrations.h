// Schema migrations: numbered SQL files in storage/migrations/, embedded in the
// binary, applied in order. PRAGMA user_version records the last one applied.
#pragma once

#include "engine/result.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

// Applies every migration newer than the database's, each in its own
// transaction. REQUIRES: `db` is the only writer.
engine::Status Migrate(Database& db);
// The same, stopping after migration `up_to`: for tests of what one migration
// does to rows written before it.
engine::Status Migrate(Database& db, int up_to);

// The number of the newest migration this binary knows.
int LatestSchemaVersion();

}  // namespace jingsai::storage
