// Request and Response: the plain HTTP values that handlers take and return.
// Only the session (the HTTP edge) knows Beast; handlers know these.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jingsai::api {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path, no query
  std::map<std::string, std::string> query;
  // Header names in lower case.
  std::map<std::string, std::string> headers;
  std::string body;
  std::string client_address;

  std::optional<std::string> Header(std::string_view name) const;
  std::optional<std::string> Query(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the body instead of `body`: text kept elsewhere (a kept inbox
  // page), sent without a copy.
  std::shared_ptr<const std::string> shared_body;
  // When set, renders the body later, on the thread that sends the answer:
  // a step's answer is encoded after its commit, outside the single writer,
  // whose time every other write waits for.
  std::function<std::string()> render_body;

  // Renders a deferred body now (once); a no-op otherwise.
  void RenderBody() {
    if (!render_body) return;
    body = render_body();
    render_body = nullptr;
  }
};

// Handlers answer through this, from any thread, exactly once.
using Respond = std::function<void(Response)>;

// `text` without the spaces and tabs around it.
std::string_view TrimSpaces(std::string_view text);

// The media type of a Content-Type value, in lower case, without its
// parameters: "Application/JSON; charset=utf-8" -> "application/json".
std::string MediaTypeOf(std::string_view content_type);

// One entity tag of an If-Match or If-None-Match list, as written ("\"3\""
// or "*"), and whether it was marked weak (W/"3").
struct EntityTag {
  std::string_view tag;
  bool weak = false;
};
// The tags of such a list, empty members left out ("a, , b" is allowed).
std::vector<EntityTag> EntityTags(std::string_view header);

}  // namespace jingsai::api
