// The built-in flows' validators on submit and approve: a refused move is a
// 422 listing every violation (path, rule, message), and the report stays
// exactly where it was.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <utility>

#include "tests/api/evidence_fixture.h"

namespace jingsai::testing::evidence {
namespace {

using Violation = std::pair<std::string, std::string>;  // path, rule

class ReportValidation : public ReportApiTest {
 protected:
  // The violations of a 422 validation_failed answer (empty, with a test
  // failure, for any other answer). Every violation must carry a message.
  static std::multiset<Violation> Violations(const HttpResult& result) {
    std::multiset<Violation> found;
    EXPECT_EQ(result.status, 422) << result.body;
    EXPECT_EQ(result.ErrorCode(), "validation_failed");
    if (result.ErrorCode() != "validation_failed") return found;
    for (const boost::json::value& detail : result.json.at("error").at("details").as_array()) {
      const boost::json::object& entry = detail.as_object();
      EXPECT_FALSE(entry.at("message").as_string().empty()) << detail;
      const boost::json::value* rule = entry.if_contains("rule");
      found.emplace(std::string(entry.at("path").as_string()),
                    rule != nullptr ? std::string(rule->as_string()) : "");
    }
    return found;
  }

  // Submits `id`, expects a refusal, and checks that nothing moved.
  std::multiset<Violation> RefusedSubmit(const Unit& unit, int64_t id) {
    HttpResult before = Get(unit.submitter, ReportPath(id));
    size_t steps = HistorySize(unit.submitter, id);
    std::multiset<Violation> violations = Violations(Act(unit.submitter, id, "submit"));
    HttpResult after = Get(unit.submitter, ReportPath(id));
    for (const char* field : {"stage", "status", "version", "submitted_at"}) {
      EXPECT_EQ(after.json.at(field), before.json.at(field)) << field;
    }
    EXPECT_EQ(HistorySize(unit.submitter, id), steps);
    return violations;
  }

  size_t HistorySize(const std::string& user, int64_t id) {
    return Get(user, ReportPath(id) + "/history").json.at("items").as_array().size();
  }

