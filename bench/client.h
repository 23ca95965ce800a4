// A small keep-alive HTTP/1.1 client for the benchmarks (Beast, C++20
// coroutines), and the latency recorder the phases share.
#pragma once

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
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

class Connection {
 public:
  explicit Connection(net::any_io_executor executor) : stream_(std::move(executor)) {
    // Beast reads at most the buffer's free capacity (and at least 512 bytes),
    // and the parser moves a body out of the buffer as it comes, so a buffer
    // left to grow by itself stays small: a 30 KB answer took some 80 reads.
    buffer_.reserve(64 * 1024);
  }

  net::awaitable<void> Connect(const tcp::endpoint& endpoint) {
    co_await stream_.async_connect(endpoint, net::use_awaitable);
    stream_.socket().set_option(tcp::no_delay(true));
  }

  // One request and its answer on the open connection. Throws
  // boost::system::system_error when the connection fails.
  net::awaitable<Reply> Send(http::verb verb, std::string_view target, std::string_view token,
                             std::string body = {},
                             std::string_view content_type = "application/json") {
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, "127.0.0.1");
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + std::string(token));
    if (verb == http::verb::post || verb == http::verb::patch) {
      request.set(http::field::content_type, content_type);
      request.body() = std::move(body);
    }
    request.keep_alive(true);
    request.prepare_payload();
    co_await http::async_write(stream_, request, net::use_awaitable);
    http::response<http::string_body> response;
    co_await http::async_read(stream_, buffer_, response, net::use_awaitable);
    co_return Reply{static_cast<int>(response.result_int()), std::move(response.body())};
  }

 private:
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
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
