// The text of a JSON answer. Boost.JSON 1.81 prints every double in
// scientific form ("5E-1", "3E5"): valid JSON, but not what a person reading
// an answer or a spreadsheet importing it expects. This writer prints doubles
// the way people write them ("0.5", "300000") and is otherwise the same
// compact JSON.
//
// Thread-safety: a pure function.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace jingsai::api {

// REQUIRES: every string in `value` is valid UTF-8 (Boost.JSON's parser
// guarantees this for decoded input; our own strings are UTF-8).
std::string ToJsonText(const boost::json::value& value);

// A member name of our own, checked when the program is compiled to need no
// escape: Key then appends it as it is (escaping every name was a tenth of a
// page of items).
class MemberName {
 public:
  template <size_t N>
  consteval MemberName(const char (&name)[N])  // NOLINT: implicit, from a literal
      : text_(name, N - 1) {
    for (char c : text_) {
      // Not a constant expression: a name that needs an escape fails to compile.
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) throw "needs an escape";
    }
  }
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

// The same text written straight into a string, for the largest answers
// (items and pages of them), without building a boost::json::value first.
// The caller nests Begin/End calls as the JSON nests; Key before every
// member of an object; commas are the writer's business.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(MemberName key);
  JsonWriter& String(std::string_view text);
  JsonWriter& Int(int64_t number);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Any value, as ToJsonText writes it.
  JsonWriter& Value(const boost::json::value& value);
  // String(text), or null when it is empty.
  JsonWriter& StringOrNull(std::string_view text);
  // A value as JSON text another JsonWriter wrote.
  JsonWriter& Raw(std::string_view value);
  // Members of the object being written, as text another JsonWriter wrote
  // (Key and value calls, no braces), to go on with more of them.
  JsonWriter& Members(std::string_view members);

 private:
  // A comma before every element of an array but the first; none after a key.
  void BeforeValue();
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);

  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace jingsai::api
