#include "api/json_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

namespace jingsai::api {
namespace {

// Runs of characters that need no escape are appended whole: most text
// (Chinese included) has none, and a character at a time was a sixth of a page.
void AppendString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
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
        out += "\\u00";
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0xF]);
    }
  }
  out.append(text.data() + run, text.size() - run);
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

void JsonWriter::BeforeValue() {
  if (need_comma_) out_.push_back(',');
  need_comma_ = true;
}

JsonWriter& JsonWriter::Open(char bracket) {
  BeforeValue();
  out_.push_back(bracket);
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::Close(char bracket) {
  out_.push_back(bracket);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginObject() { return Open('{'); }
JsonWriter& JsonWriter::EndObject() { return Close('}'); }
JsonWriter& JsonWriter::BeginArray() { return Open('['); }
JsonWriter& JsonWriter::EndArray() { return Close(']'); }

JsonWriter& JsonWriter::Key(MemberName key) {
  if (need_comma_) out_.push_back(',');
  out_.push_back('"');
  out_.append(key.text());
  out_.append("\":", 2);
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view text) {
  BeforeValue();
  AppendString(out_, text);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t number) {
  BeforeValue();
  out_ += std::to_string(number);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Value(const boost::json::value& value) {
  BeforeValue();
  Append(out_, value);
  return *this;
}

JsonWriter& JsonWriter::StringOrNull(std::string_view text) {
  return text.empty() ? Null() : String(text);
}

JsonWriter& JsonWriter::Raw(std::string_view value) {
  BeforeValue();
  out_.append(value);
  return *this;
}

JsonWriter& JsonWriter::Members(std::string_view members) {
  if (members.empty()) return *this;
  BeforeValue();
  out_.append(members);
  return *this;
}

}  // namespace jingsai::api
