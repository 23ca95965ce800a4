// Moving the open items of a flow version to a later version with an explicit
// stage mapping: all of them or none, each move on the record.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "engine/time_format.h"
#include "tests/api/flow_admin_fixture.h"

namespace jingsai::testing {
namespace {

constexpr const char* kMigrations = "/api/v1/flows/report-county/migrations";

class FlowMigration : public FlowAdminTest {
 protected:
  // report-county version 2: the county stage is renamed county_check.
  void PublishRenamedCountyStage() {
    boost::json::object definition = Definition("report-county");
    StageIn(definition, "draft")["actions"].as_object()["submit"].as_object()["to"] =
        "county_check";
    boost::json::object& county = StageIn(definition, "county_review");
    county["id"] = "county_check";
    county["title"] = "县级核查";
    StageIn(definition, "city_review")["actions"].as_object()["return"].as_object()["to"] =
        boost::json::array{"county_check", "draft"};
    ASSERT_EQ(Publish(definition), 2);
  }

  HttpResult Migrate(const boost::json::value& body, const std::string& token) {
    return server().Post(kMigrations, body, token);
  }

  static boost::json::object FullMapping() {
    return {{"draft", "draft"}, {"county_review", "county_check"}, {"city_review", "city_review"}};
  }

  static boost::json::object Body(const boost::json::object& mapping, int64_t from = 1,
                                  int64_t to = 2) {
    return {{"from_version", from}, {"to_version", to}, {"mapping", mapping}};
  }

  // Items at each stage of version 1: a draft, one at county review, one at
  // city review, and one approved.
  struct Items {
    int64_t draft, county, city, approved;
  };
  Items ItemsOnEveryStage() {
    Items items{};
    items.draft = CreateReport(Token("jiajiang-submitter"), "jiajiang-ceramics", "草稿");
    items.county = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "县级审核中");
    items.city = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics", "市级审核中");
    ActOk(Token("jiajiang-reviewer"), items.city, "approve");
    items.approved = ApprovedCountyReport("已通过");
    return items;
  }

