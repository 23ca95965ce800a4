// GET /submissions/{id}/changes: what the unit changed since a reviewer last
// returned the report, so the reviewer need not compare by eye.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <utility>

#include "tests/api/evidence_fixture.h"

namespace jingsai::testing::evidence {
namespace {

class ResubmissionChanges : public ReportApiTest {
 protected:
  HttpResult Changes(const std::string& user, int64_t id) {
    return Get(user, ReportPath(id) + "/changes");
  }

  // A report of jiajiang with ValidData() and one document, submitted.
  int64_t SubmittedReport() {
    int64_t id = NewReport(kJiajiang);
    document_ = Attach(kJiajiang, id, "经验材料.pdf");
    Expect200(kJiajiang.submitter, id, "submit");
    return id;
  }

  void PatchData(int64_t id, const boost::json::object& data) {
    HttpResult patched =
        server_.Patch(ReportPath(id), {{"data", data}}, Token(kJiajiang.submitter));
    EXPECT_EQ(patched.status, 200) << patched.body;
  }

  std::string document_;  // sha256 of the first document
};

std::set<std::string> Strings(const boost::json::value& array) {
  std::set<std::string> out;
  for (const boost::json::value& value : array.as_array())
    out.insert(std::string(value.as_string()));
  return out;
}

TEST_F(ResubmissionChanges, NothingToShowBeforeAnyReturn) {
  int64_t id = NewReport(kJiajiang);
  HttpResult draft = Changes(kJiajiang.submitter, id);
  ASSERT_EQ(draft.status, 200) << draft.body;
  EXPECT_FALSE(draft.json.at("returned").as_bool());

  Attach(kJiajiang, id, "经验材料.pdf");
  Expect200(kJiajiang.submitter, id, "submit");
  HttpResult submitted = Changes(kJiajiang.county_reviewer, id);
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_FALSE(submitted.json.at("returned").as_bool());
}

TEST_F(ResubmissionChanges, ShowsEveryEditSinceTheReturn) {
  int64_t id = SubmittedReport();
  Expect200(kJiajiang.county_reviewer, id, "return", "合理化建议数与台账不符，请核实");

  boost::json::object data = ValidData();
  boost::json::object& indicators = data["indicators"].as_object();
  indicators["proposals_submitted"] = 1500;  // changed from 1200
  indicators.erase("tech_innovations");      // was 35
  indicators["energy_supervisors"] = 12;     // new
  data["competitions"] = {"tech_innovation", "team_competition"};
  data["narrative"] = std::string(kNarrative) + "已按审核意见修改。";
  PatchData(id, data);
  const std::string photo = PngFile("活动现场");
  HttpResult added = Upload(kJiajiang.submitter, id, "现场照片.png", "photo", photo, "image/png");
  ASSERT_EQ(added.status, 201);
  const int64_t old_document =
      ListEvidence(kJiajiang.submitter, id).json.at("items").at(0).at("id").as_int64();
  ASSERT_EQ(server_
                .Request("DELETE", ReportPath(id) + "/evidence/" + std::to_string(old_document), "",
                         Token(kJiajiang.submitter))
                .status,
            204);
  Attach(kJiajiang, id, "经验材料（修改稿）.pdf");
  Expect200(kJiajiang.submitter, id, "submit");

  HttpResult changes = Changes(kJiajiang.county_reviewer, id);
  ASSERT_EQ(changes.status, 200) << changes.body;
  const boost::json::object& diff = changes.json.as_object();
  EXPECT_TRUE(diff.at("returned").as_bool());

  const boost::json::object& since = diff.at("since").as_object();
  EXPECT_EQ(since.at("actor").as_string(), "jiajiang-reviewer");
  EXPECT_EQ(since.at("comment").as_string(), "合理化建议数与台账不符，请核实");
  EXPECT_EQ(since.at("from").as_string(), "county_review");
  EXPECT_EQ(since.at("to").as_string(), "draft");

  std::map<std::string, std::pair<boost::json::value, boost::json::value>> values;
  for (const boost::json::value& entry : diff.at("indicators").as_array()) {
    values[std::string(entry.at("key").as_string())] = {entry.at("before"), entry.at("after")};
    EXPECT_FALSE(entry.at("label").as_string().empty());
  }
  ASSERT_EQ(values.size(), 3u) << changes.body;
  EXPECT_EQ(values["proposals_submitted"].first, 1200);
  EXPECT_EQ(values["proposals_submitted"].second, 1500);
  EXPECT_EQ(values["tech_innovations"].first, 35);
  EXPECT_TRUE(values["tech_innovations"].second.is_null());
  EXPECT_TRUE(values["energy_supervisors"].first.is_null());
  EXPECT_EQ(values["energy_supervisors"].second, 12);

  EXPECT_EQ(Strings(diff.at("competitions").at("added")),
            std::set<std::string>{"team_competition"});
  EXPECT_EQ(Strings(diff.at("competitions").at("removed")),
            std::set<std::string>{"skills_improvement"});
  EXPECT_TRUE(diff.at("narrative_changed").as_bool());

  std::set<std::string> added_files;
  for (const boost::json::value& file : diff.at("evidence").at("added").as_array()) {
    added_files.insert(std::string(file.at("filename").as_string()));
  }
  EXPECT_EQ(added_files, (std::set<std::string>{"现场照片.png", "经验材料（修改稿）.pdf"}));
  const boost::json::array& removed = diff.at("evidence").at("removed").as_array();
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].at("filename").as_string(), "经验材料.pdf");
  EXPECT_EQ(removed[0].at("sha256").as_string(), document_);
}

