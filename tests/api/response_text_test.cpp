// The head of every answer, as the client reads it off the wire.
#include "api/response_text.h"

#include <gtest/gtest.h>

#include <string>

namespace jingsai::api {
namespace {

// Whether `head` has `line` as one whole header line (after the status line).
bool HasLine(const std::string& head, const std::string& line) {
  return head.find("\r\n" + line + "\r\n") != std::string::npos;
}

TEST(ResponseHead, AJsonAnswerCarriesItsTypeLengthAndTheServersHeaders) {
  Response response;
  response.headers.emplace_back("ETag", "\"3\"");
  EXPECT_EQ(ResponseHead(response, 42, true),
            "HTTP/1.1 200 OK\r\n"
            "Server: jingsai\r\n"
            "Content-Type: application/json; charset=utf-8\r\n"
            "ETag: \"3\"\r\n"
            "Cache-Control: no-store\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "Content-Length: 42\r\n"
            "\r\n");
}

TEST(ResponseHead, AHandlersContentTypeIsSentOnce) {
  Response response;
  response.headers.emplace_back("Content-Type", "text/csv; charset=utf-8");
  std::string head = ResponseHead(response, 3, true);
  EXPECT_TRUE(HasLine(head, "Content-Type: text/csv; charset=utf-8")) << head;
  EXPECT_EQ(head.find("application/json"), std::string::npos) << head;
}

TEST(ResponseHead, AClosingAnswerSaysSo) {
  Response response;
  response.status = 400;
  std::string head = ResponseHead(response, 0, false);
  EXPECT_EQ(head.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << head;
  EXPECT_TRUE(HasLine(head, "Connection: close")) << head;
  EXPECT_TRUE(HasLine(head, "Content-Length: 0")) << head;
}

TEST(ResponseHead, NoContentAndNotModifiedHaveNoLength) {
  Response none;
  none.status = 204;
  std::string head = ResponseHead(none, 0, true);
  EXPECT_EQ(head.rfind("HTTP/1.1 204 No Content\r\n", 0), 0u) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  EXPECT_EQ(head.find("\r\nContent-Type:"), std::string::npos) << head;
  Response unchanged;
  unchanged.status = 304;
  EXPECT_EQ(ResponseHead(unchanged, 0, true).find("Content-Length"), std::string::npos);
  EXPECT_TRUE(HasNoBody(204));
  EXPECT_TRUE(HasNoBody(304));
  EXPECT_FALSE(HasNoBody(200));
  EXPECT_FALSE(HasNoBody(404));
}

TEST(ResponseHead, AHandlersCacheControlReplacesTheDefaultAndTheLastOfANameWins) {
  Response response;
  response.content_type = "application/pdf";
  response.headers.emplace_back("cache-control", "no-cache");
  response.headers.emplace_back("Location", "/a");
  response.headers.emplace_back("location", "/b");
  std::string head = ResponseHead(response, 5, true);
  EXPECT_TRUE(HasLine(head, "Content-Type: application/pdf")) << head;
  EXPECT_TRUE(HasLine(head, "cache-control: no-cache")) << head;
  EXPECT_EQ(head.find("no-store"), std::string::npos) << head;
  EXPECT_EQ(head.find("/a"), std::string::npos) << head;
  EXPECT_TRUE(HasLine(head, "location: /b")) << head;
}

TEST(ResponseHead, ALineBreakInAValueCannotEndTheHeadEarly) {
  Response response;
  response.headers.emplace_back("Content-Disposition", "attachment\r\nSet-Cookie: x=1");
  std::string head = ResponseHead(response, 0, true);
  EXPECT_TRUE(HasLine(head, "Content-Disposition: attachment  Set-Cookie: x=1")) << head;
  EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos) << head;
}

}  // namespace
}  // namespace jingsai::api
