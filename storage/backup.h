// A consistent copy of a live database, taken with SQLite's online backup
// API while the server keeps writing.
#pragma once

#include <string>

#include "engine/result.h"

namespace jingsai::storage {

// Copies `source` to `destination` (replaced if it exists), a batch of pages
// at a time so that writers are held up only briefly; a write between
// batches restarts the copy, so the result is one consistent state.
engine::Status BackupDatabase(const std::string& source, const std::string& destination);

}  // namespace jingsai::storage