TEST_F(ResubmissionChanges, UntouchedReportShowsNoChanges) {
  int64_t id = SubmittedReport();
  Expect200(kJiajiang.county_reviewer, id, "return", "请再确认一遍");
  Expect200(kJiajiang.submitter, id, "submit");
  HttpResult changes = Changes(kJiajiang.county_reviewer, id);
  ASSERT_EQ(changes.status, 200) << changes.body;
  const boost::json::object& diff = changes.json.as_object();
  EXPECT_TRUE(diff.at("returned").as_bool());
  EXPECT_TRUE(diff.at("indicators").as_array().empty());
  EXPECT_TRUE(diff.at("competitions").at("added").as_array().empty());
  EXPECT_TRUE(diff.at("competitions").at("removed").as_array().empty());
  EXPECT_FALSE(diff.at("narrative_changed").as_bool());
  EXPECT_TRUE(diff.at("evidence").at("added").as_array().empty());
  EXPECT_TRUE(diff.at("evidence").at("removed").as_array().empty());
}

TEST_F(ResubmissionChanges, ComparesWithTheLatestReturn) {
  int64_t id = SubmittedReport();
  Expect200(kJiajiang.county_reviewer, id, "return", "第一次退回");
  boost::json::object data = ValidData();
  data["indicators"].as_object()["proposals_submitted"] = 1300;
  PatchData(id, data);
  Expect200(kJiajiang.submitter, id, "submit");
  Expect200(kJiajiang.county_reviewer, id, "approve");
  Expect200("city-reviewer", id, "return", "市里第二次退回", "draft");
  data["indicators"].as_object()["proposals_submitted"] = 1400;
  PatchData(id, data);

  HttpResult changes = Changes(kJiajiang.submitter, id);
  ASSERT_EQ(changes.status, 200) << changes.body;
  EXPECT_EQ(changes.json.at("since").at("actor").as_string(), "city-reviewer");
  EXPECT_EQ(changes.json.at("since").at("comment").as_string(), "市里第二次退回");
  EXPECT_EQ(changes.json.at("since").at("from").as_string(), "city_review");
  const boost::json::array& indicators = changes.json.at("indicators").as_array();
  ASSERT_EQ(indicators.size(), 1u) << changes.body;
  EXPECT_EQ(indicators[0].at("key").as_string(), "proposals_submitted");
  EXPECT_EQ(indicators[0].at("before"), 1300);
  EXPECT_EQ(indicators[0].at("after"), 1400);
}

// The path of the browser walk-through: edited after the return,
// submitted, withdrawn at the county and submitted again; the county
// reviewer then sees the changes and may approve.
TEST_F(ResubmissionChanges, WithdrawnAndResubmittedReportAwaitsTheCountyReviewer) {
  int64_t id = SubmittedReport();
  Expect200(kJiajiang.county_reviewer, id, "return", "请核实合理化建议数量");
  boost::json::object data = ValidData();
  data["indicators"].as_object()["proposals_submitted"] = 1500;
  PatchData(id, data);
  Expect200(kJiajiang.submitter, id, "submit");
  Expect200(kJiajiang.submitter, id, "withdraw");
  Expect200(kJiajiang.submitter, id, "submit");

  HttpResult item = Get(kJiajiang.county_reviewer, ReportPath(id));
  ASSERT_EQ(item.status, 200) << item.body;
  EXPECT_EQ(item.json.at("stage").as_string(), "county_review");
  std::set<std::string> actions;
  for (const boost::json::value& option : item.json.at("allowed_actions").as_array())
    actions.insert(std::string(option.at("action").as_string()));
  EXPECT_EQ(actions, (std::set<std::string>{"approve", "return"})) << item.body;
  HttpResult changes = Changes(kJiajiang.county_reviewer, id);
  ASSERT_EQ(changes.status, 200) << changes.body;
  EXPECT_EQ(changes.json.at("indicators").as_array().size(), 1u) << changes.body;
  Expect200(kJiajiang.county_reviewer, id, "approve");
  Expect200("city-reviewer", id, "approve");
  EXPECT_EQ(Get("city-reviewer", ReportPath(id)).json.at("stage").as_string(), "approved");
}

TEST_F(ResubmissionChanges, OnlyThoseWhoSeeTheReportSeeItsChanges) {
  int64_t id = SubmittedReport();
  Expect200(kJiajiang.county_reviewer, id, "return", "请补充");
  EXPECT_EQ(Changes("city-reviewer", id).status, 200);
  EXPECT_EQ(Changes("shizhong-reviewer", id).status, 404);
  EXPECT_EQ(Changes("shizhong-submitter", id).status, 404);
  EXPECT_EQ(server_.Get(ReportPath(id) + "/changes").status, 401);
}

}  // namespace
}  // namespace jingsai::testing::evidence
