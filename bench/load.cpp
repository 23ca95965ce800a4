// jingsai-load: drives a running server over HTTP with N keep-alive
// connections and prints rates and latencies per phase:
//   healthz  GET /healthz, the HTTP stack's ceiling
//   item     GET one report (authenticated, visibility checked)
//   inbox    GET /api/v1/tasks of a county reviewer
//   writes   the review mix: county reviewers approve, the city returns with a
//            comment, submitters create, attach evidence and submit
//   scale    one connection, the read endpoints on a database made by
//            jingsai-scale (inbox, filtered lists, one item, its history,
//            progress)
// It prepares its own units, users and reports through the API as admin.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "bench/client.h"

namespace jingsai::bench {
namespace {

const std::vector<std::string> kCounties = {
    "shizhong", "shawan", "wutongqiao", "jinkouhe", "qianwei", "jingyan", "jiajiang",
    "muchuan",  "ebian",  "mabian",     "emeishan", "gaoxin",  "jingqu"};
constexpr std::string_view kPassword = "bench-password-1";
constexpr std::string_view kPdf = "%PDF-1.4\n%%EOF\n";

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::string admin_password;
  int connections = 32;
  double seconds = 10;
  double warmup = 1;
  int units = 26;
  int items_per_worker = 16;
  int submitter_every = 8;  // every k-th writer connection is a submitter
  std::string phases = "healthz,item,inbox,writes";
  double sqlite_ceiling = 0;  // transactions/s of jingsai-sqlite-ceiling, for the ratio
  std::string scale_password = "scale-password";
  int scale_samples = 200;
  int server_pid = 0;  // to report the server's CPU per request
};

struct Fixture {
  std::vector<std::string> units;             // unit codes
  std::vector<std::string> county_tokens;     // one reviewer per county
  std::string city_token;                     // the city reviewer
  std::vector<std::string> submitter_tokens;  // one per unit
  std::vector<std::vector<int64_t>> items;    // per writer connection
};

struct PhaseResult {
  std::string name;
  double rate = 0;  // ok requests (or transitions) per second
  double writes_rate = 0;
  double p50 = 0, p99 = 0, p999 = 0;
  uint64_t failed = 0;
  double cpu_us = 0;       // server CPU per request of the phase (0: not measured)
  double load_cpu_us = 0;  // this generator's own CPU per request
};

// The server's CPU time so far (user + system), from /proc; 0 without a pid.
double ServerCpuSeconds(int pid) {
  if (pid <= 0) return 0;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t close = text.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// This process's CPU time so far (user + system): the generator shares the
// machine's cores with the server, and when it needs a whole core the phase
// measures the generator rather than the server.
double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

tcp::endpoint Endpoint(const Options& options) {
  return {net::ip::make_address(options.host), options.port};
}

int64_t IdOf(const Reply& reply) {
  return boost::json::parse(reply.body).as_object().at("id").as_int64();
}

std::string ReportBody(const std::string& unit) {
  boost::json::object data{
      {"indicators", {{"proposals_submitted", 120}, {"proposals_implemented", 80}}},
      {"competitions", {"tech_innovation"}},
      {"narrative", "本单位开展了职工技术创新活动，合理化建议数量大幅增加，取得了显著成效。"}};
  return boost::json::serialize(boost::json::object{
      {"campaign", "leshan-2014"}, {"org", unit}, {"title", "基准测试报告"}, {"data", data}});
}

void Expect(const Reply& reply, int status, std::string_view what) {
  if (reply.status != status) {
    throw std::runtime_error(std::string(what) + ": HTTP " + std::to_string(reply.status) + " " +
                             reply.body.substr(0, 300));
  }
}

// Runs `count` coroutines made by `make(executor, index)` to completion on one
// thread; the first exception ends the run.
template <typename Make>
void RunAll(int count, Make make) {
  net::io_context ioc;
  for (int i = 0; i < count; ++i) {
    net::co_spawn(ioc, make(ioc.get_executor(), i), [](std::exception_ptr error) {
      if (error) std::rethrow_exception(error);
    });
  }
  ioc.run();
}

net::awaitable<std::string> Login(Connection& connection, std::string_view username,
                                  std::string_view password) {
  boost::json::object body{{"username", username}, {"password", password}};
  Reply reply = co_await connection.Send(http::verb::post, "/api/v1/auth/login", "",
                                         boost::json::serialize(body));
  Expect(reply, 200, "login " + std::string(username));
  co_return std::string(boost::json::parse(reply.body).at("token").as_string());
}

// Measures one request into `recorder` when it starts inside the window.
net::awaitable<Reply> Timed(Connection& connection, Recorder* recorder,
                            SteadyClock::time_point measure_from, http::verb verb,
                            std::string_view target, std::string_view token, std::string body = {},
                            std::string_view type = "application/json") {
  SteadyClock::time_point start = SteadyClock::now();
  Reply reply = co_await connection.Send(verb, target, token, std::move(body), type);
  if (recorder != nullptr) recorder->sent += 1;
  if (recorder != nullptr && start >= measure_from) {
    recorder->micros.push_back(static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start).count()));
    (reply.status / 100 == 2 ? recorder->ok : recorder->failed) += 1;
  }
  co_return reply;
}

