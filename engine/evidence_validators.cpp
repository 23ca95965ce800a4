// evidence.backs_claims: a claim is only as good as its evidence. Every report
// carries a document; patents, innovation studios and named people each need
// the evidence that proves them, matched by the evidence's `ref`.
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <set>
#include <utility>

#include "engine/validator_rules.h"

namespace jingsai::engine::rules {

namespace {

constexpr std::string_view kDocument = "document";
constexpr std::string_view kCertificate = "certificate";
constexpr std::string_view kPatentReceipt = "patent_receipt";

using RefSet = std::set<std::string, std::less<>>;

Detail Violation(std::string path, std::string message) {
  return Detail{std::move(path), std::move(message), std::string(kEvidenceBacksClaims)};
}

// The distinct non-empty refs of the evidence of one kind.
RefSet RefsOfKind(const std::vector<EvidenceInfo>& evidence, std::string_view kind) {
  RefSet refs;
  for (const EvidenceInfo& item : evidence) {
    if (item.kind == kind && !item.ref.empty()) refs.insert(item.ref);
  }
  return refs;
}

bool HasKind(const std::vector<EvidenceInfo>& evidence, std::string_view kind) {
  for (const EvidenceInfo& item : evidence) {
    if (item.kind == kind) return true;
  }
  return false;
}

// A list such as data.patents or data.studios: entries of {field: "..."}, each
// value non-empty, unique and backed by a ref in `backing`. Returns how many
// entries the list has (0 when absent).
size_t CheckNamedList(const boost::json::object* data, std::string_view list,
                      std::string_view field, const RefSet& backing, std::string_view what,
                      std::string_view needed, std::vector<Detail>& out) {
  const boost::json::value* found = data == nullptr ? nullptr : data->if_contains(list);
  if (found == nullptr) return 0;
  const std::string list_path = "data." + std::string(list);
  const boost::json::array* entries = found->if_array();
  if (entries == nullptr) {
    out.push_back(Violation(list_path, std::string(what) + "清单必须是数组"));
    return 0;
  }
  RefSet seen;
  for (size_t i = 0; i < entries->size(); ++i) {
    const std::string path = list_path + "[" + std::to_string(i) + "]." + std::string(field);
    const boost::json::object* entry = (*entries)[i].if_object();
    const boost::json::value* value = entry == nullptr ? nullptr : entry->if_contains(field);
    const boost::json::string* name = value == nullptr ? nullptr : value->if_string();
    if (name == nullptr || name->empty()) {
      out.push_back(Violation(path, "缺少" + std::string(what)));
    } else if (!seen.emplace(*name).second) {
      out.push_back(Violation(path, std::string(what) + "「" + std::string(*name) + "」重复"));
    } else if (!backing.contains(std::string_view(*name))) {
      out.push_back(Violation(path, std::string(what) + "「" + std::string(*name) + "」没有对应的" +
                                        std::string(needed)));
    }
  }
  return entries->size();
}

void CheckPatents(const ValidationInput& input, const boost::json::object* data,
                  const std::vector<EvidenceInfo>& evidence, std::vector<Detail>& out) {
  const RefSet receipts = RefsOfKind(evidence, kPatentReceipt);
  std::optional<int64_t> claimed = ReportedCount(input.data, "patent_applications");
  if (claimed && *claimed > static_cast<int64_t>(receipts.size())) {
    out.push_back(Violation("data.indicators.patent_applications",
                            "申请专利 " + std::to_string(*claimed) + " 项，需要 " +
                                std::to_string(*claimed) +
                                " 份专利申请受理回执（patent_receipt），各注明不同的申请号；现有 " +
                                std::to_string(receipts.size()) + " 份"));
  }
  CheckNamedList(data, "patents", "number", receipts, "专利申请号",
                 "受理回执（patent_receipt，ref 为该申请号）", out);
}

void CheckStudios(const ValidationInput& input, const boost::json::object* data,
                  const std::vector<EvidenceInfo>& evidence, std::vector<Detail>& out) {
  const size_t listed =
      CheckNamedList(data, "studios", "name", RefsOfKind(evidence, kCertificate), "创新工作室名称",
                     "证书（certificate，ref 为工作室名称）", out);
  std::optional<int64_t> claimed = ReportedCount(input.data, "innovation_studios");
  if (claimed && (*claimed > 0 || listed > 0) && static_cast<size_t>(*claimed) != listed) {
    out.push_back(Violation("data.indicators.innovation_studios",
                            "申报创新工作室 " + std::to_string(*claimed) +
                                " 家，需在 data.studios 中逐一列出名称；现列出 " +
                                std::to_string(listed) + " 家"));
  }
}

// Counts of named people or enterprises are backed by one name list: a
// document whose ref is the indicator's key.
void CheckNameList(const ValidationInput& input, const std::vector<EvidenceInfo>& evidence,
                   std::string_view key, std::string_view what, std::vector<Detail>& out) {
  std::optional<int64_t> claimed = ReportedCount(input.data, key);
  if (!claimed || *claimed == 0) return;
  for (const EvidenceInfo& item : evidence) {
    if (item.kind == kDocument && item.ref == key) return;
  }
  out.push_back(Violation("data.indicators." + std::string(key),
                          std::string(what) + " " + std::to_string(*claimed) +
                              "，需要上传名单（document，ref 为 " + std::string(key) + "）"));
}

}  // namespace

std::vector<Detail> EvidenceBacksClaims(const ValidationInput& input,
                                        const boost::json::object& /*params*/) {
  const std::vector<EvidenceInfo> none;
  const std::vector<EvidenceInfo>& evidence = input.evidence == nullptr ? none : *input.evidence;
  const boost::json::object* data = input.data == nullptr ? nullptr : input.data->if_object();
  std::vector<Detail> out;
  if (!HasKind(evidence, kDocument)) {
    out.push_back(Violation("evidence", "至少需要一份文档类佐证材料（document），如经验材料原件"));
  }
  CheckPatents(input, data, evidence, out);
  CheckStudios(input, data, evidence, out);
  CheckNameList(input, evidence, "skill_leaders", "选树技能带头人", out);
  CheckNameList(input, evidence, "chief_employee_pilots", "“首席员工”“金牌工人”试点企业", out);
  return out;
}

}  // namespace jingsai::engine::rules