  // Each item's (stage, flow version, item version), as the admin sees it.
  std::map<int64_t, std::string> States(const std::vector<int64_t>& ids) {
    std::map<int64_t, std::string> states;
    for (int64_t id : ids) {
      boost::json::value item = Item(Token("admin"), id);
      states[id] = Str(item, "stage") + "@v" + std::to_string(Int(item.at("flow"), "version")) +
                   "#" + std::to_string(Int(item, "version"));
    }
    return states;
  }
};

TEST_F(FlowMigration, OpenItemsMoveToTheNewVersion) {
  Items items = ItemsOnEveryStage();
  PublishRenamedCountyStage();
  std::map<int64_t, int64_t> versions_before;
  for (int64_t id : {items.draft, items.county, items.city, items.approved}) {
    versions_before[id] = Int(Item(Token("admin"), id), "version");
  }

  HttpResult migrated = Migrate(Body(FullMapping()), Token("admin"));
  ASSERT_EQ(migrated.status, 200) << migrated.body;
  EXPECT_EQ(boost::json::serialize(migrated.json),
            boost::json::serialize(
                boost::json::value{{"key", "report-county"},
                                   {"from_version", 1},
                                   {"to_version", 2},
                                   {"moved", 3},
                                   {"items", {items.draft, items.county, items.city}}}));

  const std::map<int64_t, std::string> expected_stage{
      {items.draft, "draft"}, {items.county, "county_check"}, {items.city, "city_review"}};
  const std::map<int64_t, std::string> old_stage{
      {items.draft, "draft"}, {items.county, "county_review"}, {items.city, "city_review"}};
  for (const auto& [id, stage] : expected_stage) {
    boost::json::value item = Item(Token("admin"), id);
    EXPECT_EQ(Str(item, "stage"), stage) << id;
    EXPECT_EQ(Int(item.at("flow"), "version"), 2) << id;
    EXPECT_EQ(Int(item, "version"), versions_before[id] + 1) << id;
    boost::json::value row = LastHistoryRow(id);
    EXPECT_EQ(Str(row, "action"), "migrate") << row;
    EXPECT_EQ(Str(row, "from"), old_stage.at(id)) << row;
    EXPECT_EQ(Str(row, "to"), stage) << row;
    EXPECT_EQ(Str(row, "actor"), "admin") << row;
  }
  EXPECT_EQ(Str(Item(Token("admin"), items.county), "stage_title"), "县级核查");
  EXPECT_EQ(Str(Item(Token("admin"), items.draft), "status"), "draft");
  EXPECT_EQ(Str(Item(Token("admin"), items.county), "status"), "in_review");

  // The approved item stays on version 1, untouched.
  boost::json::value approved = Item(Token("admin"), items.approved);
  EXPECT_EQ(Str(approved, "stage"), "approved");
  EXPECT_EQ(Int(approved.at("flow"), "version"), 1);
  EXPECT_EQ(Int(approved, "version"), versions_before[items.approved]);
  EXPECT_EQ(Str(LastHistoryRow(items.approved), "action"), "approve");
}

TEST_F(FlowMigration, MovedItemsGoOnUnderTheNewVersion) {
  Items items = ItemsOnEveryStage();
  PublishRenamedCountyStage();
  ASSERT_EQ(Migrate(Body(FullMapping()), Token("admin")).status, 200);

  // The county reviewer still acts at the renamed stage, and the city
  // reviewer may return to it by its new id.
  EXPECT_EQ(Tasks(Token("jiajiang-reviewer")), std::vector<int64_t>{items.county});
  boost::json::value approved = ActOk(Token("jiajiang-reviewer"), items.county, "approve");
  EXPECT_EQ(Str(approved, "stage"), "city_review");
  EXPECT_EQ(Int(approved.at("flow"), "version"), 2);
  boost::json::value returned =
      ActOk(Token("city-reviewer"), items.city, "return", "请县级复核", "county_check");
  EXPECT_EQ(Str(returned, "stage"), "county_check");
  HttpResult old_stage =
      Act(Token("city-reviewer"), items.county, "return", "退回", "county_review");
  EXPECT_EQ(old_stage.status, 409) << old_stage.body;
  EXPECT_EQ(old_stage.ErrorCode(), "invalid_action");

  // The draft submits into the new stage.
  AttachDocument(Token("jiajiang-submitter"), items.draft);
  EXPECT_EQ(Str(ActOk(Token("jiajiang-submitter"), items.draft, "submit"), "stage"),
            "county_check");
}

TEST_F(FlowMigration, AnUnmappedStageWithItemsMovesNothing) {
  Items items = ItemsOnEveryStage();
  PublishRenamedCountyStage();
  const std::vector<int64_t> ids{items.draft, items.county, items.city, items.approved};
  std::map<int64_t, std::string> before = States(ids);

  boost::json::object mapping = FullMapping();
  mapping.erase("county_review");
  HttpResult refused = Migrate(Body(mapping), Token("admin"));
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "validation_failed");
  EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{"mapping.county_review"});
  EXPECT_NE(Str(refused.json.at("error").at("details").at(0), "message").find("1"),
            std::string::npos)
      << refused.body;

  EXPECT_EQ(States(ids), before);
  for (int64_t id : ids) EXPECT_NE(Str(LastHistoryRow(id), "action"), "migrate") << id;
}

TEST_F(FlowMigration, EveryUnmappedStageIsNamed) {
  Items items = ItemsOnEveryStage();
  PublishRenamedCountyStage();
  HttpResult refused = Migrate(Body({{"draft", "draft"}}), Token("admin"));
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "validation_failed");
  EXPECT_EQ(ErrorPaths(refused),
            (std::vector<std::string>{"mapping.city_review", "mapping.county_review"}));
  EXPECT_EQ(Int(Item(Token("admin"), items.draft).at("flow"), "version"), 1);
}

