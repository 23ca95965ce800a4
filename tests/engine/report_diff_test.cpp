#include "engine/report_diff.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "tests/engine/campaign_fixture.h"

namespace jingsai::engine {
namespace {

EvidenceInfo File(std::string sha256, std::string kind = "document",
                  std::string ref = "narrative") {
  EvidenceInfo info;
  info.sha256 = std::move(sha256);
  info.kind = std::move(kind);
  info.ref = std::move(ref);
  info.filename = info.sha256 + ".pdf";
  info.content_type = "application/pdf";
  info.size = 2048;
  return info;
}

class ReportDiff : public ::testing::Test {
 protected:
  boost::json::object Diff(std::string_view before, std::string_view after,
                           const std::vector<EvidenceInfo>& before_evidence = {},
                           const std::vector<EvidenceInfo>& after_evidence = {}) {
    return DiffReports(&campaign_, boost::json::parse(before), before_evidence,
                       boost::json::parse(after), after_evidence);
  }

  // Asserts on the whole answer, so that nothing unexpected is reported.
  static void ExpectJson(const boost::json::object& actual, std::string_view expected) {
    EXPECT_EQ(boost::json::value(actual), boost::json::parse(expected))
        << boost::json::serialize(actual);
  }

  Campaign campaign_ = test_support::BuiltinCampaign();
};

constexpr const char* kNothingChanged = R"({
  "indicators": [],
  "competitions": {"added": [], "removed": []},
  "narrative_changed": false,
  "evidence": {"added": [], "removed": []}})";

TEST_F(ReportDiff, IdenticalReportsDifferInNothing) {
  const char* report = R"({"indicators": {"proposals_submitted": 1200, "inventions": 3},
                           "competitions": ["tech_innovation"], "narrative": "全年开展竞赛"})";
  ExpectJson(Diff(report, report, {File("aa")}, {File("aa")}), kNothingChanged);
}

TEST_F(ReportDiff, EmptyAndMalformedReportsDifferInNothing) {
  ExpectJson(Diff("{}", "{}"), kNothingChanged);
  ExpectJson(Diff("null", "[1, 2]"), kNothingChanged);
  ExpectJson(Diff(R"({"indicators": 5, "competitions": "x"})", "{}"), kNothingChanged);
}

TEST_F(ReportDiff, IndicatorsChangedAddedAndRemovedWithLabels) {
  boost::json::object diff = Diff(
      R"({"indicators": {"proposals_submitted": 1200, "patent_applications": 2, "inventions": 1,
                         "skill_leaders": 4}})",
      R"({"indicators": {"proposals_submitted": 1500, "tech_innovations": 7, "inventions": 1,
                         "skill_leaders": 4}})");
  // By key: inventions and skill_leaders are unchanged and left out.
  ExpectJson(diff, R"({
    "indicators": [
      {"key": "patent_applications", "label": "申请专利", "before": 2, "after": null},
      {"key": "proposals_submitted", "label": "职工合理化建议", "before": 1200, "after": 1500},
      {"key": "tech_innovations", "label": "职工技术革新", "before": null, "after": 7}],
    "competitions": {"added": [], "removed": []},
    "narrative_changed": false,
    "evidence": {"added": [], "removed": []}})");
}

TEST_F(ReportDiff, ValueOfAnotherTypeIsAChange) {
  boost::json::object diff =
      Diff(R"({"indicators": {"inventions": 3}})", R"({"indicators": {"inventions": "3"}})");
  ASSERT_EQ(diff.at("indicators").as_array().size(), 1u);
  EXPECT_EQ(diff.at("indicators").as_array()[0].at("after"), "3");
}

TEST_F(ReportDiff, UnknownIndicatorsAndNoCampaignFallBackToTheKey) {
  boost::json::object with_campaign =
      Diff(R"({"indicators": {"bogus": 1}})", R"({"indicators": {"bogus": 2}})");
  EXPECT_EQ(with_campaign.at("indicators").as_array()[0].at("label"), "bogus");

  boost::json::object without =
      DiffReports(nullptr, boost::json::parse(R"({"indicators": {"inventions": 1}})"), {},
                  boost::json::parse(R"({"indicators": {"inventions": 2}})"), {});
  EXPECT_EQ(without.at("indicators").as_array()[0].at("label"), "inventions");
}

