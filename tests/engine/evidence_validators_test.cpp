// evidence.backs_claims: documents, patent receipts, studio certificates and
// name lists, each violation pointing at the claim it fails to back.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine/validators.h"
#include "tests/engine/campaign_fixture.h"

namespace jingsai::engine {
namespace {

using test_support::Evidence;
using test_support::PathsOf;
using test_support::RulesOf;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class EvidenceBacksClaims : public test_support::ValidatorTest {
 protected:
  std::vector<Detail> Check(std::string_view data) { return Run("evidence.backs_claims", data); }
};

TEST_F(EvidenceBacksClaims, AcceptsAReportWithADocument) {
  EXPECT_THAT(Check(R"({"indicators": {"proposals_submitted": 10}})"), IsEmpty());
}

TEST_F(EvidenceBacksClaims, EveryReportNeedsADocument) {
  evidence_ = {Evidence("photo"), Evidence("certificate", "某工作室")};
  std::vector<Detail> violations = Check(R"({"indicators": {"proposals_submitted": 10}})");
  ASSERT_THAT(PathsOf(violations), ElementsAre("evidence"));
  EXPECT_EQ(violations[0].rule, "evidence.backs_claims");
}

TEST_F(EvidenceBacksClaims, MissingEvidenceListMeansNoDocument) {
  data_ = boost::json::parse(R"({"indicators": {}})");
  ValidationInput input{&campaign_, &data_, nullptr, now_};
  EXPECT_THAT(PathsOf(RunValidators({ValidatorRef{"evidence.backs_claims", {}}}, input)),
              ElementsAre("evidence"));
}

TEST_F(EvidenceBacksClaims, EachPatentApplicationNeedsItsOwnReceipt) {
  evidence_.push_back(Evidence("patent_receipt", "CN201410000001.1"));
  evidence_.push_back(Evidence("patent_receipt", "CN201410000002.X"));
  EXPECT_THAT(Check(R"({"indicators": {"patent_applications": 2}})"), IsEmpty());
  std::vector<Detail> violations = Check(R"({"indicators": {"patent_applications": 3}})");
  ASSERT_THAT(PathsOf(violations), ElementsAre("data.indicators.patent_applications"));
  EXPECT_THAT(violations[0].message, HasSubstr("3"));
}

TEST_F(EvidenceBacksClaims, ReceiptsWithTheSameOrNoNumberCountOnce) {
  evidence_.push_back(Evidence("patent_receipt", "CN201410000001.1"));
  evidence_.push_back(Evidence("patent_receipt", "CN201410000001.1"));
  evidence_.push_back(Evidence("patent_receipt", ""));
  evidence_.push_back(Evidence("document", "CN201410000003.5"));
  EXPECT_THAT(PathsOf(Check(R"({"indicators": {"patent_applications": 2}})")),
              ElementsAre("data.indicators.patent_applications"));
  EXPECT_THAT(Check(R"({"indicators": {"patent_applications": 1}})"), IsEmpty());
}

TEST_F(EvidenceBacksClaims, ListedPatentNumbersNeedMatchingReceipts) {
  evidence_.push_back(Evidence("patent_receipt", "CN201410000001.1"));
  evidence_.push_back(Evidence("patent_receipt", "CN201410000002.X"));
  std::vector<Detail> violations = Check(R"({"indicators": {"patent_applications": 2},
      "patents": [{"number": "CN201410000001.1"}, {"number": "CN201499999999.9"},
                  {"number": ""}, {"number": "CN201410000001.1"}, "CN201410000002.X"]})");
  EXPECT_THAT(PathsOf(violations), ElementsAre("data.patents[1].number", "data.patents[2].number",
                                               "data.patents[3].number", "data.patents[4].number"));
  EXPECT_THAT(violations[0].message, HasSubstr("CN201499999999.9"));
  EXPECT_THAT(PathsOf(Check(R"({"patents": {"number": "CN201410000001.1"}})")),
              ElementsAre("data.patents"));
}

TEST_F(EvidenceBacksClaims, EachInnovationStudioIsNamedAndCertified) {
  evidence_.push_back(Evidence("certificate", "张明劳模创新工作室"));
  evidence_.push_back(Evidence("certificate", "李华技能大师工作室"));
  EXPECT_THAT(Check(R"({"indicators": {"innovation_studios": 2},
                       "studios": [{"name": "张明劳模创新工作室"}, {"name": "李华技能大师工作室"}]})"),
              IsEmpty());
  std::vector<Detail> violations = Check(R"({"indicators": {"innovation_studios": 3},
      "studios": [{"name": "张明劳模创新工作室"}, {"name": "王强创新工作室"}, {"name": " "}]})");
  EXPECT_THAT(PathsOf(violations), ElementsAre("data.studios[1].name", "data.studios[2].name"));
  EXPECT_THAT(violations[0].message, HasSubstr("王强创新工作室"));
}

