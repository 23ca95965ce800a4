// Session: one HTTP connection. Owns the stream and its buffer; reads a
// request with the body and header limits and a read timeout, hands it to
// the router, writes the answer, and reads the next (keep-alive).
#pragma once

#include <boost/asio/ip/tcp.hpp>

namespace jingsai::api {

class App;
class Server;

// Starts serving `socket` on its own strand.
void StartSession(boost::asio::ip::tcp::socket socket, App& app, Server& server);

}  // namespace jingsai::api
