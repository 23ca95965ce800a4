// Server: the io_context, its threads, the listener and the signals. Owns the
// HTTP edge; hands each request to the App's router.
//
// Thread-safety: Start, RunInBackground, Run and Stop are called from one
// controlling thread. Stop may also be triggered by SIGINT/SIGTERM.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/app.h"
#include "engine/result.h"

namespace jingsai::api {

class Server {
 public:
  explicit Server(App& app);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // Binds host:port (port 0 picks a free one) and returns the bound port.
  engine::Result<unsigned short> Start(const std::string& host, unsigned short port);

  // Serves on `threads` threads until Stop or a signal; blocks.
  void Run(int threads);
  // Serves on `threads` threads in the background (tests).
  void RunInBackground(int threads);

  // Stops accepting, lets in-flight requests finish (up to a grace period),
  // then stops the threads. Idempotent.
  void Stop();

  // Requests being handled right now; sessions count themselves in and out.
  std::atomic<int>& in_flight() { return in_flight_; }
  bool stopping() const { return stopping_; }

 private:
  struct Impl;

  App& app_;
  std::unique_ptr<Impl> impl_;
  std::vector<std::thread> threads_;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace jingsai::api
