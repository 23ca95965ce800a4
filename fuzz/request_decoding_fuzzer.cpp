// Fuzzes the decoding of every JSON request body: the real App on a temporary
// database (demo data, cheap password hashes), its Router driven with
// in-memory Requests, no sockets. An input is
//
//   METHOD PATTERN\n     a route, e.g. "POST /api/v1/submissions/{id}/actions"
//   USERNAME\n           whose token it carries
//   BODY                 the JSON body
//
// An unknown route or user picks one by hash, so every input reaches a
// handler. A handler must answer exactly once, never with a 500, and every
// error must be the JSON error body of the contract.
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/app.h"
#include "api/auth.h"
#include "api/router.h"

namespace {

using jingsai::api::Request;
using jingsai::api::Response;

struct Target {
  std::string method;
  std::string pattern;
};

struct State {
  std::unique_ptr<jingsai::api::App> app;
  std::vector<Target> targets;                // the routes that take a JSON body
  std::map<std::string, std::string> tokens;  // username -> bearer token
  std::vector<std::string> usernames;
};

State* state = nullptr;
std::filesystem::path* database_dir = nullptr;

// libFuzzer ends the process with exit(): the temporary database goes then.
void RemoveDatabase() {
  std::error_code ignored;
  if (database_dir != nullptr) std::filesystem::remove_all(*database_dir, ignored);
}

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "request_decoding_fuzzer: %s\n", why.c_str());
  std::abort();
}

Response Dispatch(Request request) {
  auto answered = std::make_shared<std::promise<Response>>();
  auto calls = std::make_shared<int>(0);
  std::future<Response> future = answered->get_future();
  request.client_address = "127.0.0.1";
  state->app->router().Dispatch(std::move(request), [answered, calls](Response response) {
    if (++*calls != 1) Die("a handler answered twice");
    response.RenderBody();
    answered->set_value(std::move(response));
  });
  if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    Die("a handler did not answer");
  }
  return future.get();
}

Request JsonRequest(const std::string& method, const std::string& path, std::string body,
                    const std::string& username) {
  Request request;
  request.method = method;
  request.path = path;
  request.headers["content-type"] = "application/json";
  auto token = state->tokens.find(username);
  if (token != state->tokens.end()) request.headers["authorization"] = "Bearer " + token->second;
  request.body = std::move(body);
  return request;
}

// A concrete path for a route pattern: ids name the reports made at start.
std::string Concrete(const std::string& pattern, unsigned variant) {
  static const std::map<std::string, std::vector<std::string>> values = {
      {"{id}", {"1", "2", "3", "999"}},
      {"{key}", {"report-county", "commendation", "leshan-2014"}},
      {"{username}", {"voter3", "jiajiang-submitter"}},
      {"{code}", {"jiajiang", "leshan"}},
      {"{evidence_id}", {"1", "2"}},
      {"{n}", {"1"}},
      {"{sha256}", {"00"}}};
  std::string path = pattern;
  for (const auto& [name, choices] : values) {
    for (size_t at = path.find(name); at != std::string::npos; at = path.find(name)) {
      path.replace(at, name.size(), choices[variant % choices.size()]);
    }
  }
  return path;
}

void Login(const std::string& username, const std::string& password) {
  Response answer = Dispatch(JsonRequest(
      "POST", "/api/v1/auth/login",
      boost::json::serialize(boost::json::object{{"username", username}, {"password", password}}),
      ""));
  if (answer.status != 200) Die("login of " + username + " failed: " + answer.body);
  state->tokens[username] = std::string(boost::json::parse(answer.body).at("token").as_string());
  state->usernames.push_back(username);
}

