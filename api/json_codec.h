// JSON in and out: decoding request bodies into checked fields (every
// problem with its path), and the JSON answers of the API.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"
#include "engine/result.h"

namespace jingsai::api {

// The request body as a JSON object: 415 when it is not declared JSON
// (`application/json`, with or without parameters), 400 when it does not
// parse (also: invalid UTF-8, nesting deeper than 64; the message names the
// byte where it stopped) or is not an object.
engine::Result<boost::json::object> ParseJsonObject(const Request& request);

// Reads fields from a decoded object and collects every problem, so that one
// 400 answer names all of them.
class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& object, std::string prefix = "")
      : object_(object), prefix_(std::move(prefix)) {}

  std::string RequiredString(std::string_view key);
  std::optional<std::string> OptionalString(std::string_view key);
  // Text people read (names, titles, citations): a string that is not only
  // whitespace and holds no control characters; kMultiLine also lets line
  // breaks and tabs through.
  enum class Lines { kOne, kMultiLine };
  std::string RequiredText(std::string_view key, Lines lines = Lines::kOne);
  std::optional<std::string> OptionalText(std::string_view key, Lines lines = Lines::kOne);
  std::optional<int64_t> OptionalInt(std::string_view key);
  const boost::json::value* Required(std::string_view key);  // any type
  const boost::json::value* Optional(std::string_view key);
  const boost::json::array* RequiredArray(std::string_view key);
  const boost::json::array* OptionalArray(std::string_view key);

  void Problem(std::string_view key, std::string message);
  // Takes over the problems a reader of a nested object found.
  void Absorb(const FieldReader& nested);
  std::string PathOf(std::string_view key) const;
  bool ok() const { return problems_.empty(); }
  // kBadRequest listing every problem, or Ok.
  engine::Status Finish() const;

 private:
  // Whether `text` is readable text (see RequiredText); a problem when not.
  bool IsReadable(std::string_view key, std::string_view text, Lines lines);

  const boost::json::object& object_;
  std::string prefix_;
  std::vector<engine::Detail> problems_;
};

Response JsonResponse(int status, const boost::json::value& body);

// A list page: {"items": [...], "next_cursor": "..." | null}.
Response PageResponse(boost::json::array items, std::optional<std::string> next_cursor);

// ?limit= (default 50, 1..500) and ?cursor= (an opaque position).
struct PageRequest {
  int limit = 50;
  std::optional<int64_t> cursor;
};
engine::Result<PageRequest> ParsePage(const Request& request);

// For lists ordered by a text key (flows, campaigns): ?limit= as above, and
// ?cursor= the key of the last item given (letters, digits, '-' and '_').
struct KeyPageRequest {
  int limit = 50;
  std::optional<std::string> after;
};
engine::Result<KeyPageRequest> ParseKeyPage(const Request& request);

// One page of a list held in memory, in the list's order: `included(item)`
// says whether an item belongs on the page (after the request's cursor, and
// through any filter), and `cursor_of(item)` is the cursor that goes on after it.
struct Page {
  boost::json::array items;
  std::optional<std::string> next_cursor;
};
template <typename Item, typename Included, typename CursorOf, typename Encode>
Page PageItemsOf(const std::vector<Item>& all, int limit, Included included, CursorOf cursor_of,
                 Encode encode) {
  Page page;
  const Item* last = nullptr;
  for (const Item& item : all) {
    if (!included(item)) continue;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = cursor_of(*last);
      break;
    }
    page.items.push_back(encode(item));
    last = &item;
  }
  return page;
}
// The same page as an answer: {"items": [...], "next_cursor": ...}.
template <typename Item, typename Included, typename CursorOf, typename Encode>
Response PageOf(const std::vector<Item>& all, int limit, Included included, CursorOf cursor_of,
                Encode encode) {
  Page page = PageItemsOf(all, limit, included, cursor_of, encode);
  return PageResponse(std::move(page.items), std::move(page.next_cursor));
}

// Parses a positive decimal id from a path parameter.
std::optional<int64_t> ParseId(std::string_view text);

}  // namespace jingsai::api
