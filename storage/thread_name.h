// Names the calling thread (as `top -H`, `perf` and gdb show it), so that an
// operator can tell the writer from the I/O threads in a busy server.
#pragma once

#include <string_view>

namespace jingsai::storage {

// `name` is cut to the 15 characters the kernel keeps.
void NameThisThread(std::string_view name);

}  // namespace jingsai::storage
