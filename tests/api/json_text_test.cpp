#include "api/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace jingsai::api {
namespace {

TEST(JsonText, RatiosAndTargetsReadAsPeopleWriteThem) {
  boost::json::object body{{"quorum", 0.5}, {"target", 300000.0}, {"ratio", 2.0 / 3.0}};
  EXPECT_EQ(ToJsonText(body), R"({"quorum":0.5,"target":300000,"ratio":0.6666666666666666})");
}

TEST(JsonText, HugeAndTinyDoublesStayShort) {
  EXPECT_EQ(ToJsonText(boost::json::value(1e300)), "1e+300");
  EXPECT_EQ(ToJsonText(boost::json::value(-2.5e-9)), "-2.5e-09");
  EXPECT_EQ(ToJsonText(boost::json::value(0.0)), "0");
}

TEST(JsonText, EveryDoubleParsesBackToItself) {
  for (double number : {0.1, 0.9, 1.0 / 3.0, 123456.789, 1e-6, 9.99e14, 1e15, -42.0}) {
    boost::json::value parsed = boost::json::parse(ToJsonText(boost::json::value(number)));
    EXPECT_DOUBLE_EQ(parsed.to_number<double>(), number) << ToJsonText(boost::json::value(number));
  }
}

TEST(JsonText, StringsAreEscapedAndChineseIsKept) {
  boost::json::value text("退回\"意见\"\\\n\t\x01");
  EXPECT_EQ(ToJsonText(text), "\"退回\\\"意见\\\"\\\\\\n\\t\\u0001\"");
  EXPECT_EQ(boost::json::parse(ToJsonText(text)), text);
}

TEST(JsonText, MatchesBoostForEverythingButDoubles) {
  boost::json::value value = boost::json::parse(
      R"({"items":[{"id":1,"big":18446744073709551615,"neg":-9223372036854775808,)"
      R"("ok":true,"none":null,"nested":{"a":[[],{}]}}],"next_cursor":null})");
  EXPECT_EQ(ToJsonText(value), boost::json::serialize(value));
}

}  // namespace
}  // namespace jingsai::api
