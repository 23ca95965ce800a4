#include "api/session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "api/app.h"
#include "api/errors.h"
#include "api/response_text.h"
#include "api/server.h"

namespace jingsai::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// An answer being sent: it lives until the write completes.
struct Answer {
  std::string head;
  std::string body;
  std::shared_ptr<const std::string> shared_body;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, App& app, Server& server)
      : stream_(std::move(socket)), app_(app), server_(server) {
    boost::system::error_code ec;
    tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
    if (!ec) client_address_ = remote.address().to_string();
  }

  void Run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    if (server_.stopping()) return Close();
    parser_.emplace();
    // The body's limit depends on the route; the header says which it is.
    parser_->body_limit(std::max(app_.config().json_body_limit, app_.config().evidence_body_limit));
    parser_->header_limit(static_cast<std::uint32_t>(app_.config().header_limit));
    // A client that dribbles its request is cut off when the timeout ends.
    stream_.expires_after(app_.config().read_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    const http::request_parser<http::string_body>::value_type& header = parser_->get();
    std::string_view target = header.target();
    size_t limit = app_.BodyLimitFor(header.method_string(), target.substr(0, target.find('?')));
    if (parser_->content_length().value_or(0) > limit) return OnRead(http::error::body_limit);
    parser_->body_limit(limit);
    if (parser_->is_done()) return OnRead({});
    if (header.version() >= 11 && beast::iequals(header[http::field::expect], "100-continue")) {
      // The client holds the body back until it hears this (curl does so for
      // uploads); without it every such upload would wait for its timeout.
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue),
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return self->Close();
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted) {
      return Close();
    }
    started_ = std::chrono::steady_clock::now();
    if (ec == http::error::body_limit) {
      return Reject(engine::Error{engine::ErrorCode::kTooLarge, "请求体超过大小限制", {}}, 0);
    }
    if (ec == http::error::header_limit) {
      return Reject(engine::Error::BadRequest("请求头过大"), 431);
    }
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
        return Reject(engine::Error::BadRequest("无法解析的 HTTP 请求"), 0);
      }
      return Close();  // the connection itself failed; nobody to answer
    }
    Dispatch(parser_->release());
  }

  void Dispatch(http::request<http::string_body> raw) {
    keep_alive_ = raw.keep_alive();
    method_ = std::string(raw.method_string());
    // RFC 9112 3.2: an HTTP/1.1 request without Host is answered 400.
    if (raw.version() >= 11 && raw.find(http::field::host) == raw.end()) {
      path_ = std::string(raw.target());
      return Reject(engine::Error::BadRequest("HTTP/1.1 请求须带 Host 请求头"), 0);
    }
    auto target = boost::urls::parse_origin_form(raw.target());
    if (!target) {
      path_ = std::string(raw.target());
      return Reject(engine::Error::BadRequest("无法解析的请求路径"), 0);
    }
    Request request;
    // HEAD is GET without the body (RFC 9110): the same handler, the same
    // headers, and Write() leaves the body out.
    request.method = method_ == "HEAD" ? "GET" : method_;
    request.path = std::string(target->path());
    path_ = request.path;
    for (auto param : target->params()) request.query[param.key] = param.value;
    for (const auto& field : raw) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers[name] = std::string(field.value());
    }
    request.body = std::move(raw.body());
    request.client_address = client_address_;

    server_.in_flight()++;
    counted_ = true;
    // Once the answer is handed over, only the posted write keeps the session,
    // not the handler's copies of `respond` that the writer or the blocking
    // pool destroy whenever their threads get round to it.
    auto owner = std::make_shared<std::shared_ptr<Session>>(shared_from_this());
    Respond respond = [owner](Response response) {
      std::shared_ptr<Session> self = std::move(*owner);
      if (!self) return;  // answered already
      // Inline when answered on the session's own strand (a read handler),
      // queued to it from any other thread (the writer's, the syncer's).
      net::dispatch(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Write(std::move(response));
      });
    };
    app_.router().Dispatch(std::move(request), std::move(respond));
  }

  // Answers an unreadable request and closes the connection afterwards.
  void Reject(const engine::Error& error, int status) {
    keep_alive_ = false;
    if (method_.empty()) method_ = "-";
    Write(ErrorResponse(error, status));
  }

  void Write(Response response) {
    response.RenderBody();
    const bool keep_alive = keep_alive_ && !server_.stopping();
    auto answer = std::make_shared<Answer>();
    answer->shared_body = std::move(response.shared_body);
    const std::string& body = answer->shared_body ? *answer->shared_body : response.body;
    answer->head = ResponseHead(response, body.size(), keep_alive);
    // HEAD: Content-Length stays that of the GET answer; no body is sent.
    if (method_ == "HEAD" || HasNoBody(response.status)) {
      answer->shared_body = nullptr;
    } else if (!answer->shared_body) {
      answer->body = std::move(response.body);
    }
    status_ = response.status;
    stream_.expires_after(app_.config().read_timeout);
    std::array<net::const_buffer, 2> buffers{
        net::buffer(answer->head),
        net::buffer(answer->shared_body ? *answer->shared_body : answer->body)};
    net::async_write(stream_, buffers,
                     [self = shared_from_this(), answer, keep_alive](
                         beast::error_code ec, std::size_t) { self->OnWrite(ec, keep_alive); });
  }

  void OnWrite(beast::error_code ec, bool keep_alive) {
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    spdlog::get("api")->info("{} {} {} {:.1f}ms", method_, path_, status_, ms);
    if (counted_) {
      server_.in_flight()--;
      counted_ = false;
    }
    method_.clear();
    if (ec || !keep_alive) return Close();
    Read();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  App& app_;
  Server& server_;
  std::string client_address_;
  std::chrono::steady_clock::time_point started_;
  std::string method_;
  std::string path_;
  int status_ = 0;
  bool keep_alive_ = true;
  bool counted_ = false;
};

}  // namespace

void StartSession(tcp::socket socket, App& app, Server& server) {
  std::make_shared<Session>(std::move(socket), app, server)->Run();
}

}  // namespace jingsai::api
