// A blocking keep-alive HTTP/1.1 client for the crash harness: one
// connection, reopened when the server has gone away. Any transport failure
// is an unanswered request (status 0), never an exception.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace jingsai::crash {

struct Answer {
  int status = 0;                              // 0: no answer (connection failed or dropped)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  boost::json::value json;  // null unless the body parsed as JSON

  bool answered() const { return status != 0; }
  bool ok() const { return status >= 200 && status < 300; }
  std::string Header(const std::string& name) const;
};

class HttpClient {
 public:
  explicit HttpClient(std::chrono::milliseconds timeout = std::chrono::seconds(20))
      : timeout_(timeout) {}
  ~HttpClient();

  // Points the client at a (restarted) server; drops the open connection.
  void Connect(unsigned short port);

  Answer Send(const std::string& method, const std::string& target, const std::string& body,
              const std::string& token, const std::map<std::string, std::string>& headers = {});

 private:
  void Close();

  std::chrono::milliseconds timeout_;
  unsigned short port_ = 0;
  boost::asio::io_context ioc_;
  std::unique_ptr<boost::beast::tcp_stream> stream_;
};

}  // namespace jingsai::crash
