// jingsai: the command line. `serve` runs the server; `flow validate` checks
// a definition offline; `verify` walks every item's history chain.
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "api/app.h"
#include "api/item_views.h"
#include "api/listener.h"
#include "api/server.h"
#include "engine/flow.h"
#include "engine/flow_diagram.h"
#include "storage/backup.h"
#include "storage/history.h"
#include "storage/sqlite.h"
#include "storage/verify.h"

namespace {

using jingsai::api::App;
using jingsai::api::Config;
using jingsai::api::Server;

// The access log ("api"): a line per request into stdout's buffer, written
// out every second and at once from warnings up. A write(2) per line, as the
// console sink does, was a twentieth of the cost of a small request. It
// shares stdout's FILE with the console logger, so lines stay in order.
class BufferedStdoutSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(message, formatted);
    std::fwrite(formatted.data(), 1, formatted.size(), stdout);
  }
  void flush_() override { std::fflush(stdout); }
};

void SetUpLogging() {
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
  if (!spdlog::get("api")) {
    auto logger = std::make_shared<spdlog::logger>("api", std::make_shared<BufferedStdoutSink>());
    spdlog::initialize_logger(logger);
    logger->flush_on(spdlog::level::warn);
    spdlog::flush_every(std::chrono::seconds(1));
  }
}

bool ParseListen(const std::string& listen, Config& config) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  config.host = listen.substr(0, colon);
  try {
    int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) return false;
    config.port = static_cast<unsigned short>(port);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

// Why the server could not listen on host:port, if it could not: asked
// before the database is opened, so that a start that cannot listen leaves
// no new database behind, nor a first admin password shown only in the log
// of a start that failed.
std::optional<std::string> ListenProblem(const std::string& host, unsigned short port) {
  namespace net = boost::asio;
  boost::system::error_code ec;
  net::ip::address address = net::ip::make_address(host, ec);
  if (ec) return "invalid listen address: " + host;
  net::io_context ioc;
  net::ip::tcp::acceptor probe(ioc);
  ec = jingsai::api::ListenOn(probe, {address, port});
  if (ec) return "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message();
  return std::nullopt;
}

int Serve(Config config, const std::string& listen) {
  if (!ParseListen(listen, config)) {
    std::cerr << "--listen 须为 HOST:PORT，如 127.0.0.1:8080\n";
    return 2;
  }
  if (const char* password = std::getenv("JINGSAI_ADMIN_PASSWORD")) {
    config.admin_password = password;
  }
  if (std::optional<std::string> problem = ListenProblem(config.host, config.port)) {
    spdlog::critical("无法启动：{}", *problem);
    return 1;
  }
  // The single writer and its WAL syncer want a core to themselves: with as
  // many I/O threads as cores they were preempted mid-batch, and on two cores
  // one I/O thread answered a tenth more steps than two (bench/README.md,
  // finding 36).
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int threads = config.threads > 0 ? config.threads : std::max(1, cores - 1);
  jingsai::engine::Result<std::unique_ptr<App>> opened = App::Open(config);
  if (!opened.ok()) {
    spdlog::critical("无法启动：{}", opened.error().message);
    return 1;
  }
  std::unique_ptr<App> app = std::move(opened).value();
  Server server(*app);
  jingsai::engine::Result<unsigned short> port = server.Start(config.host, config.port);
  if (!port.ok()) {
    spdlog::critical("{}", port.error().message);
    return 1;
  }
  spdlog::info("jingsai 已启动：http://{}:{}/ （数据库 {}，{} 个线程）", config.host, port.value(),
               config.db_path, threads);
  server.Run(threads);
  jingsai::storage::Writer::Stats writes = app->writer().stats();
  spdlog::info("写入：{} 个单元，{} 个批次（平均每批 {:.1f} 个），{} 次刷盘，{} 次检查点",
               writes.units, writes.batches,
               writes.batches ? static_cast<double>(writes.units) / writes.batches : 0.0,
               writes.flushes, writes.checkpoints);
  spdlog::info("写入线程保留的事项：命中 {} 次、未命中 {} 次，现存 {} 个", writes.kept.hits,
               writes.kept.misses, writes.kept.kept);
  spdlog::info("写入线程保留的佐证材料清单：命中 {} 次、未命中 {} 次", writes.kept.evidence_hits,
               writes.kept.evidence_misses);
  jingsai::api::ItemViews::Counts views = app->item_views().counts();
  spdlog::info("读取：已渲染的事项命中 {} 次、未命中 {} 次，现存 {} 个（约 {} MB）", views.hits,
               views.misses, views.views, views.bytes >> 20);
  jingsai::storage::GenerationWatch::Counts generations = app->generation_watch().counts();
  spdlog::info("待办页的事项代数：未经数据库 {} 次，读数据库 {} 次", generations.known,
               generations.read);
  // The app's threads (writer, blocking pool) may still hold sessions of the
  // server's io_context: they finish before it goes.
  app.reset();
  spdlog::info("jingsai 已停止");
  return 0;
}

