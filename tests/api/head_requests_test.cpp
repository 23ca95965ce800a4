// HEAD is answered like GET, headers and all, without the body.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/api/api_fixture.h"
#include "tests/api/raw_http_client.h"

namespace jingsai::testing {
namespace {

using namespace std::chrono_literals;

class HeadRequests : public ApiTest {};

TEST_F(HeadRequests, HeadAnswersTheHeadersOfGetWithoutTheBody) {
  HttpResult get = server().Get("/healthz");
  ASSERT_EQ(get.status, 200);

  RawConnection connection(server().port());
  ASSERT_TRUE(connection.connected());
  // A GET right behind the HEAD on the same connection: had the HEAD answer
  // carried a body, the GET's answer would not start where it should.
  ASSERT_TRUE(
      connection.Send("HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  std::optional<RawResponse> head = connection.ReadResponse(5s, /*to_head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers["content-length"], std::to_string(get.body.size()));
  EXPECT_EQ(head->headers["content-type"], get.Header("content-type"));
  EXPECT_TRUE(head->body.empty());

  std::optional<RawResponse> after = connection.ReadResponse();
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(after->body, get.body);
}

TEST_F(HeadRequests, HeadOfAnItemNeedsTheSameRightsAsGet) {
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  std::string path = "/api/v1/submissions/" + std::to_string(id);
  std::string etag = server().Get(path, Token("jiajiang-reviewer")).Header("etag");
  ASSERT_FALSE(etag.empty());
  for (const auto& [user, status] : {std::pair<std::string, int>{"jiajiang-reviewer", 200},
                                     {"shizhong-reviewer", 404},
                                     {"", 401}}) {
    RawConnection connection(server().port());
    ASSERT_TRUE(connection.connected());
    std::string auth = user.empty() ? "" : "Authorization: Bearer " + Token(user) + "\r\n";
    ASSERT_TRUE(connection.Send("HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth +
                                "Connection: close\r\n\r\n"));
    std::optional<RawResponse> head = connection.ReadResponse(5s, /*to_head=*/true);
    ASSERT_TRUE(head.has_value()) << user;
    EXPECT_EQ(head->status, status) << user;
    EXPECT_TRUE(head->body.empty()) << user;
    if (status == 200) {
      EXPECT_EQ(head->headers["etag"], etag);
    }
  }
}

}  // namespace
}  // namespace jingsai::testing
