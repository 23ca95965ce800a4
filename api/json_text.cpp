#include "api/json_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

namespace jingsai::api {
namespace {

void AppendString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void AppendDouble(std::string& out, double number) {
  // JSON has no infinities or NaN; Boost.JSON writes them as null too.
  if (!std::isfinite(number)) {
    out += "null";
    return;
  }
  std::array<char, 400> buffer{};
  // Fixed notation reads naturally for the magnitudes an answer carries
  // (ratios, targets, counts); beyond them the shortest form is clearer.
  double magnitude = std::fabs(number);
  std::chars_format format = (magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15))
                                 ? std::chars_format::fixed
                                 : std::chars_format::general;
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number, format);
  if (ec != std::errc()) {
    out += "null";
    return;
  }
  out.append(buffer.data(), end);
}

void Append(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      out += "null";
      break;
    case boost::json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      break;
    case boost::json::kind::int64:
      out += std::to_string(value.get_int64());
      break;
    case boost::json::kind::uint64:
      out += std::to_string(value.get_uint64());
      break;
    case boost::json::kind::double_:
      AppendDouble(out, value.get_double());
      break;
    case boost::json::kind::string:
      AppendString(out, value.get_string());
      break;
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const boost::json::value& element : value.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        Append(out, element);
      }
      out.push_back(']');
      break;
    }
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const boost::json::key_value_pair& member : value.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        AppendString(out, member.key());
        out.push_back(':');
        Append(out, member.value());
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

std::string ToJsonText(const boost::json::value& value) {
  std::string out;
  out.reserve(256);
  Append(out, value);
  return out;
}

}  // namespace jingsai::api
