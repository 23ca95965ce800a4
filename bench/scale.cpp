// jingsai-scale: builds a large database through the engine's own write
// path — the same functions the HTTP handlers run inside the writer's
// transaction (create, attach evidence, submit, approve), so every report
// has its hash-chained history, its evidence and, once approved, its share
// of the campaign's progress totals. Many reports per transaction.
//
// Reports are spread over 13 counties and `--units` units; by id they cycle
// through the stages: 10% draft, 40% county_review, 25% city_review, 25%
// approved. It also creates the users jingsai-load's scale phase signs in
// as: scale-county (reviewer at shizhong) and scale-city (reviewer at the
// city), with the password given.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "api/app.h"
#include "api/auth.h"
#include "api/handlers/stage_entry.h"
#include "engine/validators.h"
#include "storage/evidence.h"
#include "storage/items.h"
#include "storage/orgs.h"
#include "storage/sha256.h"
#include "storage/users.h"

namespace {

using jingsai::api::App;
namespace engine = jingsai::engine;
namespace storage = jingsai::storage;

constexpr std::string_view kPdf = "%PDF-1.4\n%%EOF\n";

struct Cast {
  std::vector<const engine::Org*> units;
  std::vector<engine::Actor> submitters;             // per unit
  std::map<int64_t, engine::Actor> county_reviewer;  // by county id
  engine::Actor city_reviewer;
};

void Check(const engine::Status& status, std::string_view what) {
  if (!status.ok()) {
    throw std::runtime_error(std::string(what) + ": " + status.error().message);
  }
}

engine::Actor AddUser(storage::Database& db, const std::string& username, const std::string& role,
                      int64_t org_id, const std::string& password_hash, const std::string& at) {
  storage::UserRecord user{0, username, username, password_hash, false, at, {{role, org_id}}};
  engine::Result<int64_t> id = storage::InsertUser(db, user);
  if (!id.ok()) throw std::runtime_error("user " + username + ": " + id.error().message);
  return engine::Actor{id.value(), username, user.roles};
}

// The units, one submitter each, a reviewer per county and one at the city.
Cast MakeCast(App& app, int unit_count, const std::string& password) {
  Cast cast;
  std::string hash = jingsai::api::HashPassword(password);
  std::string at = app.NowText();
  std::shared_ptr<const engine::OrgTree> tree = app.catalog().orgs();
  std::vector<const engine::Org*> counties;
  const engine::Org* root = nullptr;
  for (const engine::Org& org : tree->All()) {
    if (org.level == engine::OrgLevel::kCounty) counties.push_back(&org);
    if (!org.parent_id) root = &org;
  }
  if (counties.size() != 13 || root == nullptr) throw std::runtime_error("expected 13 counties");
  std::vector<engine::Org> created;
  Check(app.writer().RunSync([&](storage::Database& db) -> engine::Status {
    for (int u = 0; u < unit_count; ++u) {
      const engine::Org* county = counties[static_cast<size_t>(u) % counties.size()];
      engine::Org org{0, "scale-u" + std::to_string(u), "规模测试单位" + std::to_string(u) + "工会",
                      engine::OrgLevel::kUnit, county->id};
      engine::Result<int64_t> id = storage::InsertOrg(db, org, at);
      if (!id.ok()) return std::move(id).error();
      org.id = id.value();
      created.push_back(org);
      cast.submitters.push_back(
          AddUser(db, "scale-s" + std::to_string(u), "submitter", org.id, hash, at));
    }
    for (const engine::Org* county : counties) {
      cast.county_reviewer[county->id] =
          AddUser(db, "scale-r-" + county->code, "reviewer", county->id, hash, at);
    }
    cast.city_reviewer = AddUser(db, "scale-city", "reviewer", root->id, hash, at);
    AddUser(db, "scale-county", "reviewer", tree->FindByCode("shizhong")->id, hash, at);
    return engine::Ok{};
  }),
        "cast");
  for (const engine::Org& org : created) app.catalog().AddOrg(org);
  for (const engine::Org& org : created) {
    cast.units.push_back(app.catalog().orgs()->FindByCode(org.code));
  }
  return cast;
}

boost::json::value ReportData(int64_t n) {
  return {{"indicators",
           {{"proposals_submitted", 20 + n % 200}, {"proposals_implemented", 10 + n % 100}}},
          {"competitions", {"tech_innovation"}},
          {"narrative", "本单位开展了职工技术创新活动，合理化建议数量大幅增加，取得了显著成效。"}};
}

// One report of unit `unit`, walked to the stage its number calls for.
engine::Status MakeReport(App& app, storage::Database& db, const Cast& cast, int64_t n,
                          const engine::EvidenceInfo& pdf) {
  size_t u = static_cast<size_t>(n) % cast.units.size();
  const engine::Org& unit = *cast.units[u];
  const engine::Actor& submitter = cast.submitters[u];
  storage::FlowPtr flow = app.catalog().LatestFlow("report-county");
  std::shared_ptr<const engine::OrgTree> orgs = app.catalog().orgs();
  storage::ItemRecord item;
  item.kind = storage::kKindSubmission;
  item.campaign = "leshan-2014";
  item.flow_key = flow->key;
  item.flow_version = flow->version;
  item.title = "2014年劳动竞赛总结 " + std::to_string(n);
  item.last_action = "create";
  item.org_path = orgs->PathOf(unit.id);
  item.county_scope_id = orgs->CountyScopeOf(unit.id);
  item.instance.org_id = unit.id;
  item.instance.created_by = submitter.user_id;
  item.instance.stage = flow->start;
  item.instance.status = engine::StatusFor(*flow, item.instance.stage, "create");
  item.instance.version = 1;
  item.instance.data = ReportData(n);
  engine::Result<jingsai::api::Response> created =
      jingsai::api::InsertNewItem(app, db, item, *flow, submitter, "/api/v1/submissions");
  if (!created.ok()) return std::move(created).error();
  int64_t id = db.LastInsertId();
  for (const auto& [name, value] : created->headers) {
    if (name == "Location") id = std::stoll(value.substr(value.rfind('/') + 1));
  }
  engine::Result<std::optional<storage::ItemRecord>> loaded = storage::LoadItem(db, id);
  if (!loaded.ok()) return std::move(loaded).error();
  storage::EvidenceRecord evidence{0, id, pdf, app.NowText(), submitter.user_id};
  if (engine::Result<int64_t> added = storage::InsertEvidence(db, evidence); !added.ok()) {
    return std::move(added).error();
  }
  if (engine::Status step = jingsai::api::RecordEvidenceStep(
          app, db, *loaded.value(), submitter, "attach", pdf.filename + " (" + pdf.sha256 + ")");
      !step.ok()) {
    return step;
  }
  int phase = static_cast<int>(n % 20);
  std::vector<std::pair<std::string, const engine::Actor*>> steps;
  if (phase >= 2) steps.push_back({"submit", &submitter});
  if (phase >= 10) steps.push_back({"approve", &cast.county_reviewer.at(item.county_scope_id)});
  if (phase >= 15) steps.push_back({"approve", &cast.city_reviewer});
  for (const auto& [action, actor] : steps) {
    engine::Command command;
    command.action = action;
    engine::Result<jingsai::api::Response> moved = jingsai::api::ApplyAction(
        app, db, id, storage::kKindSubmission, command, *actor, jingsai::api::IfMatch());
    if (!moved.ok()) return std::move(moved).error();
  }
  return engine::Ok{};
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "scale.db";
  int64_t reports = 1000000;
  int units = 3000;
  int batch = 2000;
  std::string password = "scale-password";
  CLI::App cli{"jingsai-scale: a large database through the engine's write path"};
  cli.add_option("--db", path, "database file (replaced)")->capture_default_str();
  cli.add_option("--reports", reports)->capture_default_str();
  cli.add_option("--units", units)->capture_default_str();
  cli.add_option("--batch", batch, "reports per transaction")->capture_default_str();
  cli.add_option("--password", password, "for the scale-* users")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  try {
    for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
      std::filesystem::remove(file);
    }
    auto start = std::chrono::steady_clock::now();
    jingsai::api::UseMinimalPasswordCostForTests();  // only the scale users' hashes
    jingsai::api::Config config;
    config.db_path = path;
    config.admin_password = password;
    engine::Result<std::unique_ptr<App>> opened = App::Open(config);
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    App& app = *opened.value();
    Cast cast = MakeCast(app, units, password);

    engine::EvidenceInfo pdf{
        storage::Sha256Hex(kPdf),         "summary.pdf", "document", "", "application/pdf",
        static_cast<int64_t>(kPdf.size())};
    Check(app.writer().RunSync([&](storage::Database& db) {
      return storage::PutBlob(db, pdf.sha256, kPdf, pdf.content_type, app.NowText());
    }),
          "blob");
    for (int64_t first = 0; first < reports; first += batch) {
      int64_t last = std::min(reports, first + batch);
      Check(app.writer().RunSync([&](storage::Database& db) -> engine::Status {
        for (int64_t n = first; n < last; ++n) {
          if (engine::Status made = MakeReport(app, db, cast, n, pdf); !made.ok()) return made;
        }
        return engine::Ok{};
      }),
            "reports");
      if ((last / batch) % 50 == 0 || last == reports) {
        std::fprintf(
            stderr, "%lld reports, %.0f s\n", static_cast<long long>(last),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    opened.value().reset();
    std::printf("generated %lld reports over 13 counties and %d units in %.1f s (%.0f reports/s)\n",
                static_cast<long long>(reports), units, seconds,
                static_cast<double>(reports) / seconds);
    std::printf("RESULT phase=scale-generate reports=%lld seconds=%.1f db_bytes=%lld\n",
                static_cast<long long>(reports), seconds,
                static_cast<long long>(std::filesystem::file_size(path)));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jingsai-scale: %s\n", e.what());
    return 1;
  }
  return 0;
}
