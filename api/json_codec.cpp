#include "api/json_codec.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <charconv>
#include <cmath>

#include "api/json_text.h"
#include "engine/text.h"

namespace jingsai::api {

namespace {

// The path of the first number that does not fit a double (e.g. 1e400, which
// parses to infinity and has no JSON form to store or answer), if any.
std::optional<std::string> NonFiniteNumberPath(const boost::json::value& value,
                                               const std::string& path) {
  if (value.is_double()) {
    return std::isfinite(value.as_double()) ? std::nullopt : std::optional<std::string>(path);
  }
  if (value.is_array()) {
    const boost::json::array& array = value.as_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      auto found = NonFiniteNumberPath(array[i], path + "[" + std::to_string(i) + "]");
      if (found) return found;
    }
  } else if (value.is_object()) {
    for (const auto& [key, nested] : value.as_object()) {
      auto found = NonFiniteNumberPath(
          nested, path.empty() ? std::string(key) : path + "." + std::string(key));
      if (found) return found;
    }
  }
  return std::nullopt;
}

// Parses the whole body; on failure, `stopped_at` is the offset of the byte
// the parser could not take (the body's length when the text ended early).
boost::json::value ParseBody(std::string_view body, boost::system::error_code& ec,
                             size_t& stopped_at) {
  boost::json::parse_options options;
  options.max_depth = 64;  // deeper input is refused, never recursed into
  boost::json::stream_parser parser({}, options);
  stopped_at = parser.write(body.data(), body.size(), ec);
  if (!ec) parser.finish(ec);
  return ec ? boost::json::value() : parser.release();
}

bool IsControl(char32_t c, FieldReader::Lines lines) {
  if (lines == FieldReader::Lines::kMultiLine && (c == '\n' || c == '\r' || c == '\t')) {
    return false;
  }
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
}

}  // namespace

engine::Result<boost::json::object> ParseJsonObject(const Request& request) {
  if (MediaTypeOf(request.Header("content-type").value_or("")) != "application/json") {
    return engine::Error{engine::ErrorCode::kUnsupportedMediaType,
                         "请求体须为 JSON（Content-Type: application/json）",
                         {}};
  }
  boost::system::error_code ec;
  size_t stopped_at = 0;
  boost::json::value value = ParseBody(request.body, ec, stopped_at);
  if (ec) {
    std::string where = "第 " + std::to_string(stopped_at + 1) + " 个字节附近";
    return engine::Error::BadRequest("请求体不是有效的 JSON（" + where + "）：" + ec.message(),
                                     {{"", "不是有效的 JSON（" + where + "）", ""}});
  }
  if (!value.is_object()) {
    return engine::Error::BadRequest("请求体须为 JSON 对象", {{"", "须为 JSON 对象", ""}});
  }
  if (std::optional<std::string> path = NonFiniteNumberPath(value, "")) {
    return engine::Error::BadRequest("数值超出范围", {{*path, "数值超出可表示的范围", ""}});
  }
  return std::move(value.as_object());
}