TEST_F(EvidenceBacksClaims, StudioCertificateMustBeACertificate) {
  evidence_.push_back(Evidence("photo", "张明劳模创新工作室"));
  EXPECT_THAT(PathsOf(Check(R"({"indicators": {"innovation_studios": 1},
                               "studios": [{"name": "张明劳模创新工作室"}]})")),
              ElementsAre("data.studios[0].name"));
}

TEST_F(EvidenceBacksClaims, StudioCountMustMatchTheList) {
  evidence_.push_back(Evidence("certificate", "张明劳模创新工作室"));
  EXPECT_THAT(PathsOf(Check(R"({"indicators": {"innovation_studios": 2},
                               "studios": [{"name": "张明劳模创新工作室"}]})")),
              ElementsAre("data.indicators.innovation_studios"));
  EXPECT_THAT(PathsOf(Check(R"({"indicators": {"innovation_studios": 1}})")),
              ElementsAre("data.indicators.innovation_studios"));
  EXPECT_THAT(PathsOf(Check(R"({"indicators": {"innovation_studios": 0},
                               "studios": [{"name": "张明劳模创新工作室"}]})")),
              ElementsAre("data.indicators.innovation_studios"));
  EXPECT_THAT(Check(R"({"indicators": {"innovation_studios": 0}})"), IsEmpty());
}

TEST_F(EvidenceBacksClaims, SkillLeadersAndPilotsNeedANameList) {
  std::vector<Detail> violations =
      Check(R"({"indicators": {"skill_leaders": 12, "chief_employee_pilots": 3}})");
  EXPECT_THAT(PathsOf(violations), ElementsAre("data.indicators.skill_leaders",
                                               "data.indicators.chief_employee_pilots"));
  evidence_.push_back(Evidence("document", "skill_leaders"));
  evidence_.push_back(Evidence("photo", "chief_employee_pilots"));
  EXPECT_THAT(
      PathsOf(Check(R"({"indicators": {"skill_leaders": 12, "chief_employee_pilots": 3}})")),
      ElementsAre("data.indicators.chief_employee_pilots"));
  evidence_.push_back(Evidence("document", "chief_employee_pilots"));
  EXPECT_THAT(Check(R"({"indicators": {"skill_leaders": 12, "chief_employee_pilots": 3}})"),
              IsEmpty());
  EXPECT_THAT(Check(R"({"indicators": {"skill_leaders": 0}})"), IsEmpty());
}

TEST_F(EvidenceBacksClaims, ReportsEveryUnbackedClaimAtOnce) {
  evidence_ = {Evidence("photo")};
  std::vector<Detail> violations = Check(R"({"indicators": {"patent_applications": 1,
      "innovation_studios": 1, "skill_leaders": 2}, "studios": [{"name": "无证工作室"}]})");
  EXPECT_THAT(PathsOf(violations),
              UnorderedElementsAre("evidence", "data.indicators.patent_applications",
                                   "data.studios[0].name", "data.indicators.skill_leaders"));
  EXPECT_THAT(RulesOf(violations), Each(std::string("evidence.backs_claims")));
}

}  // namespace
}  // namespace jingsai::engine