// Creates a report of `unit`, attaches a PDF and submits it; returns its id.
net::awaitable<int64_t> SubmitReport(Connection& connection, const std::string& token,
                                     const std::string& unit, Recorder* recorder = nullptr,
                                     SteadyClock::time_point measure_from = {}) {
  Reply created = co_await Timed(connection, recorder, measure_from, http::verb::post,
                                 "/api/v1/submissions", token, ReportBody(unit));
  Expect(created, 201, "create report");
  std::string base = "/api/v1/submissions/" + std::to_string(IdOf(created));
  Reply attached = co_await Timed(connection, recorder, measure_from, http::verb::post,
                                  base + "/evidence?kind=document&filename=summary.pdf", token,
                                  std::string(kPdf), "application/pdf");
  Expect(attached, 201, "attach evidence");
  SteadyClock::time_point submit_start = SteadyClock::now();
  Reply submitted = co_await Timed(connection, recorder, measure_from, http::verb::post,
                                   base + "/actions", token, R"({"action":"submit"})");
  Expect(submitted, 200, "submit");
  if (recorder != nullptr && submit_start >= measure_from) recorder->transitions += 1;
  co_return IdOf(submitted);
}

bool IsSubmitter(const Options& options, int connection) {
  return options.submitter_every > 0 && connection % options.submitter_every == 0;
}

