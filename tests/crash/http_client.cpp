#include "tests/crash/http_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>

namespace jingsai::crash {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

std::string Answer::Header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? "" : found->second;
}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Connect(unsigned short port) {
  Close();
  port_ = port;
}

void HttpClient::Close() {
  if (!stream_) return;
  beast::error_code ignored;
  stream_->socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_->socket().close(ignored);
  stream_.reset();
}

Answer HttpClient::Send(const std::string& method, const std::string& target,
                        const std::string& body, const std::string& token,
                        const std::map<std::string, std::string>& headers) {
  Answer answer;
  beast::error_code ec;
  if (!stream_) {
    stream_ = std::make_unique<beast::tcp_stream>(ioc_);
    stream_->expires_after(timeout_);
    stream_->connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
    if (ec) {
      Close();
      return answer;
    }
  }
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.keep_alive(true);
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();

  stream_->expires_after(timeout_);
  http::write(*stream_, request, ec);
  if (ec) {
    Close();
    return answer;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(*stream_, buffer, parser, ec);
  if (ec) {
    Close();
    return answer;
  }
  http::response<http::string_body> response = parser.release();
  answer.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    answer.headers[name] = std::string(field.value());
  }
  answer.body = response.body();
  boost::system::error_code parse_error;
  answer.json = boost::json::parse(answer.body, parse_error);
  if (parse_error) answer.json = nullptr;
  if (!response.keep_alive()) Close();
  return answer;
}

}  // namespace jingsai::crash
