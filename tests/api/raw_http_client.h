// RawConnection: a plain TCP connection to the test server that sends exactly
// the bytes a test writes, for requests no well-behaved HTTP client would make.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace jingsai::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  boost::json::value json;  // null unless the body parsed as JSON

  std::string ErrorCode() const {
    if (!json.is_object()) return "";
    const boost::json::value* error = json.as_object().if_contains("error");
    if (error == nullptr || !error->is_object()) return "";
    const boost::json::value* code = error->as_object().if_contains("code");
    return code != nullptr && code->is_string() ? std::string(code->as_string()) : "";
  }
};

// A path that must never reach a file: refused with 404 or 400 and the
// contract's error body, and no trace of /etc/passwd in the answer.
inline void ExpectPathRefused(const std::optional<RawResponse>& response,
                              const std::string& target) {
  ASSERT_TRUE(response.has_value()) << target;
  EXPECT_TRUE(response->status == 404 || response->status == 400)
      << target << " -> " << response->status;
  EXPECT_TRUE(response->ErrorCode() == "not_found" || response->ErrorCode() == "bad_request")
      << target << " -> " << response->body;
  EXPECT_EQ(response->body.find("root:"), std::string::npos) << target;
}

class RawConnection {
 public:
  explicit RawConnection(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return;
    // Nothing a test does should hang the suite: sends give up after a while.
    timeval send_timeout{3, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool connected() const { return fd_ >= 0; }

  // Sends all of `data`; false when the peer stopped taking bytes.
  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent < 0 && errno == EINTR) continue;
      if (sent <= 0) return false;
      data.remove_prefix(static_cast<size_t>(sent));
    }
    return true;
  }

  // No more bytes from this side; the server sees the end of the stream.
  void ShutdownSend() { ::shutdown(fd_, SHUT_WR); }

  // Reads one response (Content-Length framed; with `to_head`, the answer to a
  // HEAD request, whose Content-Length announces a body that never comes).
  // Empty when the connection closed, failed or stayed silent until `timeout`.
  std::optional<RawResponse> ReadResponse(
      std::chrono::milliseconds timeout = std::chrono::seconds(5), bool to_head = false) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t header_end = std::string::npos;
    while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return std::nullopt;
    }
    RawResponse response;
    std::string_view head(pending_.data(), header_end);
    size_t line_end = head.find("\r\n");
    std::string_view status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") return std::nullopt;
    response.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
    while (line_end != std::string_view::npos && line_end < head.size()) {
      size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      std::string_view line = head.substr(
          start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name(line.substr(0, colon));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      response.headers[name] = std::string(value);
    }
    size_t length = 0;
    if (auto it = response.headers.find("content-length");
        it != response.headers.end() && !to_head) {
      length = static_cast<size_t>(std::strtoull(it->second.c_str(), nullptr, 10));
    }
    size_t body_start = header_end + 4;
    while (pending_.size() < body_start + length) {
      if (!Fill(deadline)) return std::nullopt;
    }
    response.body = pending_.substr(body_start, length);
    pending_.erase(0, body_start + length);
    boost::system::error_code ec;
    response.json = boost::json::parse(response.body, ec);
    if (ec) response.json = nullptr;
    return response;
  }

  // Waits until the server closes the connection (end of stream or reset),
  // discarding whatever it sends. False when it is still open at `timeout`.
  bool WaitForClose(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      pending_.clear();
      if (!Fill(deadline)) return !timed_out_;
    }
  }

  // Whether the server has closed the connection, looking for `wait` at most.
  bool ClosedWithin(std::chrono::milliseconds wait) {
    pollfd entry{fd_, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(wait.count())) <= 0) return false;
    char byte = 0;
    ssize_t got = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }

 private:
  // Appends what arrives before `deadline`; false on close, error or timeout.
  bool Fill(std::chrono::steady_clock::time_point deadline) {
    timed_out_ = false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out_ = true;
      return false;
    }
    pollfd entry{fd_, POLLIN, 0};
    int ready = ::poll(&entry, 1, static_cast<int>(left.count()));
    if (ready <= 0) {
      timed_out_ = ready == 0;
      return false;
    }
    char chunk[16384];
    ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    pending_.append(chunk, static_cast<size_t>(got));
    return true;
  }

  int fd_ = -1;
  std::string pending_;
  bool timed_out_ = false;
};

}  // namespace jingsai::testing
