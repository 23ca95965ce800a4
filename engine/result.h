// Result and Error: expected failures as values.
//
// Every layer returns a Result<T> for failures a user can cause (bad input, a
// move the flow forbids, a missing item). The API maps Error::code to an HTTP
// status in one place. Exceptions are kept for the truly exceptional.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace jingsai::engine {

// Stable error codes; their wire names and HTTP statuses are fixed by API.md.
enum class ErrorCode {
  kBadRequest,
  kUnauthenticated,
  kForbidden,
  kNotFound,
  kInvalidAction,
  kConflict,
  kVersionMismatch,
  kTooLarge,
  kUnsupportedMediaType,
  kValidationFailed,
  kInvalidFlow,
  kRateLimited,
  kInternal,
};

// One problem inside a larger failure: where (a JSON path such as
// "stages[2].actions.approve.to"), what, and which rule found it.
struct Detail {
  std::string path;
  std::string message;
  std::string rule;  // empty unless a named validator produced it

  bool operator==(const Detail&) const = default;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<Detail> details;

  static Error BadRequest(std::string message, std::vector<Detail> details = {}) {
    return {ErrorCode::kBadRequest, std::move(message), std::move(details)};
  }
  static Error Unauthenticated(std::string message) {
    return {ErrorCode::kUnauthenticated, std::move(message), {}};
  }
  static Error Forbidden(std::string message) {
    return {ErrorCode::kForbidden, std::move(message), {}};
  }
  static Error NotFound(std::string message) {
    return {ErrorCode::kNotFound, std::move(message), {}};
  }
  static Error InvalidAction(std::string message) {
    return {ErrorCode::kInvalidAction, std::move(message), {}};
  }
  static Error Conflict(std::string message) {
    return {ErrorCode::kConflict, std::move(message), {}};
  }
  static Error VersionMismatch(std::string message) {
    return {ErrorCode::kVersionMismatch, std::move(message), {}};
  }
  static Error ValidationFailed(std::string message, std::vector<Detail> details) {
    return {ErrorCode::kValidationFailed, std::move(message), std::move(details)};
  }
  static Error InvalidFlow(std::vector<Detail> details) {
    return {ErrorCode::kInvalidFlow, "流程定义有误", std::move(details)};
  }
  static Error Internal(std::string message) {
    return {ErrorCode::kInternal, std::move(message), {}};
  }
};

// Either a value or an Error. Check ok() before value().
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok()
  const Error& error() const& {
    assert(!ok());
    return std::get<Error>(state_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<Error>(std::move(state_));
  }

 private:
  std::variant<T, Error> state_;
};

// A result that carries no value.
struct Ok {};
using Status = Result<Ok>;

}  // namespace jingsai::engine
