#include "api/errors.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "api/json_text.h"

namespace jingsai::api {

int HttpStatusFor(engine::ErrorCode code) {
  switch (code) {
    case engine::ErrorCode::kBadRequest:
      return 400;
    case engine::ErrorCode::kUnauthenticated:
      return 401;
    case engine::ErrorCode::kForbidden:
      return 403;
    case engine::ErrorCode::kNotFound:
      return 404;
    case engine::ErrorCode::kInvalidAction:
    case engine::ErrorCode::kConflict:
      return 409;
    case engine::ErrorCode::kVersionMismatch:
      return 412;
    case engine::ErrorCode::kTooLarge:
      return 413;
    case engine::ErrorCode::kUnsupportedMediaType:
      return 415;
    case engine::ErrorCode::kValidationFailed:
    case engine::ErrorCode::kInvalidFlow:
      return 422;
    case engine::ErrorCode::kRateLimited:
      return 429;
    case engine::ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view ErrorCodeName(engine::ErrorCode code) {
  switch (code) {
    case engine::ErrorCode::kBadRequest:
      return "bad_request";
    case engine::ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case engine::ErrorCode::kForbidden:
      return "forbidden";
    case engine::ErrorCode::kNotFound:
      return "not_found";
    case engine::ErrorCode::kInvalidAction:
      return "invalid_action";
    case engine::ErrorCode::kConflict:
      return "conflict";
    case engine::ErrorCode::kVersionMismatch:
      return "version_mismatch";
    case engine::ErrorCode::kTooLarge:
      return "too_large";
    case engine::ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case engine::ErrorCode::kValidationFailed:
      return "validation_failed";
    case engine::ErrorCode::kInvalidFlow:
      return "invalid_flow";
    case engine::ErrorCode::kRateLimited:
      return "rate_limited";
    case engine::ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

Response ErrorResponse(const engine::Error& error, int status_override) {
  boost::json::array details;
  for (const engine::Detail& detail : error.details) {
    boost::json::object entry{{"path", detail.path}, {"message", detail.message}};
    if (!detail.rule.empty()) entry["rule"] = detail.rule;
    details.push_back(std::move(entry));
  }
  boost::json::object body{{"error",
                            {{"code", ErrorCodeName(error.code)},
                             {"message", error.message},
                             {"details", std::move(details)}}}};
  Response response;
  response.status = status_override != 0 ? status_override : HttpStatusFor(error.code);
  response.body = ToJsonText(body);
  if (error.code == engine::ErrorCode::kUnauthenticated) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  if (error.code == engine::ErrorCode::kInternal) return InternalErrorResponse(error.message);
  return response;
}

Response InternalErrorResponse(std::string_view what) {
  if (auto logger = spdlog::get("api")) logger->error("internal error: {}", what);
  Response response;
  response.status = 500;
  response.body = R"({"error":{"code":"internal","message":"服务器内部错误","details":[]}})";
  return response;
}

}  // namespace jingsai::api
