// Fuzzes the flow definition loader: JSON text -> ParseFlow (parse and every
// check) -> the diagram of what was accepted. Any input must end in a flow or
// in a list of problems, never in a crash.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/flow.h"
#include "engine/flow_diagram.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(text, ec);
  if (ec) return 0;
  jingsai::engine::Result<jingsai::engine::FlowDefinition> flow = jingsai::engine::ParseFlow(json);
  if (flow.ok()) {
    (void)jingsai::engine::FlowToDot(flow.value());
  } else if (flow.error().details.empty() && flow.error().message.empty()) {
    __builtin_trap();  // a refusal must say why
  }
  return 0;
}