TEST_F(FlowMigration, AStageWithoutItemsNeedsNoMapping) {
  int64_t county = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  PublishRenamedCountyStage();
  HttpResult migrated = Migrate(Body({{"county_review", "county_check"}}), Token("admin"));
  ASSERT_EQ(migrated.status, 200) << migrated.body;
  EXPECT_EQ(Int(migrated.json, "moved"), 1);
  EXPECT_EQ(Str(Item(Token("admin"), county), "stage"), "county_check");

  // Nothing is left on version 1: a second run moves nothing.
  HttpResult again = Migrate(Body({}), Token("admin"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Int(again.json, "moved"), 0);
  EXPECT_EQ(again.json.at("items"), boost::json::array{});
}

TEST_F(FlowMigration, WithoutToVersionItemsMoveToTheLatest) {
  int64_t county = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  PublishRenamedCountyStage();
  HttpResult migrated = Migrate(
      boost::json::object{{"from_version", 1}, {"mapping", {{"county_review", "county_check"}}}},
      Token("admin"));
  ASSERT_EQ(migrated.status, 200) << migrated.body;
  EXPECT_EQ(Int(migrated.json, "to_version"), 2);
  EXPECT_EQ(Int(Item(Token("admin"), county).at("flow"), "version"), 2);
}

TEST_F(FlowMigration, BadMappingsAreBadRequests) {
  int64_t county = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  PublishRenamedCountyStage();
  struct Case {
    const char* name;
    boost::json::object body;
    std::vector<std::string> paths;
  };
  const std::vector<Case> cases{
      {"unknown target stage",
       Body({{"draft", "draft"}, {"county_review", "county_review"}}),
       {"mapping.county_review"}},
      {"end stage", Body({{"county_review", "approved"}}), {"mapping.county_review"}},
      {"a draft into review, unsubmitted",
       Body({{"draft", "county_check"}, {"county_review", "county_check"}}),
       {"mapping.draft"}},
      {"unknown source stage",
       Body({{"county_review", "county_check"}, {"no_such_stage", "draft"}}),
       {"mapping.no_such_stage"}},
      {"not a stage id", Body({{"county_review", 7}}), {"mapping.county_review"}},
      {"same version", Body({{"county_check", "county_check"}}, 2, 2), {"to_version"}},
      {"older version", Body({{"draft", "draft"}}, 2, 1), {"to_version"}},
      {"unknown version", Body({{"county_review", "county_check"}}, 1, 9), {"to_version"}},
      {"no mapping", {{"from_version", 1}, {"to_version", 2}}, {"mapping"}},
      {"no from_version",
       {{"to_version", 2}, {"mapping", {{"county_review", "county_check"}}}},
       {"from_version"}},
      {"unknown from_version",
       Body({{"county_review", "county_check"}}, 7, 8),
       {"from_version", "to_version"}},
  };
  for (const Case& c : cases) {
    HttpResult refused = Migrate(c.body, Token("admin"));
    EXPECT_EQ(refused.status, 400) << c.name << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "bad_request") << c.name;
    EXPECT_EQ(ErrorPaths(refused), c.paths) << c.name << ": " << refused.body;
  }
  boost::json::object not_object = Body({});
  not_object["mapping"] = boost::json::array{"county_review", "county_check"};
  HttpResult refused = Migrate(not_object, Token("admin"));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(ErrorPaths(refused), std::vector<std::string>{"mapping"});

  boost::json::value item = Item(Token("admin"), county);
  EXPECT_EQ(Str(item, "stage"), "county_review");
  EXPECT_EQ(Int(item.at("flow"), "version"), 1);
}

