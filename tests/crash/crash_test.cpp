// The crash-consistency harness: starts the real server, lets concurrent
// clients take reports through their flow, SIGKILLs the server at a random
// moment, starts it again on the same database and checks that every
// acknowledged step is there, that nothing refused or unanswered is
// half-there, and that `jingsai verify` finds the history chain intact.
//
//   crash_test --server PATH [--rounds N] [--seed S] [--clients C] [--keep]
//              [--kill-ms MIN-MAX] [--backup-every N]
// JINGSAI_CRASH_ROUNDS and JINGSAI_CRASH_SEED override the flags.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/crash/http_client.h"
#include "tests/crash/server_process.h"
#include "tests/crash/worker.h"

namespace {

using jingsai::crash::Answer;
using jingsai::crash::HttpClient;
using jingsai::crash::ServerProcess;
using jingsai::crash::Tally;
using jingsai::crash::Users;
using jingsai::crash::Worker;

// Reports that did not change since the last check, checked again per client
// and round (all of them at the end).
constexpr size_t kSampledReports = 16;

struct Options {
  std::string server;
  int rounds = 5;
  uint64_t seed = 0;
  int clients = 4;
  bool keep = false;
  int min_kill_ms = 100;
  int max_kill_ms = 1500;
  int backup_every = 4;  // rounds
};

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--server") {
      options.server = value();
    } else if (arg == "--rounds") {
      options.rounds = std::atoi(value().c_str());
    } else if (arg == "--seed") {
      options.seed = std::stoull(value());
    } else if (arg == "--clients") {
      options.clients = std::atoi(value().c_str());
    } else if (arg == "--keep") {
      options.keep = true;
    } else if (arg == "--kill-ms") {  // MIN-MAX
      std::string range = value();
      size_t dash = range.find('-');
      if (dash == std::string::npos) return false;
      options.min_kill_ms = std::atoi(range.substr(0, dash).c_str());
      options.max_kill_ms = std::atoi(range.substr(dash + 1).c_str());
    } else if (arg == "--backup-every") {
      options.backup_every = std::atoi(value().c_str());
    } else {
      return false;
    }
  }
  // The environment wins over the flags, so that a CTest run can be lengthened.
  if (const char* rounds = std::getenv("JINGSAI_CRASH_ROUNDS")) options.rounds = std::atoi(rounds);
  if (const char* seed = std::getenv("JINGSAI_CRASH_SEED")) options.seed = std::stoull(seed);
  if (options.seed == 0) options.seed = std::random_device{}();
  return !options.server.empty() && options.rounds > 0 && options.clients > 0 &&
         options.min_kill_ms > 0 && options.max_kill_ms >= options.min_kill_ms &&
         options.backup_every > 0;
}

std::string Login(HttpClient& client, const std::string& username) {
  Answer answer =
      client.Send("POST", "/api/v1/auth/login",
                  R"({"username":")" + username + R"(","password":"jingsai-demo"})", "");
  if (answer.status != 200 || !answer.json.is_object()) return "";
  return std::string(answer.json.at("token").as_string());
}

int Fail(const std::string& why, const ServerProcess& server) {
  std::cerr << "crash test FAILED: " << why << "\n--- server log (tail) ---\n"
            << server.LogTail() << "\n";
  return 1;
}

// Starts a server on the last online backup: a restored copy must open,
// migrate and serve.
int RestoreBackup(const std::string& binary, const std::filesystem::path& dir) {
  std::filesystem::copy_file(dir / "backup.db", dir / "restored.db",
                             std::filesystem::copy_options::overwrite_existing);
  ServerProcess restored(binary, (dir / "restored.db").string(), (dir / "restored.log").string());
  unsigned short port = restored.Start();
  if (port == 0) return Fail("the restored backup did not serve", restored);
  HttpClient client;
  client.Connect(port);
  Answer health = client.Send("GET", "/healthz", "", "");
  if (health.status != 200) return Fail("the restored backup answered " + health.body, restored);
  restored.Kill();
  std::string output;
  if (restored.Verify(output) != 0) return Fail("the restored backup: " + output, restored);
  return 0;
}