// Units and users with a run-specific prefix (so runs can share a
// database), their tokens, and reports awaiting the county for every writer.
Fixture Prepare(const Options& options) {
  Fixture fixture;
  std::string prefix = "b" + std::to_string(std::time(nullptr) % 10000000) + "-";
  std::string admin;
  RunAll(1, [&](net::any_io_executor executor, int) -> net::awaitable<void> {
    Connection connection(executor);
    co_await connection.Connect(Endpoint(options));
    admin = co_await Login(connection, "admin", options.admin_password);
    for (int u = 0; u < options.units; ++u) {
      std::string code = prefix + "u" + std::to_string(u);
      boost::json::object org{{"code", code},
                              {"name", "基准测试单位" + std::to_string(u) + "工会"},
                              {"level", "unit"},
                              {"parent", kCounties[static_cast<size_t>(u) % kCounties.size()]}};
      Expect(co_await connection.Send(http::verb::post, "/api/v1/orgs", admin,
                                      boost::json::serialize(org)),
             201, "create unit");
      fixture.units.push_back(code);
    }
  });
  // username -> (role, org); created and signed in concurrently (password
  // hashing is the slow part, and the server does it off its I/O threads).
  std::vector<std::tuple<std::string, std::string, std::string>> users;
  for (const std::string& county : kCounties)
    users.push_back({prefix + county, "reviewer", county});
  users.push_back({prefix + "city", "reviewer", "leshan"});
  for (const std::string& unit : fixture.units) users.push_back({unit + "-s", "submitter", unit});
  std::vector<std::string> tokens(users.size());
  RunAll(static_cast<int>(users.size()),
         [&](net::any_io_executor executor, int i) -> net::awaitable<void> {
           const auto& [username, role, org] = users[static_cast<size_t>(i)];
           Connection connection(executor);
           co_await connection.Connect(Endpoint(options));
           boost::json::object user{{"username", username},
                                    {"password", kPassword},
                                    {"display_name", "基准测试" + username},
                                    {"roles", {{{"role", role}, {"org", org}}}}};
           Expect(co_await connection.Send(http::verb::post, "/api/v1/users", admin,
                                           boost::json::serialize(user)),
                  201, "create user");
           tokens[static_cast<size_t>(i)] = co_await Login(connection, username, kPassword);
         });
  fixture.county_tokens.assign(tokens.begin(), tokens.begin() + 13);
  fixture.city_token = tokens[13];
  fixture.submitter_tokens.assign(tokens.begin() + 14, tokens.end());
  fixture.items.resize(static_cast<size_t>(options.connections));
  RunAll(options.connections, [&](net::any_io_executor executor, int w) -> net::awaitable<void> {
    if (IsSubmitter(options, w)) co_return;
    Connection connection(executor);
    co_await connection.Connect(Endpoint(options));
    size_t unit = static_cast<size_t>(w) % fixture.units.size();
    for (int k = 0; k < options.items_per_worker; ++k) {
      fixture.items[static_cast<size_t>(w)].push_back(
          co_await SubmitReport(connection, fixture.submitter_tokens[unit], fixture.units[unit]));
    }
  });
  return fixture;
}

// One operation of a phase's worker; records into the recorder.
using Operation = std::function<net::awaitable<void>(Connection&, Recorder&,
                                                     SteadyClock::time_point measure_from)>;

PhaseResult RunPhase(const Options& options, std::string name,
                     const std::function<Operation(int)>& operation_of, bool count_transitions) {
  std::vector<Recorder> recorders(static_cast<size_t>(options.connections));
  double cpu_before = ServerCpuSeconds(options.server_pid);
  double own_cpu_before = OwnCpuSeconds();
  SteadyClock::time_point begin = SteadyClock::now();
  auto measure_from = begin + std::chrono::duration_cast<SteadyClock::duration>(
                                  std::chrono::duration<double>(options.warmup));
  auto end = measure_from + std::chrono::duration_cast<SteadyClock::duration>(
                                std::chrono::duration<double>(options.seconds));
  RunAll(options.connections, [&](net::any_io_executor executor, int w) -> net::awaitable<void> {
    Recorder& recorder = recorders[static_cast<size_t>(w)];
    Operation operation = operation_of(w);
    try {
      Connection connection(executor);
      co_await connection.Connect(Endpoint(options));
      while (SteadyClock::now() < end) co_await operation(connection, recorder, measure_from);
    } catch (const std::exception& e) {
      std::cerr << name << " connection " << w << ": " << e.what() << "\n";
      recorder.failed += 1;
    }
  });
  double cpu = ServerCpuSeconds(options.server_pid) - cpu_before;
  double own_cpu = OwnCpuSeconds() - own_cpu_before;
  Recorder all;
  for (const Recorder& recorder : recorders) all.Merge(recorder);
  PhaseResult result{std::move(name)};
  if (options.server_pid > 0 && all.sent > 0) {
    result.cpu_us = cpu * 1e6 /
                    static_cast<double>(count_transitions ? all.transitions * all.sent /
                                                                std::max<uint64_t>(all.ok, 1)
                                                          : all.sent);
  }
  if (all.sent > 0) result.load_cpu_us = own_cpu * 1e6 / static_cast<double>(all.sent);
  uint64_t counted = count_transitions ? all.transitions : all.ok;
  result.rate = static_cast<double>(counted) / options.seconds;
  result.writes_rate = static_cast<double>(all.ok) / options.seconds;
  result.p50 = PercentileMs(all.micros, 0.5);
  result.p99 = PercentileMs(all.micros, 0.99);
  result.p999 = PercentileMs(all.micros, 0.999);
  result.failed = all.failed;
  return result;
}

