// FlowAdminTest: the API fixture for flow administration and stage practice.
// On top of ApiTest it reads and publishes flow definitions (changing one
// stage of a built-in flow), creates extra users, and reads inboxes, error
// details and history rows.
//
// Users it creates get the demo password, so Token(username) logs them in.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tests/api/api_fixture.h"
#include "tests/support/test_server.h"

namespace jingsai::testing {

inline constexpr const char* kNewUserPassword = "jingsai-demo";

// The paths of an error's details, in order.
inline std::vector<std::string> ErrorPaths(const HttpResult& result) {
  std::vector<std::string> paths;
  if (!result.json.is_object()) return paths;
  const boost::json::value* error = result.json.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return paths;
  const boost::json::value* details = error->as_object().if_contains("details");
  if (details == nullptr || !details->is_array()) return paths;
  for (const boost::json::value& detail : details->as_array()) paths.push_back(Str(detail, "path"));
  return paths;
}

// The ids of a list answer's items, in order.
inline std::vector<int64_t> ItemIds(const HttpResult& result) {
  std::vector<int64_t> ids;
  if (!result.json.is_object() || !result.json.as_object().contains("items")) return ids;
  for (const boost::json::value& item : result.json.at("items").as_array()) {
    ids.push_back(Int(item, "id"));
  }
  return ids;
}

// The strings of a JSON array (empty when it is not one).
inline std::vector<std::string> Strings(const boost::json::value& value) {
  std::vector<std::string> strings;
  if (!value.is_array()) return strings;
  for (const boost::json::value& entry : value.as_array()) {
    strings.push_back(entry.is_string() ? std::string(entry.as_string()) : "?");
  }
  return strings;
}

class FlowAdminTest : public ApiTest {
 protected:
  FlowAdminTest() = default;
  explicit FlowAdminTest(TestServer::Options options) : ApiTest(std::move(options)) {}

  // The latest definition of `key` as published, without its version.
  boost::json::object Definition(const std::string& key) {
    HttpResult flow = server().Get("/api/v1/flows/" + key, Token("admin"));
    EXPECT_EQ(flow.status, 200) << flow.body;
    if (flow.status != 200) return {};
    boost::json::object definition = flow.json.as_object();
    definition.erase("version");
    return definition;
  }

  // The stage `id` of a definition, to change it in place.
  static boost::json::object& StageIn(boost::json::object& definition, const std::string& id) {
    for (boost::json::value& stage : definition.at("stages").as_array()) {
      if (Str(stage, "id") == id) return stage.as_object();
    }
    ADD_FAILURE() << "no stage " << id;
    static boost::json::object none;
    return none;
  }

  // Publishes the definition as admin; returns the new version (-1 on failure).
  int64_t Publish(const boost::json::object& definition) {
    HttpResult published = server().Post("/api/v1/flows", definition, Token("admin"));
    EXPECT_EQ(published.status, 201) << published.body;
    return published.status == 201 ? Int(published.json, "version") : -1;
  }

  // Publishes report-county again with `option` set on one stage; returns
  // the new version.
  int64_t PublishCountyWith(const std::string& stage, const std::string& option,
                            const boost::json::value& value) {
    boost::json::object definition = Definition("report-county");
    StageIn(definition, stage)[option] = value;
    return Publish(definition);
  }

  // Creates a user with the demo password and these [role, org] bindings.
  HttpResult CreateUserResult(const std::string& username,
                              const std::vector<std::pair<std::string, std::string>>& roles) {
    boost::json::array bindings;
    for (const auto& [role, org] : roles) bindings.push_back({{"role", role}, {"org", org}});
    return server().Post("/api/v1/users",
                         {{"username", username},
                          {"password", kNewUserPassword},
                          {"display_name", username},
                          {"roles", std::move(bindings)}},
                         Token("admin"));
  }

  void CreateUser(const std::string& username,
                  const std::vector<std::pair<std::string, std::string>>& roles) {
    HttpResult created = CreateUserResult(username, roles);
    EXPECT_EQ(created.status, 201) << created.body;
  }

  // A reviewer at the county `jiajiang`, besides the demo jiajiang-reviewer.
  void CreateJiajiangReviewer(const std::string& username) {
    CreateUser(username, {{"reviewer", "jiajiang"}});
  }

  // PATCH /api/v1/users/{username} as `token`.
  HttpResult PatchUser(const std::string& username, const boost::json::value& change,
                       const std::string& token) {
    return server().Patch("/api/v1/users/" + username, change, token);
  }

  // POST /api/v1/submissions/{id}/handover as `token`.
  HttpResult HandOver(const std::string& token, int64_t id, const std::string& to,
                      const std::string& comment = "") {
    boost::json::object body{{"to", to}};
    if (!comment.empty()) body["comment"] = comment;
    return server().Post(SubmissionPath(id, "/handover"), body, token);
  }

  // The ids in the inbox of `token`, with an optional query such as "?overdue=true".
  std::vector<int64_t> Tasks(const std::string& token, const std::string& query = "") {
    HttpResult tasks = server().Get("/api/v1/tasks" + query, token);
    EXPECT_EQ(tasks.status, 200) << tasks.body;
    return ItemIds(tasks);
  }

  // The item as `token` sees it (fails the test unless 200).
  boost::json::value Item(const std::string& token, int64_t id) {
    HttpResult item = GetReport(token, id);
    EXPECT_EQ(item.status, 200) << item.body;
    return item.json;
  }

  // The last history row of the item, as admin sees it.
  boost::json::value LastHistoryRow(int64_t id) {
    boost::json::array rows = History(Token("admin"), id);
    if (rows.empty()) {
      ADD_FAILURE() << "no history for " << id;
      return {};
    }
    return rows.back();
  }

  // The actions the viewer may take on the item, by name.
  static std::vector<std::string> AllowedActionNames(const boost::json::value& item) {
    std::vector<std::string> names;
    for (const boost::json::value& action : item.at("allowed_actions").as_array()) {
      names.push_back(Str(action, "action"));
    }
    return names;
  }
};

}  // namespace jingsai::testing
