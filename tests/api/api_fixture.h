// ApiTest: a fixture for HTTP API tests over the demo data. It starts the real
// server (TestServer) with the demo units and users, and offers the steps
// most tests need: log in, create a report that passes the flow's validators,
// attach its document, and act on it.
//
// Demo organizations: `jiajiang-ceramics` (under the county `jiajiang`),
// `shizhong-power` (under `shizhong`), `city-transit` (city-direct).
// Demo users (password kDemoPassword): jiajiang-submitter, jiajiang-reviewer,
// shizhong-submitter, shizhong-reviewer, transit-submitter, city-reviewer,
// voter1..voter3.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "tests/support/test_server.h"

namespace jingsai::testing {

inline constexpr const char* kCampaign = "leshan-2014";

// Report data that passes report.complete, report.consistent and (with one
// document attached) evidence.backs_claims for the 2014 campaign.
inline boost::json::object ValidReportData() {
  return {{"indicators", {{"proposals_submitted", 1200}, {"proposals_implemented", 800}}},
          {"competitions", {"tech_innovation", "team_competition"}},
          {"narrative",
           "本单位围绕重点工程开展职工技术创新和班组竞赛活动，全年收集合理化建议一千二百件，"
           "已实施八百件，取得了良好的经济效益和社会效益。"}};
}

// A flow definition shipped in workflows/examples/ of the source tree.
inline boost::json::value ExampleFlow(const std::string& file_name) {
  std::ifstream file(std::filesystem::path(JINGSAI_SOURCE_DIR) / "workflows" / "examples" /
                     file_name);
  std::stringstream text;
  text << file.rdbuf();
  return boost::json::parse(text.str());
}

// The bytes of a small PDF file (enough for the type sniffer).
inline std::string PdfBytes(const std::string& text = "report") {
  return "%PDF-1.4\n% " + text + "\n%%EOF\n";
}

// The submission path of `id`, e.g. "/api/v1/submissions/7", plus `suffix`.
inline std::string SubmissionPath(int64_t id, const std::string& suffix = "") {
  return "/api/v1/submissions/" + std::to_string(id) + suffix;
}

// The JSON string at `key` of an object, or "" when absent or not a string.
inline std::string Str(const boost::json::value& value, const char* key) {
  if (!value.is_object()) return "";
  const boost::json::value* found = value.as_object().if_contains(key);
  return found != nullptr && found->is_string() ? std::string(found->as_string()) : "";
}

// The integer at `key` of an object, or -1 when absent or not an integer.
inline int64_t Int(const boost::json::value& value, const char* key) {
  if (!value.is_object()) return -1;
  const boost::json::value* found = value.as_object().if_contains(key);
  return found != nullptr && found->is_int64() ? found->as_int64() : -1;
}

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() : ApiTest(TestServer::Options{}) {}
  // For fixtures that start the server differently (e.g. with a fixed clock).
  explicit ApiTest(TestServer::Options options) : server_(std::move(options)) {}

  TestServer& server() { return server_; }

  // A token for the demo user (or "admin"), logging in once per test.
  const std::string& Token(const std::string& username) {
    auto found = tokens_.find(username);
    if (found != tokens_.end()) return found->second;
    std::string token = username == "admin" ? server_.LoginAdmin() : server_.LoginDemo(username);
    return tokens_.emplace(username, std::move(token)).first->second;
  }

  // POST /api/v1/submissions; returns the raw answer.
  HttpResult CreateReportResult(const std::string& token, const std::string& org,
                                const std::string& title = "2014年劳动竞赛情况报告",
                                const boost::json::value& data = ValidReportData()) {
    return server_.Post("/api/v1/submissions",
                        {{"campaign", kCampaign}, {"org", org}, {"title", title}, {"data", data}},
                        token);
  }

  // Creates a valid report of `org` and returns its id (fails the test
  // otherwise and returns -1).
  int64_t CreateReport(const std::string& token, const std::string& org,
                       const std::string& title = "2014年劳动竞赛情况报告",
                       const boost::json::value& data = ValidReportData()) {
    HttpResult created = CreateReportResult(token, org, title, data);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? Int(created.json, "id") : -1;
  }

  // Uploads evidence bytes; returns the raw answer.
  HttpResult UploadEvidence(const std::string& token, int64_t id, const std::string& kind,
                            const std::string& filename, const std::string& bytes,
                            const std::string& content_type, const std::string& ref = "") {
    std::string target = SubmissionPath(id, "/evidence?kind=" + kind + "&filename=" + filename);
    if (!ref.empty()) target += "&ref=" + ref;
    return server_.Request("POST", target, bytes, token, {{"Content-Type", content_type}});
  }

  // Attaches one PDF document to the report (fails the test otherwise).
  HttpResult AttachDocument(const std::string& token, int64_t id,
                            const std::string& filename = "report.pdf",
                            const std::string& text = "report") {
    HttpResult uploaded =
        UploadEvidence(token, id, "document", filename, PdfBytes(text), "application/pdf");
    EXPECT_EQ(uploaded.status, 201) << uploaded.body;
    return uploaded;
  }

  // POST /api/v1/submissions/{id}/actions; empty comment/to are left out.
  HttpResult Act(const std::string& token, int64_t id, const std::string& action,
                 const std::string& comment = "", const std::string& to = "",
                 const std::map<std::string, std::string>& headers = {}) {
    boost::json::object body{{"action", action}};
    if (!comment.empty()) body["comment"] = comment;
    if (!to.empty()) body["to"] = to;
    return server_.Post(SubmissionPath(id, "/actions"), body, token, headers);
  }

  // Acts and expects 200; returns the item after the move.
  boost::json::value ActOk(const std::string& token, int64_t id, const std::string& action,
                           const std::string& comment = "", const std::string& to = "") {
    HttpResult result = Act(token, id, action, comment, to);
    EXPECT_EQ(result.status, 200) << action << " on " << id << ": " << result.body;
    return result.json;
  }

  // A valid report of `org` with its document, created and submitted by
  // `submitter`; returns its id.
  int64_t SubmittedReport(const std::string& submitter, const std::string& org,
                          const std::string& title = "2014年劳动竞赛情况报告") {
    const std::string& token = Token(submitter);
    int64_t id = CreateReport(token, org, title);
    AttachDocument(token, id);
    ActOk(token, id, "submit");
    return id;
  }

  // A report of jiajiang-ceramics approved at county and city; returns its id.
  int64_t ApprovedCountyReport(const std::string& title = "2014年劳动竞赛情况报告") {
    int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", title);
    ActOk(Token("jiajiang-reviewer"), id, "approve");
    ActOk(Token("city-reviewer"), id, "approve");
    return id;
  }

  // GET /api/v1/submissions/{id} as `token`.
  HttpResult GetReport(const std::string& token, int64_t id) {
    return server_.Get(SubmissionPath(id), token);
  }

  // The history rows of the item, as seen by `token`: every page of them.
  boost::json::array History(const std::string& token, int64_t id) {
    boost::json::array rows;
    std::string target = SubmissionPath(id, "/history");
    for (;;) {
      HttpResult result = server_.Get(target, token);
      EXPECT_EQ(result.status, 200) << result.body;
      if (result.status != 200) return {};
      for (const boost::json::value& row : result.json.at("items").as_array()) rows.push_back(row);
      const boost::json::value& next = result.json.at("next_cursor");
      if (next.is_null()) return rows;
      target = SubmissionPath(id, "/history?cursor=") + std::string(next.as_string());
    }
  }

 private:
  TestServer server_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace jingsai::testing