// A GET of a fixed target with a fixed token, expecting 200.
Operation Get(std::string target, std::string token) {
  return [target = std::move(target), token = std::move(token)](
             Connection& connection, Recorder& recorder,
             SteadyClock::time_point measure_from) -> net::awaitable<void> {
    co_await Timed(connection, &recorder, measure_from, http::verb::get, target, token);
  };
}

// The review mix of writer connection `w`: a reviewer connection walks its
// reports round by round, the county approving each and the city returning
// each with a comment; a submitter connection files new reports.
Operation WriteMix(const Options& options, const Fixture& fixture, int w) {
  size_t unit = static_cast<size_t>(w) % fixture.units.size();
  if (IsSubmitter(options, w)) {
    std::string token = fixture.submitter_tokens[unit];
    std::string code = fixture.units[unit];
    return [token, code](Connection& connection, Recorder& recorder,
                         SteadyClock::time_point measure_from) -> net::awaitable<void> {
      co_await SubmitReport(connection, token, code, &recorder, measure_from);
    };
  }
  struct State {
    size_t next = 0;
    bool approving = true;
  };
  auto state = std::make_shared<State>();
  const std::vector<int64_t>* items = &fixture.items[static_cast<size_t>(w)];
  std::string county = fixture.county_tokens[unit % kCounties.size()];
  std::string city = fixture.city_token;
  return [items, state, county, city](
             Connection& connection, Recorder& recorder,
             SteadyClock::time_point measure_from) -> net::awaitable<void> {
    std::string target =
        "/api/v1/submissions/" + std::to_string((*items)[state->next]) + "/actions";
    bool approving = state->approving;
    if (++state->next == items->size()) {
      state->next = 0;
      state->approving = !state->approving;
    }
    SteadyClock::time_point start = SteadyClock::now();
    Reply reply = co_await Timed(
        connection, &recorder, measure_from, http::verb::post, target, approving ? county : city,
        approving ? R"({"action":"approve"})"
                  : R"({"action":"return","to":"county_review","comment":"请补充佐证材料"})");
    if (reply.status == 200 && start >= measure_from) recorder.transitions += 1;
    if (reply.status != 200) throw std::runtime_error("step: HTTP " + std::to_string(reply.status));
  };
}

void Print(const std::vector<PhaseResult>& results, const Options& options) {
  std::printf("\n%-14s %12s %12s %9s %9s %9s %8s %10s %10s\n", "phase", "rate/s", "requests/s",
              "p50 ms", "p99 ms", "p99.9 ms", "failed", "server-cpu", "load-cpu");
  std::map<std::string, double> rates;
  for (const PhaseResult& r : results) {
    std::printf("%-14s %12.0f %12.0f %9.2f %9.2f %9.2f %8llu %8.0fus %8.0fus\n", r.name.c_str(),
                r.rate, r.writes_rate, r.p50, r.p99, r.p999,
                static_cast<unsigned long long>(r.failed), r.cpu_us, r.load_cpu_us);
    rates[r.name] = r.rate;
  }
  std::printf(
      "(writes: rate = durable transitions/s, requests/s = every answered write; server-cpu =\n"
      " the server's CPU time per request, per transition for writes: steadier than rates on a\n"
      " shared machine; load-cpu = this generator's CPU per request, on the same cores)\n");
  if (rates.count("healthz") && rates["healthz"] > 0) {
    for (std::string_view read : {"item", "inbox"}) {
      if (rates.count(std::string(read))) {
        std::printf("ratio %s / healthz = %.2f\n", std::string(read).c_str(),
                    rates[std::string(read)] / rates["healthz"]);
      }
    }
  }
  if (rates.count("writes") && options.sqlite_ceiling > 0) {
    std::printf("ratio writes / sqlite one-commit-per-step = %.2f\n",
                rates["writes"] / options.sqlite_ceiling);
  }
  for (const PhaseResult& r : results) {
    std::printf(
        "RESULT phase=%s rate=%.0f requests=%.0f p50=%.3f p99=%.3f p999=%.3f failed=%llu "
        "cpu_us=%.0f load_cpu_us=%.0f\n",
        r.name.c_str(), r.rate, r.writes_rate, r.p50, r.p99, r.p999,
        static_cast<unsigned long long>(r.failed), r.cpu_us, r.load_cpu_us);
  }
}

