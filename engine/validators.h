// Named validators: the rules a flow declares on an action ("report.complete",
// ...). Each is a pure function from the item's data, its evidence and the
// campaign to a list of violations, each with a path, the rule name and a
// Chinese message. Flows may only name validators registered here.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/campaign.h"
#include "engine/flow.h"
#include "engine/result.h"

namespace jingsai::engine {

// What a validator may know about one piece of evidence.
struct EvidenceInfo {
  std::string sha256;
  std::string filename;
  std::string kind;  // photo | document | certificate | patent_receipt
  std::string ref;   // e.g. a patent application number
  std::string content_type;
  int64_t size = 0;
  bool operator==(const EvidenceInfo&) const = default;
};

struct ValidationInput {
  const Campaign* campaign = nullptr;  // may be null for subjects without one
  const boost::json::value* data = nullptr;
  const std::vector<EvidenceInfo>* evidence = nullptr;
  TimePoint now;
};

bool IsKnownValidator(std::string_view name);
std::vector<std::string> KnownValidators();

// Checks a validator's params; one Detail per problem, paths relative to `path`.
std::vector<Detail> CheckValidatorParams(const ValidatorRef& ref, const std::string& path);

// Runs the validators in order and returns every violation of all of them.
std::vector<Detail> RunValidators(const std::vector<ValidatorRef>& validators,
                                  const ValidationInput& input);

}  // namespace jingsai::engine
