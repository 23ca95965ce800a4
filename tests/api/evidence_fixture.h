// Shared ground for the API tests of evidence, validation, resubmission
// changes and campaign progress: a server with the demo data, the demo
// users' tokens, small files of each accepted type, and short ways to
// create, fill and move a report.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "tests/support/test_server.h"

namespace jingsai::testing::evidence {

inline constexpr std::string_view kCampaign = "leshan-2014";

// Small files whose first bytes make them what they claim to be; `text`
// makes each one distinct.
inline std::string PdfFile(std::string_view text) {
  return "%PDF-1.4\n" + std::string(text) + "\n%%EOF\n";
}
inline std::string PngFile(std::string_view text) {
  return std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16) + std::string(text);
}
inline std::string JpegFile(std::string_view text) {
  return std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11) + std::string(text);
}
inline std::string ElfFile() {
  return std::string(
      "\x7F"
      "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
      16);
}
inline std::string WindowsExe() { return std::string("MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF", 14); }

// Percent-encodes everything but RFC 3986's unreserved characters.
inline std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A narrative long enough for report.complete (at least 20 characters).
inline constexpr std::string_view kNarrative =
    "本单位围绕职工技术创新和素质提升开展劳动竞赛，组织技能比武，成效显著，经验材料附后。";

// Report data that every validator of the built-in flows accepts once a
// document is attached.
inline boost::json::object ValidData() {
  return {{"indicators",
           {{"proposals_submitted", 1200},
            {"proposals_implemented", 700},
            {"tech_innovations", 35},
            {"workers_participating", 250000}}},
          {"competitions", {"tech_innovation", "skills_improvement"}},
          {"narrative", kNarrative}};
}

// A unit of the demo data and the people who handle its reports.
struct Unit {
  std::string org;
  std::string submitter;
  std::string county_reviewer;  // empty for a city-direct unit
};
inline const Unit kJiajiang{"jiajiang-ceramics", "jiajiang-submitter", "jiajiang-reviewer"};
inline const Unit kShizhong{"shizhong-power", "shizhong-submitter", "shizhong-reviewer"};
inline const Unit kTransit{"city-transit", "transit-submitter", ""};

class ReportApiTest : public ::testing::Test {
 protected:
  ReportApiTest() : ReportApiTest(TestServer::Options{}) {}
  explicit ReportApiTest(TestServer::Options options) : server_(std::move(options)) {}

  // The user's token, logged in once per test.
  const std::string& Token(const std::string& username) {
    auto it = tokens_.find(username);
    if (it == tokens_.end()) it = tokens_.emplace(username, server_.LoginDemo(username)).first;
    return it->second;
  }

  HttpResult CreateReport(const Unit& unit, const boost::json::object& data,
                          const std::string& title = "2014年劳动竞赛情况报送") {
    return server_.Post(
        "/api/v1/submissions",
        {{"campaign", kCampaign}, {"org", unit.org}, {"title", title}, {"data", data}},
        Token(unit.submitter));
  }

  // Creates a report and returns its id (0, with a test failure, when refused).
  int64_t NewReport(const Unit& unit, const boost::json::object& data = ValidData()) {
    HttpResult created = CreateReport(unit, data);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.json.at("id").as_int64() : 0;
  }

  static std::string ReportPath(int64_t id) { return "/api/v1/submissions/" + std::to_string(id); }

  HttpResult Upload(const std::string& user, int64_t id, const std::string& filename,
                    const std::string& kind, const std::string& bytes,
                    const std::string& content_type, const std::string& ref = "") {
    std::string target =
        ReportPath(id) + "/evidence?filename=" + UrlEncode(filename) + "&kind=" + UrlEncode(kind);
    if (!ref.empty()) target += "&ref=" + UrlEncode(ref);
    return server_.Request("POST", target, bytes, Token(user), {{"Content-Type", content_type}});
  }

  // Attaches a PDF of `kind`; returns its sha256 ("" with a test failure when refused).
  std::string Attach(const Unit& unit, int64_t id, const std::string& filename,
                     const std::string& kind = "document", const std::string& ref = "") {
    HttpResult uploaded =
        Upload(unit.submitter, id, filename, kind, PdfFile(filename + "/" + kind + "/" + ref),
               "application/pdf", ref);
    EXPECT_EQ(uploaded.status, 201) << filename << ": " << uploaded.body;
    return uploaded.status == 201 ? std::string(uploaded.json.at("sha256").as_string()) : "";
  }

  HttpResult Act(const std::string& user, int64_t id, const std::string& action,
                 const std::string& comment = "", const std::string& to = "") {
    boost::json::object body{{"action", action}};
    if (!comment.empty()) body["comment"] = comment;
    if (!to.empty()) body["to"] = to;
    return server_.Post(ReportPath(id) + "/actions", body, Token(user));
  }

  // Acts and expects the move to succeed.
  void Expect200(const std::string& user, int64_t id, const std::string& action,
                 const std::string& comment = "", const std::string& to = "") {
    HttpResult result = Act(user, id, action, comment, to);
    EXPECT_EQ(result.status, 200) << user << " " << action << ": " << result.body;
  }

  // A report of `unit` with `data` and a document, moved all the way to approved.
  int64_t ApprovedReport(const Unit& unit, const boost::json::object& data = ValidData()) {
    int64_t id = NewReport(unit, data);
    Attach(unit, id, "经验材料.pdf");
    Expect200(unit.submitter, id, "submit");
    if (!unit.county_reviewer.empty()) Expect200(unit.county_reviewer, id, "approve");
    Expect200("city-reviewer", id, "approve");
    EXPECT_EQ(Get("city-reviewer", ReportPath(id)).json.at("stage").as_string(), "approved");
    return id;
  }

  HttpResult Get(const std::string& user, const std::string& target) {
    return server_.Get(target, Token(user));
  }

  HttpResult ListEvidence(const std::string& user, int64_t id) {
    return Get(user, ReportPath(id) + "/evidence");
  }

  TestServer server_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace jingsai::testing::evidence