// Reads and parses a definition file; prints every problem and returns
// nullopt when it does not hold together. `exit_code` says why.
std::optional<jingsai::engine::FlowDefinition> LoadFlowFile(const std::string& path,
                                                            int& exit_code) {
  std::error_code ignored;
  std::ifstream file(path);
  if (!file || std::filesystem::is_directory(path, ignored)) {
    std::cerr << "无法读取文件：" << path
              << (std::filesystem::is_directory(path, ignored) ? "（这是一个目录）" : "") << "\n";
    exit_code = 2;
    return std::nullopt;
  }
  std::stringstream text;
  text << file.rdbuf();
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(text.str(), ec);
  exit_code = 1;
  if (ec) {
    std::cout << path << ": 不是有效的 JSON：" << ec.message() << "\n";
    return std::nullopt;
  }
  jingsai::engine::Result<jingsai::engine::FlowDefinition> flow = jingsai::engine::ParseFlow(json);
  if (!flow.ok()) {
    for (const jingsai::engine::Detail& detail : flow.error().details) {
      std::cout << path << ": " << (detail.path.empty() ? "(根)" : detail.path) << ": "
                << detail.message << "\n";
    }
    return std::nullopt;
  }
  exit_code = 0;
  return std::move(flow).value();
}

int ValidateFlowFile(const std::string& path) {
  int exit_code = 0;
  std::optional<jingsai::engine::FlowDefinition> flow = LoadFlowFile(path, exit_code);
  if (flow) {
    std::cout << path << ": 流程定义有效（" << flow->key << "，" << flow->stages.size()
              << " 个阶段）\n";
  }
  return exit_code;
}

int DrawFlowFile(const std::string& path) {
  int exit_code = 0;
  std::optional<jingsai::engine::FlowDefinition> flow = LoadFlowFile(path, exit_code);
  if (flow) std::cout << jingsai::engine::FlowToDot(*flow);
  return exit_code;
}

int Verify(const std::string& db_path) {
  jingsai::storage::Database::Options options;
  options.read_only = true;
  auto db = jingsai::storage::Database::Open(db_path, options);
  if (!db.ok()) {
    std::cerr << db.error().message << "\n";
    return 2;
  }
  jingsai::engine::Result<int64_t> checked = jingsai::storage::VerifyDatabase(*db.value());
  if (!checked.ok()) {
    std::cout << "校验失败：" << checked.error().message << "\n";
    return 1;
  }
  std::cout << "校验通过：" << checked.value()
            << " 个事项的历史链完整，佐证材料与其记录相符，文件与其哈希相符\n";
  return 0;
}

int Backup(const std::string& db_path, const std::string& to) {
  jingsai::engine::Status status = jingsai::storage::BackupDatabase(db_path, to);
  if (!status.ok()) {
    std::cerr << "备份失败：" << status.error().message << "\n";
    return 1;
  }
  std::cout << "已备份到 " << to << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  SetUpLogging();
  CLI::App cli{"劳动竞赛报送审核与评选引擎 (Jingsai)"};
  cli.require_subcommand(1);

  Config config;
  std::string listen = "127.0.0.1:8080";
  CLI::App* serve = cli.add_subcommand("serve", "启动 HTTP 服务");
  serve->add_option("--db", config.db_path, "SQLite 数据库文件")->capture_default_str();
  serve->add_option("--listen", listen, "监听地址 HOST:PORT")->capture_default_str();
  serve->add_option("--threads", config.threads, "I/O 线程数（默认：CPU 核数减一，至少一个）")
      ->check(CLI::PositiveNumber);
  serve->add_flag("--demo", config.demo, "创建演示单位和每种角色各一名用户");
  serve
      ->add_option(
          "--synchronous", config.synchronous,
          "SQLite 同步级别：FULL（默认，应答后的步骤掉电不丢）或 NORMAL（仅供基准测试对比）")
      ->check(CLI::IsMember({"FULL", "NORMAL"}))
      ->capture_default_str();
  size_t item_cache_mb = config.item_cache_bytes >> 20;
  serve->add_option("--item-cache-mb", item_cache_mb, "缓存已渲染事项所用的内存（MB）")
      ->check(CLI::Range(0, 1 << 20))
      ->capture_default_str();
  size_t inbox_cache_mb = config.inbox_cache_bytes >> 20;
  serve
      ->add_option("--inbox-cache-mb", inbox_cache_mb,
                   "缓存审核人待办页所用的内存（MB，0 为不缓存）")
      ->check(CLI::Range(0, 1 << 20))
      ->capture_default_str();

  CLI::App* flow = cli.add_subcommand("flow", "流程定义工具");
  flow->require_subcommand(1);
  std::string flow_file;
  CLI::App* validate = flow->add_subcommand("validate", "离线校验流程定义，列出所有问题");
  validate->add_option("FILE", flow_file, "流程定义 JSON 文件")->required();
  CLI::App* diagram =
      flow->add_subcommand("diagram", "把流程定义画成 Graphviz DOT（输出到标准输出）");
  diagram->add_option("FILE", flow_file, "流程定义 JSON 文件")->required();

  std::string verify_db = "jingsai.db";
  CLI::App* verify = cli.add_subcommand("verify", "校验全部事项的历史哈希链");
  verify->add_option("--db", verify_db, "SQLite 数据库文件")->capture_default_str();

  std::string backup_db = "jingsai.db";
  std::string backup_to;
  CLI::App* backup = cli.add_subcommand("backup", "在服务运行时做一致的在线备份");
  backup->add_option("--db", backup_db, "SQLite 数据库文件")->capture_default_str();
  backup->add_option("--to", backup_to, "备份文件")->required();

  CLI11_PARSE(cli, argc, argv);
  if (serve->parsed()) {
    config.item_cache_bytes = item_cache_mb << 20;
    config.inbox_cache_bytes = inbox_cache_mb << 20;
    return Serve(config, listen);
  }
  if (validate->parsed()) return ValidateFlowFile(flow_file);
  if (diagram->parsed()) return DrawFlowFile(flow_file);
  if (verify->parsed()) return Verify(verify_db);
  if (backup->parsed()) return Backup(backup_db, backup_to);
  return 0;
}
