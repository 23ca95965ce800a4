// Errors on the wire: the one place where an engine::Error becomes an HTTP
// status and the JSON body of API.md:
// {"error": {"code", "message", "details": [{"path", "message", "rule"?}]}}
#pragma once

#include <string_view>

#include "api/http_types.h"
#include "engine/result.h"

namespace jingsai::api {

int HttpStatusFor(engine::ErrorCode code);
std::string_view ErrorCodeName(engine::ErrorCode code);

// `status_override` replaces the mapped status (e.g. 405, 431), keeping the code.
Response ErrorResponse(const engine::Error& error, int status_override = 0);

// A 500 whose details stay in the log, not in the answer.
Response InternalErrorResponse(std::string_view what);

}  // namespace jingsai::api
