// The HTTP edge under hostile or broken clients: oversized and malformed
// requests are answered with the contract's error body (or the connection is
// dropped), slow and idle clients cannot starve others, and the server keeps
// answering afterwards.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/api/raw_http_client.h"
#include "tests/support/test_server.h"

namespace jingsai::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kLogin[] = "/api/v1/auth/login";

TestServer::Options HostileOptions() {
  TestServer::Options options;
  options.demo = false;
  options.read_timeout = seconds(1);
  return options;
}

class HostileHttp : public ::testing::Test {
 protected:
  HostileHttp() : server_(HostileOptions()) {}

  // A JSON POST to `target` with `body` as the exact bytes of the body.
  static std::string JsonPost(const std::string& target, const std::string& body) {
    return "POST " + target +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }

  // Sends `request` on a fresh connection and reads the one response.
  std::optional<RawResponse> RoundTrip(const std::string& request) {
    RawConnection connection(server_.port());
    EXPECT_TRUE(connection.connected());
    EXPECT_TRUE(connection.Send(request));
    return connection.ReadResponse();
  }

  void ExpectHealthy() {
    HttpResult health = server_.Get("/healthz");
    EXPECT_EQ(health.status, 200) << health.body;
    EXPECT_EQ(health.body, R"({"status":"ok"})");
  }

  TestServer server_;
};

// The error body of the contract: {"error":{"code","message","details"}}.
void ExpectErrorBody(const RawResponse& response, const std::string& code) {
  EXPECT_EQ(response.ErrorCode(), code) << response.body;
  ASSERT_TRUE(response.json.is_object()) << response.body;
  const boost::json::object& error = response.json.at("error").as_object();
  EXPECT_TRUE(error.at("message").is_string());
  EXPECT_TRUE(error.at("details").is_array());
  EXPECT_NE(response.headers.count("content-type"), 0u);
}

