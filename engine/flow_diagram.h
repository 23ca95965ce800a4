// A flow definition drawn as a Graphviz DOT graph: stages as nodes (their
// kind as the shape), actions as edges (returns dashed).
#pragma once

#include <string>

#include "engine/flow.h"

namespace jingsai::engine {

std::string FlowToDot(const FlowDefinition& flow);

}  // namespace jingsai::engine
