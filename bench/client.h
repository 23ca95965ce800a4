// A small keep-alive HTTP/1.1 client for the benchmarks (Beast, C++20
// coroutines), and the latency recorder the phases share.
#pragma once

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace jingsai::bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

struct Reply {
  int status = 0;
  std::string body;
};

// Requests are written as text and answers read by hand: Beast's
// serializer and parser (its buffer views, fields and composed reads) were
// about half of this generator's own CPU, and the generator shares the
// server's two cores. The server gives every answer with a body its
// Content-Length.
class Connection {
 public:
  explicit Connection(net::any_io_executor executor)
      : socket_(std::move(executor)), buffer_(kReadSize) {}

  net::awaitable<void> Connect(const tcp::endpoint& endpoint) {
    co_await socket_.async_connect(endpoint, net::use_awaitable);
    socket_.set_option(tcp::no_delay(true));
  }

  // One request and its answer on the open connection. Throws
  // boost::system::system_error when the connection fails, and
  // std::runtime_error for an answer it cannot read.
  net::awaitable<Reply> Send(http::verb verb, std::string_view target, std::string_view token,
                             std::string body = {},
                             std::string_view content_type = "application/json") {
    request_.clear();
    request_.append(http::to_string(verb)).append(" ").append(target);
    request_.append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (!token.empty()) request_.append("Authorization: Bearer ").append(token).append("\r\n");
    if (verb == http::verb::post || verb == http::verb::patch) {
      request_.append("Content-Type: ").append(content_type).append("\r\n");
      request_.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
    }
    request_.append("\r\n");
    std::array<net::const_buffer, 2> buffers{net::buffer(request_), net::buffer(body)};
    co_await net::async_write(socket_, buffers, net::use_awaitable);
    co_return co_await ReadReply();
  }

 private:
  static constexpr size_t kReadSize = 64 * 1024;

  std::string_view Unread() const { return {buffer_.data() + begin_, end_ - begin_}; }

  // Reads what has come, with room for at least kReadSize more bytes.
  net::awaitable<void> ReadSome() {
    if (begin_ > 0) {  // what was answered already goes; the rest moves to the front
      std::copy(buffer_.begin() + static_cast<ptrdiff_t>(begin_),
                buffer_.begin() + static_cast<ptrdiff_t>(end_), buffer_.begin());
      end_ -= begin_;
      begin_ = 0;
    }
    if (buffer_.size() - end_ < kReadSize) buffer_.resize(end_ + kReadSize);
    end_ += co_await socket_.async_read_some(
        net::buffer(buffer_.data() + end_, buffer_.size() - end_), net::use_awaitable);
  }

  net::awaitable<Reply> ReadReply() {
    size_t head_end = 0;
    while ((head_end = Unread().find("\r\n\r\n")) == std::string_view::npos) co_await ReadSome();
    std::string_view head = Unread().substr(0, head_end);
    Reply reply;
    if (head.size() < 12 || head.substr(0, 5) != "HTTP/") throw std::runtime_error("not HTTP");
    reply.status = std::atoi(std::string(head.substr(9, 3)).c_str());
    const bool bodiless = reply.status < 200 || reply.status == 204 || reply.status == 304;
    const size_t length = bodiless ? 0 : ContentLength(head);
    const size_t whole = head_end + 4 + length;
    while (Unread().size() < whole) co_await ReadSome();
    reply.body.assign(Unread().substr(head_end + 4, length));
    begin_ += whole;
    if (begin_ == end_) begin_ = end_ = 0;
    co_return reply;
  }

  static size_t ContentLength(std::string_view head) {
    constexpr std::string_view kName = "content-length:";
    size_t line = head.find("\r\n");
    while (line != std::string_view::npos) {
      std::string_view rest = head.substr(line + 2);
      size_t next = rest.find("\r\n");
      std::string_view field = rest.substr(0, next);
      if (field.size() > kName.size() &&
          std::equal(kName.begin(), kName.end(), field.begin(), [](char a, char b) {
            return a == std::tolower(static_cast<unsigned char>(b));
          })) {
        return static_cast<size_t>(
            std::strtoull(std::string(field.substr(kName.size())).c_str(), nullptr, 10));
      }
      line = next == std::string_view::npos ? next : line + 2 + next;
    }
    throw std::runtime_error("an answer without Content-Length");
  }

  tcp::socket socket_;
  std::string request_;
  std::vector<char> buffer_;
  size_t begin_ = 0;  // the unread bytes are [begin_, end_)
  size_t end_ = 0;
};

// Latencies (microseconds) and counts of one worker in one phase; only what
// falls inside the measured window is kept.
struct Recorder {
  std::vector<uint32_t> micros;
  uint64_t ok = 0;
  uint64_t failed = 0;
  uint64_t transitions = 0;
  uint64_t sent = 0;  // every request, in the window or not

  void Merge(const Recorder& other) {
    micros.insert(micros.end(), other.micros.begin(), other.micros.end());
    ok += other.ok;
    failed += other.failed;
    transitions += other.transitions;
    sent += other.sent;
  }
};

// The value at quantile q (0..1) in milliseconds; sorts `micros`.
inline double PercentileMs(std::vector<uint32_t>& micros, double q) {
  if (micros.empty()) return 0;
  std::sort(micros.begin(), micros.end());
  size_t index = static_cast<size_t>(q * static_cast<double>(micros.size() - 1) + 0.5);
  return micros[std::min(index, micros.size() - 1)] / 1000.0;
}

}  // namespace jingsai::bench
