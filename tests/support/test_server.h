// TestServer: the real server, started in-process on 127.0.0.1 with a fresh
// temporary database, and a small HTTP client that talks to it over TCP.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/app.h"
#include "api/server.h"

namespace jingsai::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  boost::json::value json;  // null unless the body parsed as JSON

  std::string Header(const std::string& name) const;
  // The error code of an error body, or "".
  std::string ErrorCode() const;
};

class TestServer {
 public:
  struct Options {
    bool demo = true;
    // When set, the clock starts here and moves only by Advance().
    std::optional<engine::TimePoint> fixed_time;
    std::string admin_password = "admin-password";
    // When set, replaces the server's limit on an evidence upload's body.
    std::optional<size_t> evidence_body_limit;
    // When set, replaces how long the server waits for a whole request.
    std::optional<std::chrono::seconds> read_timeout;

    // The defaults, with the clock fixed at `at` ("2014-06-01T02:00:00Z").
    static Options OnClockAt(std::string_view at);
  };

  TestServer() : TestServer(Options{}) {}
  explicit TestServer(Options options);
  ~TestServer();

  unsigned short port() const { return port_; }
  api::App& app() { return *app_; }
  const std::string& db_path() const { return db_path_; }
  void Advance(std::chrono::milliseconds by);

  // One request on a fresh connection. `token` adds a bearer header.
  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& body = "", const std::string& token = "",
                     const std::map<std::string, std::string>& headers = {});
  HttpResult Get(const std::string& target, const std::string& token = "") {
    return Request("GET", target, "", token);
  }
  HttpResult Post(const std::string& target, const boost::json::value& body,
                  const std::string& token = "",
                  const std::map<std::string, std::string>& headers = {});
  HttpResult Patch(const std::string& target, const boost::json::value& body,
                   const std::string& token = "",
                   const std::map<std::string, std::string>& headers = {});

  // Logs in and returns the token (fails the test when login fails).
  std::string Login(const std::string& username, const std::string& password);
  std::string LoginDemo(const std::string& username) { return Login(username, "jingsai-demo"); }
  std::string LoginAdmin() { return Login("admin", options_.admin_password); }

 private:
  Options options_;
  std::string dir_;
  std::string db_path_;
  std::shared_ptr<std::chrono::milliseconds> offset_;
  std::unique_ptr<api::App> app_;
  std::unique_ptr<api::Server> server_;
  unsigned short port_ = 0;
};

}  // namespace jingsai::testing