TEST_F(FlowMigration, OnlyAdminsMigrate) {
  int64_t county = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  PublishRenamedCountyStage();
  for (const char* user : {"city-reviewer", "jiajiang-reviewer", "jiajiang-submitter"}) {
    HttpResult refused = Migrate(Body(FullMapping()), Token(user));
    EXPECT_EQ(refused.status, 403) << user << ": " << refused.body;
    EXPECT_EQ(refused.ErrorCode(), "forbidden") << user;
  }
  HttpResult anonymous = Migrate(Body(FullMapping()), "");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.ErrorCode(), "unauthenticated");
  EXPECT_EQ(Int(Item(Token("admin"), county).at("flow"), "version"), 1);
}

TEST_F(FlowMigration, UnknownFlowIsNotFound) {
  HttpResult missing = server().Post("/api/v1/flows/no-such-flow/migrations",
                                     Body({{"draft", "draft"}}), Token("admin"));
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(missing.ErrorCode(), "not_found");
}

TEST_F(FlowMigration, ItemsEnteringAStageOfTheNewVersionGetItsPractice) {
  int64_t county = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  CreateJiajiangReviewer("jiajiang-reviewer2");
  ASSERT_EQ(PublishCountyWith("county_review", "approvals", {{"mode", "all"}}), 2);
  HttpResult migrated = Migrate(Body({{"county_review", "county_review"}}), Token("admin"));
  ASSERT_EQ(migrated.status, 200) << migrated.body;

  // The panel is formed on entering the stage of version 2.
  boost::json::value item = Item(Token("admin"), county);
  ASSERT_TRUE(item.as_object().contains("approvals")) << item;
  EXPECT_EQ(Strings(item.at("approvals").at("approvers")),
            (std::vector<std::string>{"jiajiang-reviewer", "jiajiang-reviewer2"}));
  boost::json::value first = ActOk(Token("jiajiang-reviewer"), county, "approve");
  EXPECT_EQ(Str(first, "stage"), "county_review");
  boost::json::value second = ActOk(Token("jiajiang-reviewer2"), county, "approve");
  EXPECT_EQ(Str(second, "stage"), "city_review");
}

TEST_F(FlowMigration, TheSameStageOfALaterVersionKeepsTimeWaitedAndDecisionsGiven) {
  CreateJiajiangReviewer("jiajiang-reviewer2");
  ASSERT_EQ(PublishCountyWith("county_review", "approvals", {{"mode", "all"}}), 2);
  int64_t id = SubmittedReport("jiajiang-submitter", "jiajiang-ceramics");
  ActOk(Token("jiajiang-reviewer"), id, "approve");
  const boost::json::value before = Item(Token("admin"), id);
  // Version 3 adds a due time to the same stage.
  boost::json::object definition = Definition("report-county");
  StageIn(definition, "county_review")["approvals"] = {{"mode", "all"}};
  StageIn(definition, "county_review")["due"] = {{"days", 1}};
  ASSERT_EQ(Publish(definition), 3);
  HttpResult migrated = Migrate(Body({{"county_review", "county_review"}}, 2, 3), Token("admin"));
  ASSERT_EQ(migrated.status, 200) << migrated.body;

  const boost::json::value after = Item(Token("admin"), id);
  EXPECT_EQ(Int(after.at("flow"), "version"), 3);
  EXPECT_EQ(Str(after, "stage_entered_at"), Str(before, "stage_entered_at"));
  EXPECT_EQ(after.at("approvals"), before.at("approvals"));
  // Due a day after it entered the stage, not a day after the move.
  const auto entered = engine::ParseTime(Str(after, "stage_entered_at"));
  ASSERT_TRUE(entered.has_value());
  EXPECT_EQ(Str(after, "due_at"), engine::FormatTime(*entered + std::chrono::hours(24)));
  // The approver who had approved is still done; the other completes the stage.
  EXPECT_EQ(Str(ActOk(Token("jiajiang-reviewer2"), id, "approve"), "stage"), "city_review");
}

}  // namespace
}  // namespace jingsai::testing