// Moves a report to another stage without a history row, as a hand edit of
// the file would: `jingsai verify` must exit non-zero naming that item.
int TamperAndVerify(const ServerProcess& server, const std::filesystem::path& db) {
  const std::string target = "(SELECT MIN(id) FROM items WHERE stage <> 'approved')";
  std::string sql =
      "SELECT " + target + "; UPDATE items SET stage = 'approved' WHERE id = " + target + ";";
  std::string command = "sqlite3 '" + db.string() + "' \"" + sql + "\" 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return Fail("sqlite3 did not run", server);
  char line[128] = {0};
  std::string id = fgets(line, sizeof line, pipe) ? std::string(line) : "";
  if (pclose(pipe) != 0 || id.empty())
    return Fail("sqlite3 could not change the file: " + id, server);
  id.erase(id.find_last_not_of("\r\n") + 1);
  std::string output;
  int code = server.Verify(output);
  if (code != 1 || output.find("item " + id + " ") == std::string::npos) {
    return Fail("jingsai verify of a report moved behind its history exited " +
                    std::to_string(code) + " saying: " + output,
                server);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::cerr << "usage: crash_test --server PATH [--rounds N] [--seed S] [--clients C] [--keep] "
                 "[--kill-ms MIN-MAX] [--backup-every N]\n";
    return 2;
  }
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("jingsai-crash-" + std::to_string(options.seed));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  ServerProcess server(options.server, (dir / "crash.db").string(), (dir / "server.log").string());
  std::cout << "crash test: seed " << options.seed << ", " << options.rounds << " rounds, "
            << options.clients << " clients, database " << (dir / "crash.db").string() << "\n";

  unsigned short port = server.Start();
  if (port == 0) return Fail("the server did not start", server);
  HttpClient login;
  login.Connect(port);
  // Two units in two counties; the city reviewer sees both.
  Users jiajiang{Login(login, "jiajiang-submitter"), Login(login, "jiajiang-reviewer"),
                 Login(login, "city-reviewer"), "jiajiang-ceramics"};
  Users shizhong{Login(login, "shizhong-submitter"), Login(login, "shizhong-reviewer"),
                 jiajiang.city_token, "shizhong-power"};
  if (jiajiang.submitter_token.empty() || jiajiang.county_token.empty() ||
      jiajiang.city_token.empty() || shizhong.submitter_token.empty() ||
      shizhong.county_token.empty()) {
    return Fail("the demo users could not log in", server);
  }

  std::mt19937_64 random(options.seed);
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < options.clients; ++i) {
    workers.push_back(std::make_unique<Worker>(i, i % 2 == 0 ? jiajiang : shizhong, random()));
  }
  Tally tally;
  std::mutex tally_mutex;
  const std::filesystem::path backup = dir / "backup.db";
  int backups = 0;
  for (int round = 1; round <= options.rounds; ++round) {
    std::atomic<bool> killed{false};
    std::vector<Tally> tallies(workers.size());
    std::vector<bool> ok(workers.size(), true);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < workers.size(); ++i) {
      threads.emplace_back([&, i] { ok[i] = workers[i]->Run(port, killed, tallies[i]); });
    }
    std::uniform_int_distribution<int> delay(options.min_kill_ms, options.max_kill_ms);
    int kill_after = delay(random);
    // Now and then an online backup while the clients write, started halfway
    // to the kill; the kill does not wait for it. It must verify on its own.
    bool backs_up = (round - 1) % options.backup_every == 0;
    int backup_code = 0;
    std::string backup_output;
    std::thread backing_up;
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after / 2));
    if (backs_up) {
      backing_up =
          std::thread([&] { backup_code = server.Backup(backup.string(), backup_output); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after - kill_after / 2));
    server.Kill();
    killed = true;
    for (std::thread& thread : threads) thread.join();
    if (backing_up.joinable()) backing_up.join();
    if (backup_code != 0) {
      return Fail("round " + std::to_string(round) + ": jingsai backup exited " +
                      std::to_string(backup_code) + ": " + backup_output,
                  server);
    }
    backups += backs_up ? 1 : 0;
    for (size_t i = 0; i < workers.size(); ++i) {
      if (!ok[i])
        return Fail("round " + std::to_string(round) + ": " + workers[i]->failure(), server);
    }

    port = server.Start();
    if (port == 0) return Fail("round " + std::to_string(round) + ": no restart", server);
    for (size_t i = 0; i < workers.size(); ++i) {
      if (!workers[i]->Check(port, tallies[i], kSampledReports)) {
        return Fail("round " + std::to_string(round) + ": " + workers[i]->failure(), server);
      }
    }
    std::vector<std::string> databases = {std::string()};
    if (backs_up) databases.push_back(backup.string());
    for (const std::string& db : databases) {
      std::string verify_output;
      if (int code = server.Verify(verify_output, db); code != 0) {
        return Fail("round " + std::to_string(round) + ": jingsai verify of " +
                        (db.empty() ? "the database" : "the backup") + " exited " +
                        std::to_string(code) + ": " + verify_output,
                    server);
      }
    }
    std::lock_guard<std::mutex> lock(tally_mutex);
    for (const Tally& t : tallies) {
      tally.acknowledged += t.acknowledged;
      tally.refused += t.refused;
      tally.in_flight_kept += t.in_flight_kept;
      tally.in_flight_dropped += t.in_flight_dropped;
      tally.verified += t.verified;
    }
  }
  // At the end every report ever acknowledged is checked once more.
  int64_t final_checked = 0;
  for (std::unique_ptr<Worker>& worker : workers) {
    Tally last;
    if (!worker->Check(port, last, 0, true))
      return Fail("final check: " + worker->failure(), server);
    final_checked += last.verified;
  }
  server.Kill();
  if (int code = RestoreBackup(options.server, dir); code != 0) return code;
  if (int code = TamperAndVerify(server, dir / "crash.db"); code != 0) return code;
  std::cout << "crash test passed: " << options.rounds << " rounds, " << tally.acknowledged
            << " steps acknowledged, " << tally.verified
            << " step checks after restarts (changed reports and a sample of the others), "
            << final_checked << " steps (all acknowledged) present at the end, " << tally.refused
            << " refused steps left nothing, steps in flight at the kill: " << tally.in_flight_kept
            << " committed, " << tally.in_flight_dropped
            << " not; jingsai verify passed after each of " << options.rounds << " rounds and on "
            << backups << " online backups; the last backup restored and served; a report moved "
            << "behind its history was named by jingsai verify\n";
  if (!options.keep) std::filesystem::remove_all(dir);
  return 0;
}
