// Files embedded at build time: the OpenAPI description (api/) and the web
// app (admin-ui/, flat: names carry no folder).
#pragma once

#include <string_view>
#include <vector>

namespace jingsai::api {

struct EmbeddedFile {
  std::string_view name;
  std::string_view contents;
};

const std::vector<EmbeddedFile>& ApiFiles();
const std::vector<EmbeddedFile>& AdminUiFiles();

// The contents of the embedded file `name`; empty if there is none.
std::string_view ApiFile(std::string_view name);

}  // namespace jingsai::api