TEST_F(ReportDiff, CompetitionsAddedAndRemovedInKeyOrder) {
  boost::json::object diff =
      Diff(R"({"competitions": ["team_competition", "ecology", "tech_innovation"]})",
           R"({"competitions": ["tech_innovation", "skills_improvement", "key_projects"]})");
  ExpectJson(diff.at("competitions").as_object(),
             R"({"added": ["key_projects", "skills_improvement"],
                 "removed": ["ecology", "team_competition"]})");
  EXPECT_TRUE(diff.at("indicators").as_array().empty());
}

TEST_F(ReportDiff, ReorderedOrRepeatedCompetitionsAreNoChange) {
  boost::json::object diff =
      Diff(R"({"competitions": ["ecology", "tech_innovation"]})",
           R"({"competitions": ["tech_innovation", "ecology", "ecology", 7]})");
  ExpectJson(diff.at("competitions").as_object(), R"({"added": [], "removed": []})");
}

TEST_F(ReportDiff, NarrativeChangedAddedOrRemoved) {
  auto changed = [&](std::string_view before, std::string_view after) {
    return Diff(before, after).at("narrative_changed").as_bool();
  };
  EXPECT_TRUE(changed(R"({"narrative": "开展了竞赛"})", R"({"narrative": "开展了竞赛。"})"));
  EXPECT_TRUE(changed("{}", R"({"narrative": "新增说明"})"));
  EXPECT_TRUE(changed(R"({"narrative": "原有说明"})", "{}"));
  EXPECT_TRUE(changed(R"({"narrative": ""})", R"({"narrative": null})"));
  EXPECT_FALSE(changed(R"({"narrative": "相同"})", R"({"narrative": "相同"})"));
  EXPECT_FALSE(changed("{}", R"({"indicators": {}})"));
}

TEST_F(ReportDiff, EvidenceAddedAndRemovedBySha256) {
  EvidenceInfo kept = File("1111");
  EvidenceInfo dropped = File("2222", "photo", "site");
  dropped.filename = "现场.jpg";
  dropped.content_type = "image/jpeg";
  dropped.size = 51200;
  EvidenceInfo added = File("3333", "patent_receipt", "CN201410012345.6");
  // A new upload of the same file under another name is the same evidence.
  EvidenceInfo renamed = kept;
  renamed.filename = "总结（修改）.pdf";

  boost::json::object diff = Diff("{}", "{}", {kept, dropped}, {added, renamed});

  ExpectJson(diff.at("evidence").as_object(), R"({
    "added": [{"sha256": "3333", "filename": "3333.pdf", "kind": "patent_receipt",
               "ref": "CN201410012345.6", "content_type": "application/pdf", "size": 2048}],
    "removed": [{"sha256": "2222", "filename": "现场.jpg", "kind": "photo", "ref": "site",
                 "content_type": "image/jpeg", "size": 51200}]})");
}

TEST_F(ReportDiff, SameFileForAnotherPurposeIsRemovedAndAdded) {
  boost::json::object diff =
      Diff("{}", "{}", {File("abcd", "document", "narrative")}, {File("abcd", "certificate", "")});
  ASSERT_EQ(diff.at("evidence").at("added").as_array().size(), 1u);
  ASSERT_EQ(diff.at("evidence").at("removed").as_array().size(), 1u);
  EXPECT_EQ(diff.at("evidence").at("added").as_array()[0].at("kind"), "certificate");
  EXPECT_EQ(diff.at("evidence").at("removed").as_array()[0].at("kind"), "document");
}

TEST_F(ReportDiff, DuplicatesAreCountedOneForOne) {
  boost::json::object more = Diff("{}", "{}", {File("aa")}, {File("aa"), File("aa")});
  EXPECT_EQ(more.at("evidence").at("added").as_array().size(), 1u);
  EXPECT_TRUE(more.at("evidence").at("removed").as_array().empty());

  boost::json::object fewer = Diff("{}", "{}", {File("aa"), File("aa"), File("bb")}, {File("aa")});
  EXPECT_TRUE(fewer.at("evidence").at("added").as_array().empty());
  boost::json::array removed = fewer.at("evidence").at("removed").as_array();
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[0].at("sha256"), "aa");
  EXPECT_EQ(removed[1].at("sha256"), "bb");
}

TEST_F(ReportDiff, EncodesEvidenceInfoWhole) {
  EvidenceInfo info = File("e3b0c442", "certificate", "证书编号 2014-001");
  info.filename = "证书.png";
  info.content_type = "image/png";
  info.size = 123456789012;
  ExpectJson(EncodeEvidenceInfo(info), R"({"sha256": "e3b0c442", "filename": "证书.png",
      "kind": "certificate", "ref": "证书编号 2014-001", "content_type": "image/png",
      "size": 123456789012})");
}

}  // namespace
}  // namespace jingsai::engine
