// The SQL migration files of storage/migrations/, embedded at build time.
#pragma once

#include <string_view>
#include <vector>

namespace jingsai::storage {

struct EmbeddedFile {
  std::string_view name;  // e.g. "001_initial.sql"
  std::string_view contents;
};

const std::vector<EmbeddedFile>& MigrationFiles();

}  // namespace jingsai::storage
