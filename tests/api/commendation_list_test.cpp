// The published list of commended units and individuals: JSON, and a CSV
// that spreadsheet software opens as Chinese text.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "tests/api/commendation_fixture.h"

namespace jingsai::testing {
namespace {

constexpr const char* kListPath = "/api/v1/campaigns/leshan-2014/commendations";

constexpr const char* kCsvHeader =
    "\xEF\xBB\xBF\"序号\",\"类别\",\"单位\",\"所属县（市、区）\",\"姓名\",\"职务\",\"推荐理由\","
    "\"赞成票\",\"反对票\",\"弃权票\",\"名次\"\r\n";

class CommendationList : public CommendationTest {
 protected:
  // Two commended units (ranked 1 and 2), one commended individual of the
  // city-direct unit, and one unit that failed the vote.
  void SetUp() override {
    second_unit_ = UnitInVote("shizhong-power", "推动电网\"五小\"创新，节能减排成效显著");
    individual_ = IndividualInVote("city-transit", {{"name", "王芳"}, {"position", "公交驾驶员"}},
                                   "安全行车三十万公里");
    first_unit_ = UnitInVote("jiajiang-ceramics", "陶瓷窑炉技术革新，节能20%");
    failed_ = UnitInVote("jiajiang-ceramics", "未通过的推荐");
    const int64_t session = OpenVoteOk();
    CastOk("voter1", session,
           {{first_unit_, "for"}, {second_unit_, "for"}, {individual_, "for"}, {failed_, "for"}});
    CastOk("voter2", session,
           {{first_unit_, "for"},
            {second_unit_, "for"},
            {individual_, "abstain"},
            {failed_, "against"}});
    CastOk("voter3", session,
           {{first_unit_, "for"},
            {second_unit_, "against"},
            {individual_, "for"},
            {failed_, "against"}});
    CloseOk(session);
  }

  int64_t first_unit_ = 0;
  int64_t second_unit_ = 0;
  int64_t individual_ = 0;
  int64_t failed_ = 0;
};

TEST_F(CommendationList, JsonListsCommendedUnitsThenIndividualsByRank) {
  HttpResult listed = server().Get(std::string(kListPath) + "?format=json", Token("voter1"));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.Header("content-type").rfind("application/json", 0), 0u);
  EXPECT_EQ(Str(listed.json, "campaign"), "leshan-2014");
  const boost::json::array& items = listed.json.at("items").as_array();
  ASSERT_EQ(items.size(), 3u) << listed.body;

  EXPECT_EQ(Int(items[0], "nomination"), first_unit_);
  EXPECT_EQ(Str(items[0], "kind"), "unit");
  EXPECT_EQ(Str(items[0], "kind_label"), "先进单位");
  EXPECT_EQ(Str(items[0], "org"), "jiajiang-ceramics");
  EXPECT_EQ(Str(items[0], "org_name"), "夹江县建筑陶瓷有限公司工会");
  EXPECT_EQ(Str(items[0], "county"), "jiajiang");
  EXPECT_EQ(Str(items[0], "county_name"), "夹江县总工会");
  EXPECT_TRUE(items[0].at("person").is_null());
  EXPECT_EQ(Str(items[0], "citation"), "陶瓷窑炉技术革新，节能20%");
  EXPECT_EQ(Int(items[0], "for"), 3);
  EXPECT_EQ(Int(items[0], "against"), 0);
  EXPECT_EQ(Int(items[0], "abstain"), 0);
  EXPECT_EQ(Int(items[0], "rank"), 1);

  EXPECT_EQ(Int(items[1], "nomination"), second_unit_);
  EXPECT_EQ(Str(items[1], "county"), "shizhong");
  EXPECT_EQ(Int(items[1], "for"), 2);
  EXPECT_EQ(Int(items[1], "against"), 1);
  EXPECT_EQ(Int(items[1], "rank"), 2);

  EXPECT_EQ(Int(items[2], "nomination"), individual_);
  EXPECT_EQ(Str(items[2], "kind"), "individual");
  EXPECT_EQ(Str(items[2], "kind_label"), "先进个人");
  EXPECT_EQ(Str(items[2], "org"), "city-transit");
  EXPECT_TRUE(items[2].at("county").is_null());
  EXPECT_EQ(items[2].at("person"),
            (boost::json::value{{"name", "王芳"}, {"position", "公交驾驶员"}}));
  EXPECT_EQ(Int(items[2], "abstain"), 1);
  EXPECT_EQ(Int(items[2], "rank"), 1);

  // JSON is the default format.
  HttpResult plain = server().Get(kListPath, Token("jiajiang-submitter"));
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(plain.json.at("items"), listed.json.at("items"));
}

TEST_F(CommendationList, CsvIsExactBytes) {
  HttpResult csv = server().Get(std::string(kListPath) + "?format=csv", Token("city-reviewer"));
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("content-type").rfind("text/csv", 0), 0u) << csv.Header("content-type");
  EXPECT_NE(csv.Header("content-disposition").find("commendations-leshan-2014.csv"),
            std::string::npos);
  const std::string expected =
      std::string(kCsvHeader) +
      "\"1\",\"先进单位\",\"夹江县建筑陶瓷有限公司工会\",\"夹江县总工会\",\"\",\"\","
      "\"陶瓷窑炉技术革新，节能20%\",\"3\",\"0\",\"0\",\"1\"\r\n"
      "\"2\",\"先进单位\",\"乐山市中区电力公司工会\",\"市中区总工会\",\"\",\"\","
      "\"推动电网\"\"五小\"\"创新，节能减排成效显著\",\"2\",\"1\",\"0\",\"2\"\r\n"
      "\"3\",\"先进个人\",\"乐山市公交集团工会\",\"\",\"王芳\",\"公交驾驶员\","
      "\"安全行车三十万公里\",\"2\",\"0\",\"1\",\"1\"\r\n";
  EXPECT_EQ(csv.body, expected);
  ASSERT_GE(csv.body.size(), 3u);
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
}

TEST_F(CommendationList, BadFormatUnknownCampaignAndNoToken) {
  HttpResult xml = server().Get(std::string(kListPath) + "?format=xml", Token("city-reviewer"));
  EXPECT_EQ(xml.status, 400) << xml.body;
  EXPECT_EQ(xml.ErrorCode(), "bad_request");
  EXPECT_EQ(DetailPaths(xml), std::vector<std::string>{"format"});

  for (const char* format : {"json", "csv"}) {
    HttpResult unknown =
        server().Get(std::string("/api/v1/campaigns/leshan-1999/commendations?format=") + format,
                     Token("city-reviewer"));
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    EXPECT_EQ(unknown.ErrorCode(), "not_found");
  }
  HttpResult anonymous = server().Get(std::string(kListPath) + "?format=csv");
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(anonymous.ErrorCode(), "unauthenticated");
}

using CommendationEmpty = CommendationTest;

TEST_F(CommendationEmpty, NothingCommendedYet) {
  UnitInVote("jiajiang-ceramics");
  HttpResult json = server().Get(std::string(kListPath) + "?format=json", Token("city-reviewer"));
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_TRUE(json.json.at("items").as_array().empty()) << json.body;
  HttpResult csv = server().Get(std::string(kListPath) + "?format=csv", Token("city-reviewer"));
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.body, kCsvHeader);
}

}  // namespace
}  // namespace jingsai::testing