  // A new report of `unit` with `data` and one document attached.
  int64_t DocumentedReport(const Unit& unit, const boost::json::object& data) {
    int64_t id = NewReport(unit, data);
    Attach(unit, id, "经验材料.pdf");
    return id;
  }
};

const std::string kComplete = "report.complete";
const std::string kConsistent = "report.consistent";
const std::string kEvidence = "evidence.backs_claims";

TEST_F(ReportValidation, ValidReportIsApprovedAtEveryLevel) {
  int64_t id = DocumentedReport(kJiajiang, ValidData());
  HttpResult submitted = Act(kJiajiang.submitter, id, "submit");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(submitted.json.at("stage").as_string(), "county_review");
  HttpResult county = Act(kJiajiang.county_reviewer, id, "approve");
  ASSERT_EQ(county.status, 200) << county.body;
  EXPECT_EQ(county.json.at("stage").as_string(), "city_review");
  HttpResult city = Act("city-reviewer", id, "approve");
  ASSERT_EQ(city.status, 200) << city.body;
  EXPECT_EQ(city.json.at("stage").as_string(), "approved");
  EXPECT_EQ(city.json.at("status").as_string(), "approved");
}

TEST_F(ReportValidation, IncompleteReportListsEveryProblem) {
  boost::json::object data{{"indicators",
                            {{"bogus_indicator", 5},
                             {"tech_innovations", -3},
                             {"inventions", 2.5},
                             {"advanced_methods", "12"},
                             {"proposals_submitted", 1200}}},
                           {"competitions", {"tech_innovation", "space_race"}},
                           {"narrative", "做得很好"}};
  int64_t id = DocumentedReport(kJiajiang, data);
  EXPECT_EQ(RefusedSubmit(kJiajiang, id), (std::multiset<Violation>{
                                              {"data.indicators.bogus_indicator", kComplete},
                                              {"data.indicators.tech_innovations", kComplete},
                                              {"data.indicators.inventions", kComplete},
                                              {"data.indicators.advanced_methods", kComplete},
                                              {"data.competitions[1]", kComplete},
                                              {"data.narrative", kComplete},
                                          }));
}

TEST_F(ReportValidation, NarrativeIsRequired) {
  boost::json::object data = ValidData();
  data.erase("narrative");
  int64_t id = DocumentedReport(kJiajiang, data);
  EXPECT_EQ(RefusedSubmit(kJiajiang, id),
            (std::multiset<Violation>{{"data.narrative", kComplete}}));

  // Nineteen characters are one short of the default minimum of twenty;
  // twenty will do.
  data["narrative"] = "今年开展劳动竞赛组织职工参加技能比武。";
  ASSERT_EQ(server_.Patch(ReportPath(id), {{"data", data}}, Token(kJiajiang.submitter)).status,
            200);
  EXPECT_EQ(RefusedSubmit(kJiajiang, id),
            (std::multiset<Violation>{{"data.narrative", kComplete}}));

  data["narrative"] = "今年开展劳动竞赛，组织职工参加技能比武。";
  ASSERT_EQ(server_.Patch(ReportPath(id), {{"data", data}}, Token(kJiajiang.submitter)).status,
            200);
  EXPECT_EQ(Act(kJiajiang.submitter, id, "submit").status, 200);
}

TEST_F(ReportValidation, InconsistentCountsAndTypedRatesAreRefused) {
  boost::json::object data = ValidData();
  boost::json::object& indicators = data["indicators"].as_object();
  indicators["proposals_submitted"] = 800;
  indicators["proposals_implemented"] = 900;
  indicators["proposal_implementation_rate"] = 0.6;  // typed in by hand
  indicators["units_competing"] = 10;                // a rate's part without its whole
  int64_t id = DocumentedReport(kJiajiang, data);
  std::multiset<Violation> violations = RefusedSubmit(kJiajiang, id);
  EXPECT_EQ(violations, (std::multiset<Violation>{
                            {"data.indicators.proposals_implemented", kConsistent},
                            {"data.indicators.proposal_implementation_rate", kComplete},
                            {"data.indicators.units_competing", kConsistent},
                        }));
}

TEST_F(ReportValidation, ReportNeedsADocument) {
  int64_t id = NewReport(kJiajiang);
  EXPECT_EQ(RefusedSubmit(kJiajiang, id), (std::multiset<Violation>{{"evidence", kEvidence}}));
  // A photo is not a document.
  ASSERT_EQ(
      Upload(kJiajiang.submitter, id, "现场.jpg", "photo", JpegFile("现场"), "image/jpeg").status,
      201);
  EXPECT_EQ(RefusedSubmit(kJiajiang, id), (std::multiset<Violation>{{"evidence", kEvidence}}));
  Attach(kJiajiang, id, "经验材料.pdf");
  EXPECT_EQ(Act(kJiajiang.submitter, id, "submit").status, 200);
}

TEST_F(ReportValidation, EachPatentApplicationNeedsItsReceipt) {
  boost::json::object data = ValidData();
  data["indicators"].as_object()["patent_applications"] = 2;
  data["patents"] = {{{"number", "CN201410001234.5"}}, {{"number", "CN201410005678.9"}}};
  int64_t id = DocumentedReport(kJiajiang, data);
  Attach(kJiajiang, id, "回执1.pdf", "patent_receipt", "CN201410001234.5");
  // A receipt that names no application number backs nothing.
  Attach(kJiajiang, id, "回执2.pdf", "patent_receipt");
  EXPECT_EQ(RefusedSubmit(kJiajiang, id), (std::multiset<Violation>{
                                              {"data.indicators.patent_applications", kEvidence},
                                              {"data.patents[1].number", kEvidence},
                                          }));
  Attach(kJiajiang, id, "回执3.pdf", "patent_receipt", "CN201410005678.9");
  HttpResult submitted = Act(kJiajiang.submitter, id, "submit");
  EXPECT_EQ(submitted.status, 200) << submitted.body;
}

TEST_F(ReportValidation, InnovationStudioNeedsACertificateNamingIt) {
  const std::string studio = "张明劳模创新工作室";
  boost::json::object data = ValidData();
  data["indicators"].as_object()["innovation_studios"] = 1;
  data["studios"] = {{{"name", studio}}};
  int64_t id = DocumentedReport(kJiajiang, data);
  Attach(kJiajiang, id, "证书.pdf", "certificate", "李华技能大师工作室");
  EXPECT_EQ(RefusedSubmit(kJiajiang, id),
            (std::multiset<Violation>{{"data.studios[0].name", kEvidence}}));

  // Claiming two studios but naming one is refused as well.
  data["indicators"].as_object()["innovation_studios"] = 2;
  ASSERT_EQ(server_.Patch(ReportPath(id), {{"data", data}}, Token(kJiajiang.submitter)).status,
            200);
  EXPECT_EQ(RefusedSubmit(kJiajiang, id),
            (std::multiset<Violation>{{"data.studios[0].name", kEvidence},
                                      {"data.indicators.innovation_studios", kEvidence}}));

  data["indicators"].as_object()["innovation_studios"] = 1;
  ASSERT_EQ(server_.Patch(ReportPath(id), {{"data", data}}, Token(kJiajiang.submitter)).status,
            200);
  Attach(kJiajiang, id, "工作室证书.pdf", "certificate", studio);
  HttpResult submitted = Act(kJiajiang.submitter, id, "submit");
  EXPECT_EQ(submitted.status, 200) << submitted.body;
}

TEST_F(ReportValidation, NamedPeopleAndPilotsNeedTheirLists) {
  boost::json::object data = ValidData();
  data["indicators"].as_object()["skill_leaders"] = 12;
  data["indicators"].as_object()["chief_employee_pilots"] = 3;
  int64_t id = DocumentedReport(kJiajiang, data);
  EXPECT_EQ(RefusedSubmit(kJiajiang, id),
            (std::multiset<Violation>{{"data.indicators.skill_leaders", kEvidence},
                                      {"data.indicators.chief_employee_pilots", kEvidence}}));
  Attach(kJiajiang, id, "技能带头人名单.pdf", "document", "skill_leaders");
  EXPECT_EQ(RefusedSubmit(kJiajiang, id),
            (std::multiset<Violation>{{"data.indicators.chief_employee_pilots", kEvidence}}));
  Attach(kJiajiang, id, "试点企业名单.pdf", "document", "chief_employee_pilots");
  EXPECT_EQ(Act(kJiajiang.submitter, id, "submit").status, 200);
}

TEST_F(ReportValidation, ViolationsOfAllRulesComeInOneAnswer) {
  boost::json::object data{{"indicators",
                            {{"proposals_submitted", 10},
                             {"proposals_implemented", 20},
                             {"tech_innovations", 1.5},
                             {"skill_leaders", 4}}},
                           {"competitions", {"tech_innovation"}},
                           {"narrative", "短"}};
  int64_t id = NewReport(kTransit, data);
  EXPECT_EQ(RefusedSubmit(kTransit, id), (std::multiset<Violation>{
                                             {"data.indicators.tech_innovations", kComplete},
                                             {"data.narrative", kComplete},
                                             {"data.indicators.proposals_implemented", kConsistent},
                                             {"evidence", kEvidence},
                                             {"data.indicators.skill_leaders", kEvidence},
                                         }));
}

// A flow whose submit checks nothing but whose approvals do: what reaches a
// reviewer is checked again before it moves on.
boost::json::object LenientFlow() {
  const boost::json::array validators{"report.complete", "report.consistent",
                                      "evidence.backs_claims"};
  return {{"key", "report-lenient"},
          {"title", "宽松报送"},
          {"subject", "report"},
          {"start", "draft"},
          {"stages",
           {{{"id", "draft"},
             {"kind", "edit"},
             {"title", "填报"},
             {"actor", {{"role", "submitter"}, {"scope", "self"}}},
             {"actions", {{"submit", {{"to", "county_review"}}}}}},
            {{"id", "county_review"},
             {"kind", "review"},
             {"title", "县级审核"},
             {"actor", {{"role", "reviewer"}, {"scope", "county"}}},
             {"actions",
              {{"approve", {{"to", "approved"}, {"validators", validators}}},
               {"return", {{"to", {"draft"}}}}}}},
            {{"id", "approved"}, {"kind", "end"}, {"title", "已通过"}, {"outcome", "approved"}}}}};
}

TEST_F(ReportValidation, ApproveRunsTheValidatorsAgain) {
  HttpResult published = server_.Post("/api/v1/flows", LenientFlow(), server_.LoginAdmin());
  ASSERT_EQ(published.status, 201) << published.body;
  boost::json::object data = ValidData();
  data["narrative"] = "太短";
  HttpResult created = server_.Post("/api/v1/submissions",
                                    {{"campaign", kCampaign},
                                     {"org", kJiajiang.org},
                                     {"title", "宽松流程报送"},
                                     {"flow", "report-lenient"},
                                     {"data", data}},
                                    Token(kJiajiang.submitter));
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = created.json.at("id").as_int64();
  Attach(kJiajiang, id, "经验材料.pdf");
  Expect200(kJiajiang.submitter, id, "submit");

  const int64_t version = Get(kJiajiang.submitter, ReportPath(id)).json.at("version").as_int64();
  EXPECT_EQ(Violations(Act(kJiajiang.county_reviewer, id, "approve")),
            (std::multiset<Violation>{{"data.narrative", kComplete}}));
  HttpResult after = Get(kJiajiang.county_reviewer, ReportPath(id));
  EXPECT_EQ(after.json.at("stage").as_string(), "county_review");
  EXPECT_EQ(after.json.at("version").as_int64(), version);

  Expect200(kJiajiang.county_reviewer, id, "return", "经验材料过短，请补充");
  data["narrative"] = kNarrative;
  ASSERT_EQ(server_.Patch(ReportPath(id), {{"data", data}}, Token(kJiajiang.submitter)).status,
            200);
  Expect200(kJiajiang.submitter, id, "submit");
  HttpResult approved = Act(kJiajiang.county_reviewer, id, "approve");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json.at("stage").as_string(), "approved");
}

}  // namespace
}  // namespace jingsai::testing::evidence
