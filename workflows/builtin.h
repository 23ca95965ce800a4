// The built-in workflow files (flows, the 2014 campaign, the organization
// tree), embedded at build time from the JSON files in this folder.
#pragma once

#include <string_view>
#include <vector>

namespace jingsai::workflows {

struct EmbeddedFile {
  std::string_view name;      // e.g. "report-county.json"
  std::string_view contents;  // the file's text
};
using BuiltinFile = EmbeddedFile;

const std::vector<EmbeddedFile>& BuiltinFiles();

}  // namespace jingsai::workflows