std::string FieldReader::PathOf(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

void FieldReader::Problem(std::string_view key, std::string message) {
  problems_.push_back({PathOf(key), std::move(message), ""});
}

void FieldReader::Absorb(const FieldReader& nested) {
  problems_.insert(problems_.end(), nested.problems_.begin(), nested.problems_.end());
}

const boost::json::value* FieldReader::Optional(std::string_view key) {
  const boost::json::value* value = object_.if_contains(key);
  return (value == nullptr || value->is_null()) ? nullptr : value;
}

const boost::json::value* FieldReader::Required(std::string_view key) {
  const boost::json::value* value = Optional(key);
  if (value == nullptr) Problem(key, "缺少必填字段");
  return value;
}

std::string FieldReader::RequiredString(std::string_view key) {
  const boost::json::value* value = Required(key);
  if (value == nullptr) return {};
  if (!value->is_string()) {
    Problem(key, "须为字符串");
    return {};
  }
  if (value->as_string().empty()) Problem(key, "不能为空");
  return std::string(value->as_string());
}

bool FieldReader::IsReadable(std::string_view key, std::string_view text, Lines lines) {
  if (engine::IsBlank(text)) {
    Problem(key, "不能为空白");
    return false;
  }
  for (size_t pos = 0; pos < text.size();) {
    if (IsControl(engine::NextCodePoint(text, pos), lines)) {
      Problem(key, "不能含有控制字符");
      return false;
    }
  }
  return true;
}

std::string FieldReader::RequiredText(std::string_view key, Lines lines) {
  std::string text = RequiredString(key);  // says so when missing or empty
  return text.empty() || IsReadable(key, text, lines) ? text : std::string();
}

std::optional<std::string> FieldReader::OptionalText(std::string_view key, Lines lines) {
  std::optional<std::string> text = OptionalString(key);
  if (text && !IsReadable(key, *text, lines)) return std::nullopt;
  return text;
}

std::optional<std::string> FieldReader::OptionalString(std::string_view key) {
  const boost::json::value* value = Optional(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    Problem(key, "须为字符串");
    return std::nullopt;
  }
  return std::string(value->as_string());
}

std::optional<int64_t> FieldReader::OptionalInt(std::string_view key) {
  const boost::json::value* value = Optional(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  Problem(key, "须为整数");
  return std::nullopt;
}

const boost::json::array* FieldReader::RequiredArray(std::string_view key) {
  const boost::json::value* value = Required(key);
  if (value != nullptr && !value->is_array()) {
    Problem(key, "须为数组");
    return nullptr;
  }
  return value == nullptr ? nullptr : &value->as_array();
}

const boost::json::array* FieldReader::OptionalArray(std::string_view key) {
  const boost::json::value* value = Optional(key);
  if (value != nullptr && !value->is_array()) {
    Problem(key, "须为数组");
    return nullptr;
  }
  return value == nullptr ? nullptr : &value->as_array();
}

engine::Status FieldReader::Finish() const {
  if (problems_.empty()) return engine::Ok{};
  return engine::Error::BadRequest("请求内容有误", problems_);
}

Response JsonResponse(int status, const boost::json::value& body) {
  Response response;
  response.status = status;
  response.body = ToJsonText(body);
  return response;
}

Response PageResponse(boost::json::array items, std::optional<std::string> next_cursor) {
  boost::json::object body;
  body["items"] = std::move(items);
  body["next_cursor"] =
      next_cursor ? boost::json::value(*next_cursor) : boost::json::value(nullptr);
  // Moved, not copied: a page is the largest answer, and converting the
  // object to a value by copy was a quarter of an inbox's cost.
  return JsonResponse(200, boost::json::value(std::move(body)));
}

std::optional<int64_t> ParseId(std::string_view text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

namespace {

engine::Result<int> ParseLimit(const Request& request) {
  std::optional<std::string> limit = request.Query("limit");
  if (!limit) return 50;
  std::optional<int64_t> parsed = ParseId(*limit);
  if (!parsed || *parsed > 500) {
    return engine::Error::BadRequest("limit 须为 1 到 500 的整数",
                                     {{"limit", "须为 1 到 500 的整数", ""}});
  }
  return static_cast<int>(*parsed);
}

engine::Error BadCursor() {
  return engine::Error::BadRequest("cursor 无效", {{"cursor", "无效的分页位置", ""}});
}

}  // namespace

engine::Result<KeyPageRequest> ParseKeyPage(const Request& request) {
  engine::Result<int> limit = ParseLimit(request);
  if (!limit.ok()) return std::move(limit).error();
  KeyPageRequest page;
  page.limit = limit.value();
  if (std::optional<std::string> cursor = request.Query("cursor"); cursor && !cursor->empty()) {
    const bool key_like =
        cursor->size() <= 64 && std::all_of(cursor->begin(), cursor->end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        });
    if (!key_like) return BadCursor();
    page.after = std::move(cursor);
  }
  return page;
}

engine::Result<PageRequest> ParsePage(const Request& request) {
  engine::Result<int> limit = ParseLimit(request);
  if (!limit.ok()) return std::move(limit).error();
  PageRequest page;
  page.limit = limit.value();
  if (std::optional<std::string> cursor = request.Query("cursor"); cursor && !cursor->empty()) {
    page.cursor = ParseId(*cursor);
    if (!page.cursor) return BadCursor();
  }
  return page;
}

}  // namespace jingsai::api
