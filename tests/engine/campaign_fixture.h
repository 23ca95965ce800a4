// Test helpers shared by the campaign and validator tests: the built-in 2014
// campaign (embedded at build time, never read from disk) and small builders
// for validator inputs.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/campaign.h"
#include "engine/validators.h"
#include "workflows/builtin.h"

namespace jingsai::engine::test_support {

inline boost::json::value BuiltinCampaignJson() {
  for (const workflows::BuiltinFile& file : workflows::BuiltinFiles()) {
    if (file.name == "leshan-2014.json") return boost::json::parse(file.contents);
  }
  ADD_FAILURE() << "leshan-2014.json is not among the built-in files";
  return {};
}

inline Campaign BuiltinCampaign() {
  Result<Campaign> campaign = ParseCampaign(BuiltinCampaignJson());
  if (!campaign.ok()) {
    ADD_FAILURE() << "the built-in campaign does not parse";
    return Campaign{};
  }
  return std::move(campaign).value();
}

// 2014-10-20T16:00:00Z: the first late instant of the built-in campaign.
inline TimePoint BuiltinDeadline() {
  using namespace std::chrono;
  return TimePoint{sys_days{year{2014} / October / 20} + hours{16}};
}

inline std::vector<std::string> PathsOf(const std::vector<Detail>& details) {
  std::vector<std::string> paths;
  for (const Detail& detail : details) paths.push_back(detail.path);
  return paths;
}

inline std::vector<std::string> RulesOf(const std::vector<Detail>& details) {
  std::vector<std::string> rules;
  for (const Detail& detail : details) rules.push_back(detail.rule);
  return rules;
}

inline EvidenceInfo Evidence(std::string kind, std::string ref = "") {
  EvidenceInfo info;
  info.kind = std::move(kind);
  info.ref = std::move(ref);
  info.filename = info.kind + ".pdf";
  info.content_type = "application/pdf";
  info.size = 1024;
  return info;
}

// Runs one validator over `data` with the built-in campaign unless told
// otherwise; `params` is a JSON object text.
class ValidatorTest : public ::testing::Test {
 protected:
  std::vector<Detail> Run(std::string_view validator, std::string_view data_json,
                          std::string_view params_json = "{}") {
    data_ = boost::json::parse(data_json);
    ValidatorRef ref{std::string(validator), boost::json::parse(params_json).as_object()};
    ValidationInput input{campaign_ptr_, &data_, &evidence_, now_};
    return RunValidators({ref}, input);
  }

  Campaign campaign_ = BuiltinCampaign();
  const Campaign* campaign_ptr_ = &campaign_;
  std::vector<EvidenceInfo> evidence_ = {Evidence("document", "narrative")};
  TimePoint now_ = BuiltinDeadline() - std::chrono::hours{24 * 30};
  boost::json::value data_;
};

}  // namespace jingsai::engine::test_support