TEST_F(HostileHttp, OversizedJsonBodyIsRefusedBeforeItIsRead) {
  RawConnection connection(server_.port());
  ASSERT_TRUE(connection.connected());
  // Announces 2 MiB but sends a few bytes only: the answer must not wait for the rest.
  ASSERT_TRUE(connection.Send(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n{\"username\":"));
  std::optional<RawResponse> response = connection.ReadResponse(seconds(3));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  ExpectErrorBody(*response, "too_large");
  EXPECT_EQ(response->headers["connection"], "close");
  EXPECT_TRUE(connection.WaitForClose(seconds(3)));
  ExpectHealthy();
}

TEST_F(HostileHttp, AClientThatExpectsContinueIsToldToSendItsBody) {
  RawConnection connection(server_.port());
  ASSERT_TRUE(connection.connected());
  const std::string body = R"({"username":"nobody","password":"wrong-password"})";
  ASSERT_TRUE(
      connection.Send("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                      "Content-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n"));
  // Well before the read timeout: the client is waiting for this line.
  std::optional<RawResponse> go_on = connection.ReadResponse(milliseconds(500));
  ASSERT_TRUE(go_on.has_value());
  EXPECT_EQ(go_on->status, 100);
  ASSERT_TRUE(connection.Send(body));
  std::optional<RawResponse> answer = connection.ReadResponse(seconds(3));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 401);
  ExpectErrorBody(*answer, "unauthenticated");
  ExpectHealthy();
}

TEST_F(HostileHttp, AnHttp11RequestWithoutHostIsABadRequest) {
  std::optional<RawResponse> answer = RoundTrip("GET /healthz HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 400);
  ExpectErrorBody(*answer, "bad_request");
  // HTTP/1.0 had no Host yet.
  std::optional<RawResponse> old = RoundTrip("GET /healthz HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->status, 200);
  ExpectHealthy();
}

TEST_F(HostileHttp, JsonBodyJustOverTheLimitIsTooLarge) {
  std::string body(server_.app().config().json_body_limit + 1, ' ');
  RawConnection connection(server_.port());
  ASSERT_TRUE(connection.connected());
  // The server may stop reading once it has answered; a short send is fine.
  connection.Send(JsonPost(kLogin, body));
  std::optional<RawResponse> response = connection.ReadResponse(seconds(3));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  ExpectErrorBody(*response, "too_large");
  ExpectHealthy();
}

TEST_F(HostileHttp, OversizedHeaderIsRefusedWithAnErrorBody) {
  RawConnection connection(server_.port());
  ASSERT_TRUE(connection.connected());
  std::string request =
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + std::string(64 << 10, 'a') +
      "\r\n\r\n";
  connection.Send(request);
  std::optional<RawResponse> response = connection.ReadResponse(seconds(3));
  ASSERT_TRUE(response.has_value());
  EXPECT_TRUE(response->status == 431 || response->status == 400) << response->status;
  ExpectErrorBody(*response, "bad_request");
  EXPECT_TRUE(connection.WaitForClose(seconds(3)));
  ExpectHealthy();
}

TEST_F(HostileHttp, ManySmallHeadersOverTheLimitAreRefused) {
  std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 2000; ++i) request += "X-H" + std::to_string(i) + ": v\r\n";
  request += "\r\n";
  RawConnection connection(server_.port());
  ASSERT_TRUE(connection.connected());
  connection.Send(request);
  std::optional<RawResponse> response = connection.ReadResponse(seconds(3));
  ASSERT_TRUE(response.has_value());
  EXPECT_TRUE(response->status == 431 || response->status == 400) << response->status;
  ExpectErrorBody(*response, "bad_request");
  ExpectHealthy();
}

TEST_F(HostileHttp, SlowHeaderDribbleIsCutOffAfterTheReadTimeout) {
  RawConnection connection(server_.port());
  ASSERT_TRUE(connection.connected());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(connection.Send("GET /healthz HTTP/1.1\r\n"));
  // One header byte every 100 ms: never a whole request, always some traffic.
  const std::string trickle =
      "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  bool closed = false;
  for (size_t i = 0; !closed && std::chrono::steady_clock::now() - start < seconds(6); ++i) {
    connection.Send(std::string(1, trickle[i % trickle.size()]));
    closed = connection.ClosedWithin(milliseconds(100));
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(closed) << "the connection stayed open while the client dribbled";
  EXPECT_GE(elapsed, milliseconds(500));
  EXPECT_LT(elapsed, seconds(5));
  ExpectHealthy();
}

TEST_F(HostileHttp, IdleConnectionsDoNotStarveOtherClients) {
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 200; ++i) {
    idle.push_back(std::make_unique<RawConnection>(server_.port()));
    ASSERT_TRUE(idle.back()->connected()) << i;
    // Half of them start a request and never finish it.
    if (i % 2 == 1) idle.back()->Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  }
  const auto start = std::chrono::steady_clock::now();
  ExpectHealthy();
  std::optional<RawResponse> raw = RoundTrip("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->status, 200);
  // Well before the idle ones time out.
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(900));
  idle.clear();
  ExpectHealthy();
}

TEST_F(HostileHttp, TlsClientHelloOnThePlainPortIsRefused) {
  // The start of a TLS 1.0 record carrying a ClientHello.
  std::string hello("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
  std::mt19937 random(7);
  for (int i = 0; i < 500; ++i) hello.push_back(static_cast<char>(random() & 0xff));
  RawConnection connection(server_.port());
  ASSERT_TRUE(connection.connected());
  connection.Send(hello);
  connection.ShutdownSend();
  std::optional<RawResponse> response = connection.ReadResponse(seconds(3));
  if (response) {
    EXPECT_EQ(response->status, 400);
    ExpectErrorBody(*response, "bad_request");
  }
  EXPECT_TRUE(connection.WaitForClose(seconds(3)));
  ExpectHealthy();
}

TEST_F(HostileHttp, RandomBinaryOnThePlainPortIsRefused) {
  std::mt19937 random(42);
  for (int round = 0; round < 5; ++round) {
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>(random() & 0xff));
    RawConnection connection(server_.port());
    ASSERT_TRUE(connection.connected());
    connection.Send(garbage);
    connection.ShutdownSend();
    std::optional<RawResponse> response = connection.ReadResponse(seconds(3));
    if (response) {
      EXPECT_EQ(response->status, 400) << round;
      ExpectErrorBody(*response, "bad_request");
    }
    EXPECT_TRUE(connection.WaitForClose(seconds(3))) << round;
  }
  ExpectHealthy();
}

TEST_F(HostileHttp, GarbageAfterAValidRequestLineIsRefused) {
  std::optional<RawResponse> response =
      RoundTrip("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  ExpectErrorBody(*response, "bad_request");
  response = RoundTrip("GET /healthz HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  ExpectErrorBody(*response, "bad_request");
  ExpectHealthy();
}

TEST_F(HostileHttp, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection connection(server_.port());
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(
      connection.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                      "GET /api/v1/no-such-thing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
                      JsonPost(kLogin, "{")));
  std::optional<RawResponse> first = connection.ReadResponse();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, R"({"status":"ok"})");
  std::optional<RawResponse> second = connection.ReadResponse();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->status, 404);
  ExpectErrorBody(*second, "not_found");
  std::optional<RawResponse> third = connection.ReadResponse();
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->status, 400);
  ExpectErrorBody(*third, "bad_request");
  ExpectHealthy();
}

TEST_F(HostileHttp, InvalidUtf8InAJsonBodyIsABadRequest) {
  const std::vector<std::string> bodies = {
      std::string("{\"username\":\"\xff\xfe\",\"password\":\"x\"}"),
      std::string("{\"username\":\"\xc0\xaf\",\"password\":\"x\"}"),      // overlong '/'
      std::string("{\"username\":\"\xed\xa0\x80\",\"password\":\"x\"}"),  // a lone surrogate
      std::string("{\"username\":\"\xe4\xb8\",\"password\":\"x\"}"),      // cut short
      std::string("{\"\x80\":1}"),
  };
  for (const std::string& body : bodies) {
    std::optional<RawResponse> response = RoundTrip(JsonPost(kLogin, body));
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 400) << response->body;
    ExpectErrorBody(*response, "bad_request");
  }
  ExpectHealthy();
}