// The read endpoints on a jingsai-scale database, one request at a time
// (latency without queueing), `samples` of each after a few warm-ups.
std::vector<PhaseResult> RunScale(const Options& options, int64_t reports) {
  std::vector<PhaseResult> results;
  RunAll(1, [&](net::any_io_executor executor, int) -> net::awaitable<void> {
    Connection connection(executor);
    co_await connection.Connect(Endpoint(options));
    std::string county = co_await Login(connection, "scale-county", options.scale_password);
    std::string city = co_await Login(connection, "scale-city", options.scale_password);
    struct Probe {
      std::string name;
      std::string token;
      std::function<std::string(int)> target;
    };
    auto fixed = [](std::string target) { return [target](int) { return target; }; };
    auto item = [reports](int k) {
      return "/api/v1/submissions/" + std::to_string(1 + (int64_t{k} * 7919) % reports);
    };
    std::vector<Probe> probes = {
        {"inbox-county", county, fixed("/api/v1/tasks")},
        {"inbox-city", city, fixed("/api/v1/tasks")},
        {"list-county", county, fixed("/api/v1/submissions?stage=county_review")},
        {"list-city", city,
         fixed("/api/v1/submissions?campaign=leshan-2014&stage=city_review&org=jiajiang")},
        {"list-city-all", city, fixed("/api/v1/submissions")},
        {"list-unit", city, fixed("/api/v1/submissions?org=scale-u7")},
        {"item", city, item},
        {"history", city, [item](int k) { return item(k) + "/history"; }},
        {"progress", city, fixed("/api/v1/campaigns/leshan-2014/progress")},
    };
    for (const Probe& probe : probes) {
      Recorder recorder;
      for (int k = 0; k < 5; ++k) {
        co_await connection.Send(http::verb::get, probe.target(k), probe.token);
      }
      for (int k = 0; k < options.scale_samples; ++k) {
        co_await Timed(connection, &recorder, {}, http::verb::get, probe.target(k), probe.token);
      }
      PhaseResult result{probe.name};
      result.failed = recorder.failed;
      result.p50 = PercentileMs(recorder.micros, 0.5);
      result.p99 = PercentileMs(recorder.micros, 0.99);
      result.p999 = PercentileMs(recorder.micros, 1.0);  // the slowest
      results.push_back(result);
    }
  });
  return results;
}

}  // namespace
}  // namespace jingsai::bench

