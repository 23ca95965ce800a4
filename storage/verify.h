// Verifying a whole database: what `jingsai verify` checks.
#pragma once

#include <cstdint>

#include "engine/result.h"
#include "storage/sqlite.h"

namespace jingsai::storage {

// Walks every item's hash chain (VerifyItemHistory) and checks what the
// chains do not cover by themselves: that no item is gone from under its
// history, that each item's evidence is what its attach and detach steps
// left, and that every stored file still has the hash it is stored under.
// Gives the number of items checked, or the first problem found.
engine::Result<int64_t> VerifyDatabase(Database& db);

}  // namespace jingsai::storage
