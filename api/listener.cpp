#include "api/listener.h"

#include <spdlog/spdlog.h>

#include <boost/asio/strand.hpp>

#include "api/server.h"
#include "api/session.h"

namespace jingsai::api {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, App& app, Server& server)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), app_(app), server_(server) {}

boost::system::error_code ListenOn(tcp::acceptor& acceptor, const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  return ec;
}

engine::Result<unsigned short> Listener::Bind(const tcp::endpoint& endpoint) {
  boost::system::error_code ec = ListenOn(acceptor_, endpoint);
  if (ec) {
    return engine::Error::Internal("cannot listen on " + endpoint.address().to_string() + ":" +
                                   std::to_string(endpoint.port()) + ": " + ec.message());
  }
  return acceptor_.local_endpoint().port();
}

void Listener::Accept() {
  acceptor_.async_accept(
      net::make_strand(ioc_),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        self->OnAccept(ec, std::move(socket));
      });
}

void Listener::Close() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // Running out of descriptors must not stop the server: log and go on.
    spdlog::get("api")->warn("accept failed: {}", ec.message());
  } else {
    StartSession(std::move(socket), app_, server_);
  }
  Accept();
}

}  // namespace jingsai::api
