// The real `jingsai serve` binary as a child process: started on a database,
// killed with SIGKILL, started again on the same file.
#pragma once

#include <sys/types.h>

#include <string>

namespace jingsai::crash {

class ServerProcess {
 public:
  ServerProcess(std::string binary, std::string db_path, std::string log_path)
      : binary_(std::move(binary)), db_path_(std::move(db_path)), log_path_(std::move(log_path)) {}
  ~ServerProcess();

  // Starts `jingsai serve --demo` on 127.0.0.1 with a port of the system's
  // choosing and waits until it answers; returns the port, 0 on failure.
  unsigned short Start();
  // SIGKILL, then reaps the child: nothing gets to flush or clean up.
  void Kill();
  bool running() const { return pid_ > 0; }

  // Runs `jingsai verify --db FILE` (the server's database unless `db` is
  // given); returns its exit code and its output.
  int Verify(std::string& output, const std::string& db = "") const;
  // Runs `jingsai backup --db DB --to FILE` against the running server's file.
  int Backup(const std::string& to, std::string& output) const;

  // The last lines the server wrote, for failure reports.
  std::string LogTail() const;

 private:
  int RunTool(const std::string& arguments, std::string& output) const;

  std::string binary_;
  std::string db_path_;
  std::string log_path_;
  pid_t pid_ = 0;
};

}  // namespace jingsai::crash
