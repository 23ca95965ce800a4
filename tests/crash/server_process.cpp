#include "tests/crash/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace jingsai::crash {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The port from the server's start line ("jingsai 已启动：http://127.0.0.1:PORT/")
// written after `offset` in the log.
unsigned short PortFromLog(const std::string& log, size_t offset) {
  static const std::string kStarted = "http://127.0.0.1:";
  size_t at = log.find(kStarted, std::min(offset, log.size()));
  if (at == std::string::npos) return 0;
  size_t end = log.find('/', at + kStarted.size());
  if (end == std::string::npos) return 0;
  try {
    return static_cast<unsigned short>(
        std::stoi(log.substr(at + kStarted.size(), end - at - kStarted.size())));
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

ServerProcess::~ServerProcess() { Kill(); }

unsigned short ServerProcess::Start() {
  size_t log_offset = ReadFile(log_path_).size();
  pid_t pid = fork();
  if (pid < 0) return 0;
  if (pid == 0) {
    int log = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
      close(log);
    }
    std::vector<std::string> args = {binary_,       "serve",     "--db", db_path_, "--listen",
                                     "127.0.0.1:0", "--threads", "2",    "--demo"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    setenv("JINGSAI_ADMIN_PASSWORD", "crash-test-admin", 1);
    execv(binary_.c_str(), argv.data());
    _exit(127);
  }
  pid_ = pid;
  // First start hashes the demo users' passwords; sanitized builds are slow.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return 0;
    }
    if (unsigned short port = PortFromLog(ReadFile(log_path_), log_offset); port != 0) {
      return port;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return 0;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = 0;
}

int ServerProcess::Verify(std::string& output, const std::string& db) const {
  return RunTool("verify --db '" + (db.empty() ? db_path_ : db) + "'", output);
}

int ServerProcess::Backup(const std::string& to, std::string& output) const {
  return RunTool("backup --db '" + db_path_ + "' --to '" + to + "'", output);
}

int ServerProcess::RunTool(const std::string& arguments, std::string& output) const {
  std::string command = binary_ + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 512> chunk;
  output.clear();
  while (size_t n = fread(chunk.data(), 1, chunk.size(), pipe)) output.append(chunk.data(), n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ServerProcess::LogTail() const {
  std::string log = ReadFile(log_path_);
  return log.size() > 4000 ? log.substr(log.size() - 4000) : log;
}

}  // namespace jingsai::crash
