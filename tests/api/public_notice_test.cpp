// A commendation flow with a public notice (公示) after the vote: objections
// are recorded, an upheld one sends the nomination back to screening, and
// only a confirmed nomination is published.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/api/api_fixture.h"

namespace jingsai::testing {
namespace {

class PublicNoticeTest : public ApiTest {
 protected:
  void SetUp() override {
    HttpResult published = server().Post(
        "/api/v1/flows", ExampleFlow("commendation-with-notice.json"), Token("admin"));
    ASSERT_EQ(published.status, 201) << published.body;
  }

  // A unit nomination of jiajiang-ceramics brought to the vote stage.
  int64_t NominationAtVote() {
    int64_t report = ApprovedCountyReport();
    HttpResult created = server().Post("/api/v1/nominations",
                                       {{"campaign", kCampaign},
                                        {"kind", "unit"},
                                        {"org", "jiajiang-ceramics"},
                                        {"basis", {report}},
                                        {"citation", "技术创新成效显著"}},
                                       Token("jiajiang-reviewer"));
    EXPECT_EQ(created.status, 201) << created.body;
    int64_t id = Int(created.json, "id");
    EXPECT_EQ(NominationAct("jiajiang-reviewer", id, "submit").status, 200);
    EXPECT_EQ(NominationAct("city-reviewer", id, "approve").status, 200);
    return id;
  }

  HttpResult NominationAct(const std::string& user, int64_t id, const std::string& action,
                           const std::string& comment = "", const std::string& to = "") {
    boost::json::object body{{"action", action}};
    if (!comment.empty()) body["comment"] = comment;
    if (!to.empty()) body["to"] = to;
    return server().Post("/api/v1/nominations/" + std::to_string(id) + "/actions", body,
                         Token(user));
  }

  // Opens a session, has two of three members vote for, and closes it.
  void PassVote() {
    HttpResult session = server().Post(
        "/api/v1/votes",
        {{"campaign", kCampaign}, {"title", "表决"}, {"members", {"voter1", "voter2", "voter3"}}},
        Token("city-reviewer"));
    ASSERT_EQ(session.status, 201) << session.body;
    const std::string base = "/api/v1/votes/" + std::to_string(Int(session.json, "id"));
    for (const char* voter : {"voter1", "voter2"}) {
      boost::json::array ballots;
      for (const auto& nomination : session.json.at("nominations").as_array()) {
        ballots.push_back({{"nomination", nomination.at("id")}, {"choice", "for"}});
      }
      HttpResult cast = server().Post(base + "/ballots", {{"ballots", ballots}}, Token(voter));
      ASSERT_EQ(cast.status, 200) << cast.body;
    }
    ASSERT_EQ(server().Post(base + "/close", boost::json::object{}, Token("city-reviewer")).status,
              200);
  }

  std::string StageOf(int64_t id) {
    return Str(
        server().Get("/api/v1/nominations/" + std::to_string(id), Token("city-reviewer")).json,
        "stage");
  }

  size_t Published() {
    HttpResult list =
        server().Get("/api/v1/campaigns/leshan-2014/commendations", Token("city-reviewer"));
    return list.json.at("items").as_array().size();
  }
};

TEST_F(PublicNoticeTest, PassedNominationIsOnNoticeNotYetPublished) {
  int64_t id = NominationAtVote();
  PassVote();
  EXPECT_EQ(StageOf(id), "public_notice");
  EXPECT_EQ(Published(), 0u);
  ASSERT_EQ(NominationAct("city-reviewer", id, "approve").status, 200);
  EXPECT_EQ(StageOf(id), "commended");
  EXPECT_EQ(Published(), 1u);
}

TEST_F(PublicNoticeTest, ObjectionIsRecordedAndUpheldObjectionReturnsToScreening) {
  int64_t id = NominationAtVote();
  const std::string path = "/api/v1/nominations/" + std::to_string(id) + "/objections";
  HttpResult early = server().Post(path, {{"reason", "材料不实"}}, Token("voter3"));
  EXPECT_EQ(early.status, 409) << "no objection before the notice";
  EXPECT_EQ(early.ErrorCode(), "invalid_action");

  PassVote();
  HttpResult objection =
      server().Post(path, {{"reason", "该单位今年发生安全事故"}}, Token("voter3"));
  ASSERT_EQ(objection.status, 201) << objection.body;
  const auto& objections = objection.json.at("data").at("objections").as_array();
  ASSERT_EQ(objections.size(), 1u);
  EXPECT_EQ(Str(objections[0], "reason"), "该单位今年发生安全事故");
  EXPECT_EQ(Str(objections[0], "by"), "voter3");
  EXPECT_EQ(server().Post(path, {{"reason", "　"}}, Token("voter3")).status, 400);

  HttpResult history = server().Get("/api/v1/nominations/" + std::to_string(id) + "/history",
                                    Token("city-reviewer"));
  const auto& rows = history.json.at("items").as_array();
  EXPECT_EQ(Str(rows.back(), "action"), "objection");
  EXPECT_EQ(Str(rows.back(), "actor"), "voter3");

  HttpResult upheld =
      NominationAct("city-reviewer", id, "return", "异议成立，退回重新初审", "city_screening");
  ASSERT_EQ(upheld.status, 200) << upheld.body;
  EXPECT_EQ(StageOf(id), "city_screening");
  EXPECT_EQ(Published(), 0u);
}

}  // namespace
}  // namespace jingsai::testing
