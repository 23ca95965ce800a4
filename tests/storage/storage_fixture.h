// StorageTest: a fixture for storage tests over a real SQLite file in the
// temporary directory, migrated to the newest schema and holding the rows
// that items need for their foreign keys: the city, one county and one unit
// under it, a submitter and a reviewer, the built-in report and commendation
// flows, and the built-in 2014 campaign.
//
// `db()` is a connection the test uses directly; `writer()` owns a second
// connection, as the server's single writer does.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>

#include "engine/org_tree.h"
#include "storage/definitions.h"
#include "storage/items.h"
#include "storage/migrations.h"
#include "storage/orgs.h"
#include "storage/records.h"
#include "storage/sqlite.h"
#include "storage/users.h"
#include "storage/writer.h"
#include "workflows/builtin.h"

namespace jingsai::storage::test_support {

inline constexpr std::string_view kCampaign = "leshan-2014";
inline constexpr std::string_view kNow = "2014-09-01T02:00:00Z";

inline std::string BuiltinText(std::string_view name) {
  for (const workflows::BuiltinFile& file : workflows::BuiltinFiles()) {
    if (file.name == name) return std::string(file.contents);
  }
  ADD_FAILURE() << name << " is not among the built-in files";
  return "{}";
}

// A fresh path in the temporary directory; the files are removed by Remove().
inline std::string TemporaryDatabasePath(std::string_view prefix) {
  std::random_device random;
  return (std::filesystem::temp_directory_path() /
          (std::string(prefix) + std::to_string(random()) + "-" + std::to_string(random()) + ".db"))
      .string();
}

inline void RemoveDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TemporaryDatabasePath("jingsai-storage-");
    db_ = OpenConnection();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(Migrate(*db_).ok());
    Seed();
  }

  void TearDown() override {
    writer_.reset();
    db_.reset();
    RemoveDatabaseFiles(path_);
  }

  std::unique_ptr<Database> OpenConnection(Database::Options options = {}) {
    engine::Result<std::unique_ptr<Database>> opened = Database::Open(path_, options);
    EXPECT_TRUE(opened.ok());
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  Database& db() { return *db_; }

  // The single writer, on its own connection; started on first use.
  Writer& writer() {
    if (writer_ == nullptr) writer_ = std::make_unique<Writer>(OpenConnection());
    return *writer_;
  }

  // A draft report of the unit, not yet stored (id 0, no history).
  ItemRecord NewReport(std::string title = "2014年劳动竞赛工作总结") const {
    ItemRecord item;
    item.kind = std::string(kKindSubmission);
    item.campaign = std::string(kCampaign);
    item.flow_key = "report-county";
    item.flow_version = 1;
    item.title = std::move(title);
    item.last_action = "create";
    item.created_at = item.updated_at = item.stage_entered_at = std::string(kNow);
    item.org_path = org_path_;
    item.county_scope_id = county_id_;
    item.instance.org_id = unit_id_;
    item.instance.created_by = submitter_id_;
    item.instance.stage = "draft";
    item.instance.status = "draft";
    item.instance.version = 1;
    item.instance.data = boost::json::parse(R"({"indicators": {"proposals_submitted": 1200}})");
    return item;
  }

  // A nomination of the unit at the commendation flow's vote stage.
  ItemRecord NewNomination(std::string title) const {
    ItemRecord item = NewReport(std::move(title));
    item.kind = std::string(kKindNomination);
    item.flow_key = "commendation";
    item.instance.stage = "vote";
    item.instance.status = "voting";
    return item;
  }

  // The city reviewer's question: the county flow's city review, over every
  // county scope.
  StageQuery CityInbox(int64_t after_id = 0, int limit = 50) const {
    StageQuery query;
    query.flow_keys = {"report-county"};
    query.stage = "city_review";
    query.column = ScopeColumn::kAny;
    query.county_scopes = {city_id_, county_id_};
    query.after_id = after_id;
    query.limit = limit;
    return query;
  }

  std::string path_;
  int64_t city_id_ = 0;
  int64_t county_id_ = 0;
  int64_t unit_id_ = 0;
  int64_t submitter_id_ = 0;
  int64_t reviewer_id_ = 0;
  std::string org_path_;

 private:
  void Seed() {
    engine::Result<int64_t> city =
        InsertOrg(*db_, {0, "leshan", "乐山市总工会", engine::OrgLevel::kCity, std::nullopt}, kNow);
    ASSERT_TRUE(city.ok());
    city_id_ = city.value();
    engine::Result<int64_t> county =
        InsertOrg(*db_, {0, "shizhong", "市中区总工会", engine::OrgLevel::kCounty, city_id_}, kNow);
    ASSERT_TRUE(county.ok());
    county_id_ = county.value();
    engine::Result<int64_t> unit = InsertOrg(
        *db_, {0, "shizhong-power", "市中区供电公司工会", engine::OrgLevel::kUnit, county_id_},
        kNow);
    ASSERT_TRUE(unit.ok());
    unit_id_ = unit.value();
    engine::Result<engine::OrgTree> orgs = LoadOrgs(*db_);
    ASSERT_TRUE(orgs.ok());
    org_path_ = orgs->PathOf(unit_id_);

    submitter_id_ = AddUser("submitter", "填报员", {"submitter", unit_id_});
    reviewer_id_ = AddUser("reviewer", "审核员", {"county_reviewer", county_id_});

    for (std::string_view flow :
         {"report-county.json", "report-city-direct.json", "commendation.json"}) {
      std::string json = BuiltinText(flow);
      std::string key(boost::json::parse(json).at("key").as_string());
      engine::Result<int> version = InsertFlowVersion(*db_, key, json, kNow, std::nullopt);
      ASSERT_TRUE(version.ok());
      ASSERT_EQ(version.value(), 1);
    }
    ASSERT_TRUE(InsertCampaign(*db_, kCampaign, BuiltinText("leshan-2014.json"), kNow).ok());
  }

  int64_t AddUser(std::string username, std::string display_name, engine::RoleBinding role) {
    UserRecord user;
    user.username = std::move(username);
    user.display_name = std::move(display_name);
    user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    user.created_at = std::string(kNow);
    user.roles = {std::move(role)};
    engine::Result<int64_t> id = InsertUser(*db_, user);
    EXPECT_TRUE(id.ok());
    return id.ok() ? id.value() : 0;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<Writer> writer_;
};

}  // namespace jingsai::storage::test_support
