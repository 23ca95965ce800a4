// Fuzzes the evidence type sniffer: any bytes get one of the accepted types or
// none, and whatever is recognised is allowed for some kind.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/file_type.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::optional<std::string> type = jingsai::engine::SniffContentType(bytes);
  if (type && !jingsai::engine::IsAllowedForKind("document", *type)) __builtin_trap();
  return 0;
}
