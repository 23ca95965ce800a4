// A consistent copy of a live database, taken with SQLite's online backup
// API while the server keeps writing.
#pragma once

#include <string>

#include "engine/result.h"

namespace jingsai::storage {

// Copies `source` to `destination` (replaced if it exists) in one read
// transaction: the copy is one consistent state, and the server's writer
// (WAL mode) goes on committing meanwhile.
engine::Status BackupDatabase(const std::string& source, const std::string& destination);

}  // namespace jingsai::storage
