// The HTTP/1.1 head of an answer, written as text in one go.
//
// Beast's serializer walked a chain of buffer views for every write: a tenth
// of all the instructions of a durable step, more than the step's own
// SQLite UPDATE. The session writes this head and the body with one gathered
// write instead.
#pragma once

#include <string>
#include <string_view>

#include "api/http_types.h"

namespace jingsai::api {

// The status line and headers, ending in the blank line. `body_size` is the
// Content-Length (that of the GET answer for a HEAD); a 204 or a 304 has
// none. The
// server's own headers come first; of a handler's headers with the same
// name only the last counts, and a handler's Cache-Control replaces the
// default no-store. CR and LF in a value are written as spaces, so no value
// can end the head early.
std::string ResponseHead(const Response& response, size_t body_size, bool keep_alive);

// 1xx, 204 and 304 answers carry no body and no Content-Length (RFC 9110).
bool HasNoBody(int status);

// True when an If-None-Match list names `etag` (or is "*"); weak tags match
// too, as the comparison for If-None-Match is weak (RFC 9110 13.1.2).
bool IfNoneMatchNames(std::string_view if_none_match, std::string_view etag);

}  // namespace jingsai::api
