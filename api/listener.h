// Listener: owns the acceptor; every accepted connection gets a session on
// its own strand.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "engine/result.h"

namespace jingsai::api {

class App;
class Server;

// Opens `acceptor` on `endpoint` (reusing the address) and listens: what
// the server does at start, and what `jingsai serve` tries beforehand.
boost::system::error_code ListenOn(boost::asio::ip::tcp::acceptor& acceptor,
                                   const boost::asio::ip::tcp::endpoint& endpoint);

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, App& app, Server& server);

  engine::Result<unsigned short> Bind(const boost::asio::ip::tcp::endpoint& endpoint);
  void Accept();
  void Close();

 private:
  void OnAccept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  App& app_;
  Server& server_;
};

}  // namespace jingsai::api