TEST_F(HostileHttp, DeeplyNestedJsonIsABadRequest) {
  constexpr size_t kDepth = 100000;
  const std::vector<std::string> bodies = {
      std::string(kDepth, '[') + std::string(kDepth, ']'),
      "{\"username\":" + std::string(kDepth, '[') + std::string(kDepth, ']') + "}",
      [] {
        std::string body;
        for (size_t i = 0; i < kDepth / 5; ++i) body += "{\"a\":";
        body += "1";
        body += std::string(kDepth / 5, '}');
        return body;
      }(),
      std::string(kDepth, '['),  // never closed
  };
  for (const std::string& body : bodies) {
    std::optional<RawResponse> response = RoundTrip(JsonPost(kLogin, body));
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 400) << response->body;
    ExpectErrorBody(*response, "bad_request");
  }
  ExpectHealthy();
}

TEST_F(HostileHttp, DotDotPathsNeverReachFiles) {
  const std::vector<std::string> targets = {
      "/admin/../../etc/passwd",
      "/api/v1/%2e%2e/%2e%2e/etc/passwd",
      "/api/v1/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
      "/..%2f..%2f..%2fetc%2fpasswd",
      "/healthz/../../../../etc/passwd",
      "/api/v1/openapi.json/../../../etc/passwd",
      "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
      "/api/v1/../../../../../../etc/passwd%00.json",
  };
  for (const std::string& target : targets) {
    ExpectPathRefused(RoundTrip("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), target);
  }
  // Not even an origin-form target.
  std::optional<RawResponse> response =
      RoundTrip("GET ../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  ExpectErrorBody(*response, "bad_request");
  EXPECT_EQ(response->body.find("root:"), std::string::npos);
  ExpectHealthy();
}

TEST_F(HostileHttp, UnknownMethodIsRefusedWithAnErrorBody) {
  std::optional<RawResponse> response =
      RoundTrip("BREW /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_TRUE(response->status == 405 || response->status == 400) << response->status;
  ExpectErrorBody(*response, "bad_request");
  if (response->status == 405) {
    EXPECT_EQ(response->headers["allow"], "GET");
  }

  response = RoundTrip("TRACE /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_TRUE(response->status == 405 || response->status == 400) << response->status;
  ExpectErrorBody(*response, "bad_request");
  ExpectHealthy();
}

TEST_F(HostileHttp, ChunkedBodyOverTheLimitIsTooLarge) {
  RawConnection connection(server_.port());
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(
      connection.Send("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
  // 20 chunks of 64 KiB: 1.25 MiB, over the 1 MiB limit for JSON. The server
  // may stop reading once it has answered, so a send that fails ends it.
  std::thread sender([&connection] {
    const std::string chunk = "10000\r\n" + std::string(1 << 16, ' ') + "\r\n";
    for (int i = 0; i < 20; ++i) {
      if (!connection.Send(chunk)) return;
    }
    connection.Send("0\r\n\r\n");
  });
  std::optional<RawResponse> response = connection.ReadResponse(seconds(5));
  sender.join();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  ExpectErrorBody(*response, "too_large");
  ExpectHealthy();
}

}  // namespace
}  // namespace jingsai::testing
