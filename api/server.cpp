#include "api/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "api/listener.h"
#include "storage/thread_name.h"

namespace jingsai::api {

namespace net = boost::asio;

struct Server::Impl {
  net::io_context ioc;
  std::shared_ptr<Listener> listener;
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  net::steady_timer drain_timer{ioc};
  std::chrono::steady_clock::time_point drain_deadline;
};

Server::Server(App& app) : app_(app), impl_(std::make_unique<Impl>()) {}

Server::~Server() { Stop(); }

engine::Result<unsigned short> Server::Start(const std::string& host, unsigned short port) {
  boost::system::error_code ec;
  net::ip::address address = net::ip::make_address(host, ec);
  if (ec) return engine::Error::BadRequest("invalid listen address: " + host);
  impl_->listener = std::make_shared<Listener>(impl_->ioc, app_, *this);
  engine::Result<unsigned short> bound = impl_->listener->Bind({address, port});
  if (!bound.ok()) return bound;
  impl_->listener->Accept();
  return bound;
}

namespace {

// Polls until no request is in flight or the grace period is over, then stops.
void DrainThenStop(net::steady_timer& timer, std::chrono::steady_clock::time_point deadline,
                   std::atomic<int>& in_flight, net::io_context& ioc) {
  if (in_flight.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
    ioc.stop();
    return;
  }
  timer.expires_after(std::chrono::milliseconds(10));
  timer.async_wait([&timer, deadline, &in_flight, &ioc](boost::system::error_code) {
    DrainThenStop(timer, deadline, in_flight, ioc);
  });
}

}  // namespace

void Server::RunInBackground(int threads) {
  impl_->signals.async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("收到信号 {}，处理完进行中的请求后停止", signal);
    stopping_ = true;
    impl_->listener->Close();
    DrainThenStop(impl_->drain_timer, std::chrono::steady_clock::now() + std::chrono::seconds(10),
                  in_flight_, impl_->ioc);
  });
  // A batch's answers reach the I/O threads as one task: one wake-up of
  // one thread instead of one per answer (bench/README.md, finding 37).
  app_.writer().RunAnswersOn(
      [ioc = &impl_->ioc](std::function<void()> answers) { net::post(*ioc, std::move(answers)); });
  for (int i = 0; i < std::max(1, threads); ++i) {
    threads_.emplace_back([this] {
      storage::NameThisThread("jingsai-io");
      impl_->ioc.run();
    });
  }
}

void Server::Run(int threads) {
  RunInBackground(threads);
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  app_.writer().RunAnswersOn(nullptr);
}

void Server::Stop() {
  if (threads_.empty()) return;
  if (!stopping_.exchange(true)) {
    net::post(impl_->ioc, [this] {
      impl_->signals.cancel();
      if (impl_->listener) impl_->listener->Close();
      DrainThenStop(impl_->drain_timer, std::chrono::steady_clock::now() + std::chrono::seconds(10),
                    in_flight_, impl_->ioc);
    });
  }
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  app_.writer().RunAnswersOn(nullptr);
}

}  // namespace jingsai::api
