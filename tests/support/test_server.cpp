#include "tests/support/test_server.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <random>

#include "api/auth.h"
#include "engine/time_format.h"

namespace jingsai::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

std::string HttpResult::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpResult::ErrorCode() const {
  if (!json.is_object()) return "";
  const boost::json::value* error = json.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return "";
  const boost::json::value* code = error->as_object().if_contains("code");
  return code != nullptr && code->is_string() ? std::string(code->as_string()) : "";
}

TestServer::Options TestServer::Options::OnClockAt(std::string_view at) {
  Options options;
  options.fixed_time = engine::ParseTime(at);
  EXPECT_TRUE(options.fixed_time.has_value()) << "not a time: " << at;
  return options;
}

TestServer::TestServer(Options options)
    : options_(std::move(options)), offset_(std::make_shared<std::chrono::milliseconds>(0)) {
  if (!spdlog::get("api")) spdlog::create<spdlog::sinks::null_sink_mt>("api");
  spdlog::set_level(spdlog::level::warn);
  api::UseMinimalPasswordCostForTests();
  // Every copy of an item the writer hands a step is compared with its row:
  // the destructor fails the test on any difference.
  storage::KeptItems::CheckEveryHit(true);
  std::random_device random;
  dir_ = (std::filesystem::temp_directory_path() /
          ("jingsai-test-" + std::to_string(random()) + std::to_string(random())))
             .string();
  std::filesystem::create_directories(dir_);
  db_path_ = dir_ + "/test.db";

  api::Config config;
  config.db_path = db_path_;
  config.demo = options_.demo;
  config.admin_password = options_.admin_password;
  if (options_.evidence_body_limit) config.evidence_body_limit = *options_.evidence_body_limit;
  if (options_.read_timeout) config.read_timeout = *options_.read_timeout;
  if (options_.fixed_time) {
    engine::TimePoint start = *options_.fixed_time;
    auto offset = offset_;
    config.clock = [start, offset] { return start + *offset; };
  }
  engine::Result<std::unique_ptr<api::App>> app = api::App::Open(config);
  if (!app.ok()) throw std::runtime_error("server failed to open: " + app.error().message);
  app_ = std::move(app).value();
  server_ = std::make_unique<api::Server>(*app_);
  engine::Result<unsigned short> port = server_->Start("127.0.0.1", 0);
  if (!port.ok()) throw std::runtime_error(port.error().message);
  port_ = port.value();
  server_->RunInBackground(2);
}

TestServer::~TestServer() {
  server_->Stop();
  const storage::KeptItems::Counts kept = app_->writer().stats().kept;
  EXPECT_EQ(kept.mismatches, 0u) << "the writer kept an item unlike its row (of " << kept.hits
                                 << " copies handed out)";
  // The app's threads (writer, blocking pool) may still hold sessions of the
  // server's io_context: they finish before it goes.
  app_.reset();
  server_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void TestServer::Advance(std::chrono::milliseconds by) { *offset_ += by; }

HttpResult TestServer::Request(const std::string& method, const std::string& target,
                               const std::string& body, const std::string& token,
                               const std::map<std::string, std::string>& headers) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  // A server may answer (413) and close before reading a large body; the
  // answer is still there to read, so a failed write is not the end.
  beast::error_code write_error;
  http::write(stream, request, write_error);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(stream, buffer, parser);
  http::response<http::string_body> response = parser.release();
  beast::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);

  HttpResult result;
  result.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.headers[name] = std::string(field.value());
  }
  result.body = response.body();
  boost::system::error_code ec;
  result.json = boost::json::parse(result.body, ec);
  if (ec) result.json = nullptr;
  return result;
}

HttpResult TestServer::Post(const std::string& target, const boost::json::value& body,
                            const std::string& token,
                            const std::map<std::string, std::string>& headers) {
  return Request("POST", target, boost::json::serialize(body), token, headers);
}

HttpResult TestServer::Patch(const std::string& target, const boost::json::value& body,
                             const std::string& token,
                             const std::map<std::string, std::string>& headers) {
  return Request("PATCH", target, boost::json::serialize(body), token, headers);
}

std::string TestServer::Login(const std::string& username, const std::string& password) {
  HttpResult result = Post("/api/v1/auth/login", {{"username", username}, {"password", password}});
  EXPECT_EQ(result.status, 200) << username << ": " << result.body;
  if (result.status != 200) return "";
  return std::string(result.json.at("token").as_string());
}

}  // namespace jingsai::testing