int main(int argc, char** argv) {
  using namespace jingsai::bench;
  Options options;
  int64_t scale_reports = 0;
  CLI::App cli{"jingsai-load: HTTP load against a running jingsai server"};
  cli.add_option("--host", options.host)->capture_default_str();
  cli.add_option("--port", options.port)->capture_default_str();
  cli.add_option("--admin-password", options.admin_password, "the admin's password");
  cli.add_option("--connections,-c", options.connections)->capture_default_str();
  cli.add_option("--seconds", options.seconds, "measured seconds per phase")->capture_default_str();
  cli.add_option("--warmup", options.warmup, "unmeasured seconds per phase")->capture_default_str();
  cli.add_option("--units", options.units, "units (with a submitter each) to create")
      ->capture_default_str();
  cli.add_option("--items-per-connection", options.items_per_worker)->capture_default_str();
  cli.add_option("--submitter-every", options.submitter_every,
                 "every k-th writer connection files new reports (0: none)")
      ->capture_default_str();
  cli.add_option("--phases", options.phases, "healthz,item,inbox,writes or scale")
      ->capture_default_str();
  cli.add_option("--sqlite-ceiling", options.sqlite_ceiling,
                 "jingsai-sqlite-ceiling's transactions/s, for the ratio");
  cli.add_option("--scale-reports", scale_reports, "reports in the scale database");
  cli.add_option("--scale-password", options.scale_password)->capture_default_str();
  cli.add_option("--scale-samples", options.scale_samples)->capture_default_str();
  cli.add_option("--server-pid", options.server_pid,
                 "the server's process id, to report its CPU time per request");
  CLI11_PARSE(cli, argc, argv);

  try {
    std::vector<PhaseResult> results;
    std::set<std::string> phases;
    std::stringstream list(options.phases);
    for (std::string phase; std::getline(list, phase, ',');) phases.insert(phase);
    if (phases.count("scale")) {
      results = RunScale(options, std::max<int64_t>(1, scale_reports));
      std::printf("\n%-14s %9s %9s %9s %8s   (one connection, %d requests each)\n", "probe",
                  "p50 ms", "p99 ms", "max ms", "failed", options.scale_samples);
      for (const PhaseResult& r : results) {
        std::printf("%-14s %9.2f %9.2f %9.2f %8llu\n", r.name.c_str(), r.p50, r.p99, r.p999,
                    static_cast<unsigned long long>(r.failed));
      }
      for (const PhaseResult& r : results) {
        std::printf("RESULT phase=%s p50=%.3f p99=%.3f max=%.3f failed=%llu\n", r.name.c_str(),
                    r.p50, r.p99, r.p999, static_cast<unsigned long long>(r.failed));
      }
      return 0;
    }
    SteadyClock::time_point prepare_start = SteadyClock::now();
    bool needs_fixture = phases.count("item") || phases.count("inbox") || phases.count("writes");
    Fixture fixture = needs_fixture ? Prepare(options) : Fixture{};
    if (needs_fixture)
      std::printf("prepared %zu units, %zu users, %d connections in %.1f s\n", fixture.units.size(),
                  fixture.submitter_tokens.size() + 14, options.connections,
                  std::chrono::duration<double>(SteadyClock::now() - prepare_start).count());
    std::fflush(stdout);
    auto reader_of = [&](int w) {
      return fixture
          .county_tokens[static_cast<size_t>(w) % fixture.units.size() % kCounties.size()];
    };
    auto an_item_of = [&](int w) {
      for (int k = 0; k < options.connections; ++k) {
        const auto& items = fixture.items[static_cast<size_t>((w + k) % options.connections)];
        if (!items.empty()) return std::pair{items.front(), (w + k) % options.connections};
      }
      throw std::runtime_error("no reports prepared");
    };
    if (phases.count("healthz")) {
      results.push_back(RunPhase(
          options, "healthz", [](int) { return Get("/healthz", ""); }, false));
    }
    if (phases.count("item")) {
      results.push_back(RunPhase(
          options, "item",
          [&](int w) {
            auto [id, owner] = an_item_of(w);
            return Get("/api/v1/submissions/" + std::to_string(id), reader_of(owner));
          },
          false));
    }
    if (phases.count("inbox")) {
      results.push_back(RunPhase(
          options, "inbox", [&](int w) { return Get("/api/v1/tasks", reader_of(w)); }, false));
    }
    if (phases.count("writes")) {
      results.push_back(RunPhase(
          options, "writes", [&](int w) { return WriteMix(options, fixture, w); }, true));
    }
    Print(results, options);
  } catch (const std::exception& e) {
    std::cerr << "jingsai-load: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
