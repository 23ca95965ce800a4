// The registry of named validators, their parameter checks, and
// campaign.deadline (small enough to live beside the registry).
#include "engine/validators.h"

#include <span>

#include "engine/validator_rules.h"

namespace jingsai::engine {

namespace {

using rules::Validator;

std::vector<Detail> CampaignDeadline(const ValidationInput& input,
                                     const boost::json::object& /*params*/) {
  if (input.campaign == nullptr) return {rules::UnknownCampaign(rules::kCampaignDeadline)};
  const Campaign& campaign = *input.campaign;
  // Under the flag policy a late report goes through; Apply marks it late.
  if (campaign.late_policy != LatePolicy::kRefuse || !campaign.IsLate(input.now)) return {};
  return {Detail{"campaign", "已超过截止日期 " + campaign.deadline_date + "，不再接受报送",
                 std::string(rules::kCampaignDeadline)}};
}

// Every parameter so far is a count (a whole number >= 0); a validator
// lists the names it accepts.
constexpr std::string_view kReportCompleteParams[] = {rules::kMinNarrativeChars};

struct Entry {
  std::string_view name;
  Validator run;
  std::span<const std::string_view> params;
};

constexpr Entry kRegistry[] = {
    {rules::kReportComplete, &rules::ReportComplete, kReportCompleteParams},
    {rules::kReportConsistent, &rules::ReportConsistent, {}},
    {rules::kEvidenceBacksClaims, &rules::EvidenceBacksClaims, {}},
    {rules::kCampaignDeadline, &CampaignDeadline, {}},
};

const Entry* Find(std::string_view name) {
  for (const Entry& entry : kRegistry) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

}  // namespace

bool IsKnownValidator(std::string_view name) { return Find(name) != nullptr; }

std::vector<std::string> KnownValidators() {
  std::vector<std::string> names;
  for (const Entry& entry : kRegistry) names.emplace_back(entry.name);
  return names;
}

std::vector<Detail> CheckValidatorParams(const ValidatorRef& ref, const std::string& path) {
  // An unknown name is the flow checker's to report (with IsKnownValidator);
  // its params cannot be judged here.
  const Entry* entry = Find(ref.name);
  if (entry == nullptr) return {};
  std::vector<Detail> problems;
  for (const auto& param : ref.params) {
    const std::string name(param.key());
    const std::string param_path = path + ".params." + name;
    bool accepted = false;
    for (std::string_view known : entry->params) accepted = accepted || known == name;
    if (!accepted) {
      problems.push_back(Detail{param_path, "校验规则 " + ref.name + " 没有参数 " + name, ""});
    } else if (!rules::WholeCount(param.value())) {
      problems.push_back(Detail{param_path, "参数 " + name + " 必须是不小于 0 的整数", ""});
    }
  }
  return problems;
}

std::vector<Detail> RunValidators(const std::vector<ValidatorRef>& validators,
                                  const ValidationInput& input) {
  std::vector<Detail> violations;
  for (const ValidatorRef& ref : validators) {
    const Entry* entry = Find(ref.name);
    if (entry == nullptr) {
      // Flows are checked on load, so this means a stale definition: refuse
      // rather than let the move through unchecked.
      violations.push_back(Detail{"", "未知的校验规则 " + ref.name, ref.name});
      continue;
    }
    std::vector<Detail> found = entry->run(input, ref.params);
    violations.insert(violations.end(), std::make_move_iterator(found.begin()),
                      std::make_move_iterator(found.end()));
  }
  return violations;
}

}  // namespace jingsai::engine
