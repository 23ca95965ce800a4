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

// The streaming writer writes what ToJsonText writes for the same value:
// commas between members and elements only, none after a key or an opening.
TEST(JsonWriter, WritesWhatToJsonTextWritesForTheSameValue) {
  boost::json::value same = boost::json::parse(
      R"({"id":7,"empty":[],"none":{},"list":[{"a":"x"},{"b":null}],"ok":true,"n":null,)"
      R"("text":"退回\"意见\"\n","data":{"ratio":0.5,"counts":[1,2]}})");
  std::string written;
  JsonWriter out(written);
  out.BeginObject().Key("id").Int(7);
  out.Key("empty").BeginArray().EndArray();
  out.Key("none").BeginObject().EndObject();
  out.Key("list").BeginArray();
  out.BeginObject().Key("a").String("x").EndObject();
  out.BeginObject().Key("b").StringOrNull("").EndObject();
  out.EndArray();
  out.Key("ok").Bool(true).Key("n").Null();
  out.Key("text").String("退回\"意见\"\n");
  out.Key("data").Value(same.at("data"));
  out.EndObject();
  EXPECT_EQ(written, ToJsonText(same));
}

TEST(JsonWriter, WritesTopLevelArraysOfValues) {
  std::string written;
  JsonWriter out(written);
  out.BeginArray().Int(-1).String("").StringOrNull("a").Bool(false).EndArray();
  EXPECT_EQ(written, R"([-1,"","a",false])");
}

}  // namespace
}  // namespace jingsai::api