// Reports 1 (draft, with a document) and 2 (submitted) for the actions.
void SeedReports() {
  const std::string report = R"({"campaign":"leshan-2014","org":"jiajiang-ceramics",
    "title":"2014年劳动竞赛情况报告","data":{"indicators":{"proposals_submitted":120,
    "proposals_implemented":80},"competitions":["tech_innovation"],"narrative":
    "本单位开展职工技术创新活动，合理化建议数量大幅增加，取得了显著成效，全年实施八十件。"}})";
  for (int id = 1; id <= 2; ++id) {
    Response created =
        Dispatch(JsonRequest("POST", "/api/v1/submissions", report, "jiajiang-submitter"));
    if (created.status != 201) Die("seed report: " + created.body);
    Request upload = JsonRequest("POST", "/api/v1/submissions/" + std::to_string(id) + "/evidence",
                                 "%PDF-1.4\n% seed\n%%EOF\n", "jiajiang-submitter");
    upload.headers["content-type"] = "application/pdf";
    upload.query = {{"kind", "document"}, {"filename", "seed.pdf"}};
    if (Response attached = Dispatch(std::move(upload)); attached.status != 201) {
      Die("seed evidence: " + attached.body);
    }
  }
  Dispatch(JsonRequest("POST", "/api/v1/submissions/2/actions", R"({"action":"submit"})",
                       "jiajiang-submitter"));
}

void CheckAnswer(const Response& response, const std::string& route) {
  if (response.status >= 500) Die(route + " answered " + std::to_string(response.status));
  if (response.status < 400) return;
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(response.body, ec);
  const boost::json::object* error = nullptr;
  if (!ec && body.is_object()) {
    if (const boost::json::value* found = body.as_object().if_contains("error")) {
      error = found->if_object();
    }
  }
  if (error == nullptr || !error->contains("code") || !error->at("code").is_string() ||
      !error->contains("message") || !error->contains("details") ||
      !error->at("details").is_array()) {
    Die(route + " answered an error that is not the contract's JSON: " + response.body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  jingsai::api::UseMinimalPasswordCostForTests();
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("jingsai-fuzz-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  database_dir = new std::filesystem::path(dir);
  std::atexit(RemoveDatabase);
  jingsai::api::Config config;
  config.db_path = (dir / "fuzz.db").string();
  config.demo = true;
  config.admin_password = "fuzz-admin-password";
  config.synchronous = "OFF";  // nothing here needs to survive a crash
  auto app = jingsai::api::App::Open(config);
  if (!app.ok()) Die("App::Open: " + app.error().message);
  state = new State;
  state->app = std::move(app).value();
  for (const jingsai::api::RouteInfo& route : state->app->router().Routes()) {
    bool takes_json = route.method == "POST" || route.method == "PATCH";
    // Evidence uploads take files, not JSON; logging out would end the token.
    if (!takes_json || route.pattern.ends_with("/evidence") ||
        route.pattern == "/api/v1/auth/logout") {
      continue;
    }
    state->targets.push_back({route.method, route.pattern});
  }
  Login("admin", config.admin_password);
  for (const char* user : {"jiajiang-submitter", "jiajiang-reviewer", "city-reviewer", "voter1"}) {
    Login(user, "jingsai-demo");
  }
  SeedReports();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t first = input.find('\n');
  std::string_view route_line = input.substr(0, first);
  std::string_view rest = first == std::string_view::npos ? "" : input.substr(first + 1);
  size_t second = rest.find('\n');
  std::string_view user_line = rest.substr(0, second);
  std::string body(second == std::string_view::npos ? "" : rest.substr(second + 1));

  size_t hash = std::hash<std::string_view>{}(route_line);
  const Target* target = &state->targets[hash % state->targets.size()];
  for (const Target& candidate : state->targets) {
    if (route_line == candidate.method + " " + candidate.pattern) target = &candidate;
  }
  std::string username(user_line);
  if (!state->tokens.contains(username)) {
    username = state->usernames[std::hash<std::string_view>{}(user_line) % state->usernames.size()];
  }
  std::string route = target->method + " " + target->pattern;
  Response response = Dispatch(JsonRequest(
      target->method, Concrete(target->pattern, static_cast<unsigned>(hash >> 8)), body, username));
  CheckAnswer(response, route);
  return 0;
}
