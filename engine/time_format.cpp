#include "engine/time_format.h"

#include <chrono>
#include <string_view>

namespace jingsai::engine {

namespace {

// `width` digits of `value` at `out`, zero-padded (printf was a tenth of
// writing a page of items, which carry several times each).
char* PutDigits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

}  // namespace

std::string FormatTime(TimePoint at) {
  using namespace std::chrono;
  auto millis = time_point_cast<milliseconds>(at);
  auto days = floor<std::chrono::days>(millis);
  year_month_day date{days};
  hh_mm_ss<milliseconds> time{millis - days};
  // TimePoint counts nanoseconds in 64 bits: its years (1677-2262) have four digits.
  const int year = static_cast<int>(date.year());
  std::string text(24, ' ');
  char* out = text.data();
  out = PutDigits(out, year, 4);
  *out++ = '-';
  out = PutDigits(out, static_cast<int>(static_cast<unsigned>(date.month())), 2);
  *out++ = '-';
  out = PutDigits(out, static_cast<int>(static_cast<unsigned>(date.day())), 2);
  *out++ = 'T';
  out = PutDigits(out, static_cast<int>(time.hours().count()), 2);
  *out++ = ':';
  out = PutDigits(out, static_cast<int>(time.minutes().count()), 2);
  *out++ = ':';
  out = PutDigits(out, static_cast<int>(time.seconds().count()), 2);
  *out++ = '.';
  out = PutDigits(out, static_cast<int>(time.subseconds().count()), 3);
  *out = 'Z';
  return text;
}

namespace {

// Reads exactly `width` ASCII digits at `pos`; sscanf would accept signs and
// spaces, which an ISO timestamp never has.
std::optional<int> FixedDigits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

// Accepts YYYY-MM-DDTHH:MM:SS[.fraction]Z, the only form the API emits.
std::optional<TimePoint> ParseTime(std::string_view text) {
  using namespace std::chrono;
  static constexpr std::string_view kShape = "0000-00-00T00:00:00";
  if (text.size() < kShape.size() + 1) return std::nullopt;
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] != '0' && text[i] != kShape[i]) return std::nullopt;
  }
  auto y = FixedDigits(text, 0, 4), mo = FixedDigits(text, 5, 2), d = FixedDigits(text, 8, 2);
  auto h = FixedDigits(text, 11, 2), mi = FixedDigits(text, 14, 2), s = FixedDigits(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  std::string_view rest = text.substr(kShape.size());
  int ms = 0;
  if (rest.front() == '.') {
    size_t i = 1;
    int digits = 0;
    for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; ++i) {
      if (digits < 3) {
        ms = ms * 10 + (rest[i] - '0');
        ++digits;
      }
    }
    if (i == 1) return std::nullopt;
    while (digits++ < 3) ms *= 10;
    rest = rest.substr(i);
  }
  if (rest != "Z") return std::nullopt;
  year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  return TimePoint{sys_days{date} + hours{*h} + minutes{*mi} + seconds{*s} + milliseconds{ms}};
}

}  // namespace jingsai::engine
