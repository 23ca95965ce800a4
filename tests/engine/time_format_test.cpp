// FormatTime and ParseTime: the one timestamp format stored and shown
// everywhere, "YYYY-MM-DDTHH:MM:SS.fffZ" in UTC.

#include "engine/time_format.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace jingsai::engine {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

TimePoint At(std::chrono::year_month_day date, hours h = hours{0}, minutes m = minutes{0},
             seconds s = seconds{0}, milliseconds ms = milliseconds{0}) {
  return TimePoint{sys_days{date} + h + m + s + ms};
}

constexpr auto kDeadlineDate = std::chrono::year{2014} / std::chrono::October / 20;

TEST(FormatTime, WritesUtcWithMilliseconds) {
  EXPECT_EQ(FormatTime(At(kDeadlineDate, hours{16})), "2014-10-20T16:00:00.000Z");
  EXPECT_EQ(FormatTime(At(kDeadlineDate, hours{9}, minutes{5}, seconds{7}, milliseconds{42})),
            "2014-10-20T09:05:07.042Z");
}

TEST(FormatTime, WritesTheEpoch) { EXPECT_EQ(FormatTime(TimePoint{}), "1970-01-01T00:00:00.000Z"); }

TEST(FormatTime, WritesTheLastMillisecondOfADay) {
  EXPECT_EQ(FormatTime(At(std::chrono::year{2014} / 12 / 31, hours{23}, minutes{59}, seconds{59},
                          milliseconds{999})),
            "2014-12-31T23:59:59.999Z");
}

TEST(FormatTime, WritesTheLastRepresentableYear) {
  EXPECT_EQ(FormatTime(At(std::chrono::year{2262} / 1 / 1, hours{23}, minutes{47})),
            "2262-01-01T23:47:00.000Z");
}

TEST(FormatTime, WritesInstantsBeforeTheEpoch) {
  EXPECT_EQ(FormatTime(TimePoint{} - milliseconds{1}), "1969-12-31T23:59:59.999Z");
}

TEST(FormatTime, DropsSubMillisecondPrecision) {
  TimePoint at = At(kDeadlineDate, hours{16}) + std::chrono::microseconds{999};
  EXPECT_EQ(FormatTime(at), "2014-10-20T16:00:00.000Z");
}

TEST(FormatTime, IsFixedWidthSoTextOrderIsTimeOrder) {
  std::string early = FormatTime(At(std::chrono::year{2014} / 3 / 2, hours{1}));
  std::string late =
      FormatTime(At(kDeadlineDate, hours{16}, minutes{0}, seconds{0}, milliseconds{1}));
  EXPECT_EQ(early.size(), late.size());
  EXPECT_LT(early, late);
}

TEST(ParseTime, ReadsMillisecondsAndWholeSeconds) {
  EXPECT_EQ(ParseTime("2014-10-20T16:00:00.000Z"), At(kDeadlineDate, hours{16}));
  EXPECT_EQ(ParseTime("2014-10-20T16:00:00Z"), At(kDeadlineDate, hours{16}));
  EXPECT_EQ(ParseTime("2014-10-20T09:05:07.042Z"),
            At(kDeadlineDate, hours{9}, minutes{5}, seconds{7}, milliseconds{42}));
}

TEST(ParseTime, ShortFractionsAreTenthsAndHundredths) {
  EXPECT_EQ(ParseTime("2014-10-20T16:00:00.5Z"),
            At(kDeadlineDate, hours{16}, minutes{0}, seconds{0}, milliseconds{500}));
  EXPECT_EQ(ParseTime("2014-10-20T16:00:00.25Z"),
            At(kDeadlineDate, hours{16}, minutes{0}, seconds{0}, milliseconds{250}));
}

TEST(ParseTime, RoundTripsWhatFormatTimeWrites) {
  const TimePoint instants[] = {
      TimePoint{},
      At(std::chrono::year{2000} / 2 / 29, hours{12}, minutes{30}, seconds{15}, milliseconds{1}),
      At(kDeadlineDate, hours{15}, minutes{59}, seconds{59}, milliseconds{999}),
      At(std::chrono::year{2014} / 3 / 2),
      At(std::chrono::year{2099} / 12 / 31, hours{23}, minutes{59}, seconds{59}, milliseconds{999}),
  };
  for (TimePoint at : instants) {
    std::string text = FormatTime(at);
    std::optional<TimePoint> parsed = ParseTime(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, at) << text;
    EXPECT_EQ(FormatTime(*parsed), text);
  }
}

class ParseTimeRejects : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseTimeRejects, MalformedInput) {
  std::optional<TimePoint> parsed = ParseTime(GetParam());
  EXPECT_FALSE(parsed.has_value()) << '"' << GetParam() << "\" was read as " << FormatTime(*parsed);
}

INSTANTIATE_TEST_SUITE_P(WrongShape, ParseTimeRejects,
                         ::testing::Values("", "Z", "not a time", "2014-10-20", "2014-10-20T16:00",
                                           "2014-10-20T16:00:00",           // no zone
                                           "2014-10-20T16:00:00.000",       // no zone
                                           "2014-10-20T16:00:00+08:00",     // an offset, not UTC
                                           "2014-10-20T16:00:00.000z",      // lowercase zone
                                           "2014-10-20 16:00:00Z",          // space instead of T
                                           "2014/10/20T16:00:00Z",          // slashes
                                           "2014-10-20T16:00:00ZZ",         // trailing text
                                           "2014-10-20T16:00:00.000Z junk"  // trailing text
                                           ));

INSTANTIATE_TEST_SUITE_P(OutOfRange, ParseTimeRejects,
                         ::testing::Values("2014-13-01T00:00:00Z", "2014-00-10T00:00:00Z",
                                           "2014-02-29T00:00:00Z", "2014-04-31T00:00:00Z",
                                           "2014-10-00T00:00:00Z", "2014-10-20T24:00:00Z",
                                           "2014-10-20T16:60:00Z", "2014-10-20T16:00:61Z"));

// Each field has a fixed number of digits and no sign or padding spaces.
INSTANTIATE_TEST_SUITE_P(LooseFields, ParseTimeRejects,
                         ::testing::Values("2014-10-20T-1:00:00Z",    // negative hour
                                           "2014-10-20T16:-5:00Z",    // negative minute
                                           "2014-10-20T16:00:-1Z",    // negative second
                                           "2014-1-2T3:4:5Z",         // missing leading zeros
                                           "2014-10-20T16:00:00.Z",   // a point without digits
                                           " 2014-10-20T16:00:00Z",   // leading space
                                           "2014-10-20T 6:00:00Z",    // padded with a space
                                           "2014-10-20T+6:00:00Z"));  // a sign

}  // namespace
}  // namespace jingsai::engine
