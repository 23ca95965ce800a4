#include "api/bootstrap.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "api/auth.h"
#include "engine/flow.h"
#include "storage/definitions.h"
#include "storage/orgs.h"
#include "storage/users.h"
#include "workflows/builtin.h"

namespace jingsai::api {
namespace {

boost::json::value BuiltinJson(std::string_view name) {
  for (const workflows::EmbeddedFile& file : workflows::BuiltinFiles()) {
    if (file.name == name) return boost::json::parse(file.contents);
  }
  throw std::logic_error("missing built-in file " + std::string(name));
}

// Returns from the enclosing function when `expr` (a Status) failed.
#define JINGSAI_TRY(expr)              \
  do {                                 \
    engine::Status status_ = (expr);   \
    if (!status_.ok()) return status_; \
  } while (0)

engine::Status AsStatus(const engine::Result<int64_t>& result) {
  if (!result.ok()) return result.error();
  return engine::Ok{};
}

engine::Status LoadBuiltins(storage::Database& db, const std::string& now) {
  engine::Result<engine::OrgTree> existing = storage::LoadOrgs(db);
  if (!existing.ok()) return std::move(existing).error();
  if (existing->Root() != nullptr) return engine::Ok{};

  const boost::json::object tree = BuiltinJson("leshan-orgs.json").as_object();
  const boost::json::object& root = tree.at("root").as_object();
  engine::Result<int64_t> root_id = storage::InsertOrg(
      db,
      {0, std::string(root.at("code").as_string()), std::string(root.at("name").as_string()),
       engine::OrgLevel::kCity, std::nullopt},
      now);
  JINGSAI_TRY(AsStatus(root_id));
  for (const boost::json::value& county : tree.at("counties").as_array()) {
    const boost::json::object& entry = county.as_object();
    JINGSAI_TRY(AsStatus(storage::InsertOrg(
        db,
        {0, std::string(entry.at("code").as_string()), std::string(entry.at("name").as_string()),
         engine::OrgLevel::kCounty, root_id.value()},
        now)));
  }
  for (std::string_view name :
       {"report-county.json", "report-city-direct.json", "commendation.json"}) {
    boost::json::value json = BuiltinJson(name);
    engine::Result<engine::FlowDefinition> flow = engine::ParseFlow(json);
    if (!flow.ok()) {
      return engine::Error::Internal(
          "built-in flow " + std::string(name) + " is invalid: " +
          (flow.error().details.empty()
               ? flow.error().message
               : flow.error().details.front().path + " " + flow.error().details.front().message));
    }
    engine::Result<int> version =
        storage::InsertFlowVersion(db, flow->key, boost::json::serialize(json), now, std::nullopt);
    if (!version.ok()) return std::move(version).error();
  }
  boost::json::value campaign = BuiltinJson("leshan-2014.json");
  return storage::InsertCampaign(db, campaign.at("key").as_string(),
                                 boost::json::serialize(campaign), now);
}

engine::Result<int64_t> OrgId(storage::Database& db, std::string_view code) {
  engine::Result<engine::OrgTree> orgs = storage::LoadOrgs(db);
  if (!orgs.ok()) return std::move(orgs).error();
  const engine::Org* org = orgs->FindByCode(code);
  if (org == nullptr) return engine::Error::Internal("missing org " + std::string(code));
  return org->id;
}

engine::Status CreateUser(storage::Database& db, const std::string& username,
                          const std::string& display_name, const std::string& password,
                          std::vector<engine::RoleBinding> roles, const std::string& now) {
  storage::UserRecord user;
  user.username = username;
  user.display_name = display_name;
  user.password_hash = HashPassword(password);
  user.created_at = now;
  user.roles = std::move(roles);
  return AsStatus(storage::InsertUser(db, user));
}

engine::Status CreateAdmin(storage::Database& db, const BootstrapOptions& options) {
  engine::Result<int64_t> users = storage::CountUsers(db);
  if (!users.ok()) return std::move(users).error();
  if (users.value() > 0) return engine::Ok{};
  engine::Result<int64_t> root = OrgId(db, "leshan");
  if (!root.ok()) return std::move(root).error();
  std::string password = options.admin_password;
  if (password.empty()) {
    password = NewPassword();
    // Logged once, on the start that creates the admin; never again.
    spdlog::warn("已创建管理员 admin，初始密码：{}（请登录后妥善保管）", password);
  }
  return CreateUser(db, "admin", "系统管理员", password, {{"admin", root.value()}}, options.now);
}

struct DemoUnit {
  const char* code;
  const char* name;
  const char* parent;
};
struct DemoUser {
  const char* username;
  const char* display_name;
  const char* role;
  const char* org;
};

engine::Status CreateDemo(storage::Database& db, const std::string& now) {
  engine::Result<std::optional<storage::UserRecord>> existing =
      storage::FindUserByName(db, "city-reviewer");
  if (!existing.ok()) return std::move(existing).error();
  if (existing.value()) return engine::Ok{};
  static const DemoUnit kUnits[] = {
      {"jiajiang-ceramics", "夹江县建筑陶瓷有限公司工会", "jiajiang"},
      {"shizhong-power", "乐山市中区电力公司工会", "shizhong"},
      {"city-transit", "乐山市公交集团工会", "leshan"},
  };
  for (const DemoUnit& unit : kUnits) {
    engine::Result<int64_t> parent = OrgId(db, unit.parent);
    if (!parent.ok()) return std::move(parent).error();
    JINGSAI_TRY(AsStatus(storage::InsertOrg(
        db, {0, unit.code, unit.name, engine::OrgLevel::kUnit, parent.value()}, now)));
  }
  static const DemoUser kUsers[] = {
      {"jiajiang-submitter", "夹江陶瓷填报员", "submitter", "jiajiang-ceramics"},
      {"jiajiang-reviewer", "夹江县总工会审核员", "reviewer", "jiajiang"},
      {"shizhong-submitter", "市中电力填报员", "submitter", "shizhong-power"},
      {"shizhong-reviewer", "市中区总工会审核员", "reviewer", "shizhong"},
      {"transit-submitter", "市公交集团填报员", "submitter", "city-transit"},
      {"city-reviewer", "市总工会经济保障部审核员", "reviewer", "leshan"},
      {"voter1", "评审委员一", "voter", "leshan"},
      {"voter2", "评审委员二", "voter", "leshan"},
      {"voter3", "评审委员三", "voter", "leshan"},
  };
  for (const DemoUser& user : kUsers) {
    engine::Result<int64_t> org = OrgId(db, user.org);
    if (!org.ok()) return std::move(org).error();
    JINGSAI_TRY(CreateUser(db, user.username, user.display_name, std::string(kDemoPassword),
                           {{user.role, org.value()}}, now));
  }
  spdlog::info("演示数据已创建：3 个基层单位、9 个演示用户，密码均为 {}", kDemoPassword);
  return engine::Ok{};
}

}  // namespace

engine::Status Bootstrap(storage::Writer& writer, const BootstrapOptions& options) {
  return writer.RunSync([&options](storage::Database& db) -> engine::Status {
    JINGSAI_TRY(LoadBuiltins(db, options.now));
    JINGSAI_TRY(CreateAdmin(db, options));
    if (options.demo) JINGSAI_TRY(CreateDemo(db, options.now));
    return engine::Ok{};
  });
}

}  // namespace jingsai::api
