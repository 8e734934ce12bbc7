// The error vocabulary shared by every layer: a kind (what went wrong, which the HTTP layer maps
// to a status in one place), a stable machine code for clients, a human message and optional
// details. Expected outcomes travel as Result<T>; only request-ending failures are thrown.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace aimoviez {

enum class ErrorKind {
  kInvalidInput,      // 400
  kAuthRequired,      // 401
  kForbidden,         // 403
  kNotFound,          // 404
  kMethodNotAllowed,  // 405
  kConflict,          // 409
  kPayloadTooLarge,   // 413
  kUnsupportedMedia,  // 415
  kUnprocessable,     // 422
  kRateLimited,       // 429
  kUnavailable,       // 503
  kInternal,          // 500
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string code;     // e.g. "NOT_FOUND", "ALREADY_VOTED"
  std::string message;  // safe to show to the client
  boost::json::object details;

  static Error InvalidInput(std::string message, std::string code = "VALIDATION_ERROR");
  static Error NotFound(std::string what);
  static Error Conflict(std::string code, std::string message);
  static Error Forbidden(std::string code, std::string message);
  static Error AuthRequired(std::string message = "Sign in required");
  static Error Internal(std::string message = "Internal error");

  Error&& With(std::string_view key, boost::json::value value) && {
    details[key] = std::move(value);
    return std::move(*this);
  }
};

// Thrown for failures that end the request (malformed input found deep in parsing, broken
// storage); caught once by the router and rendered with the shared error shape.
class ApiError : public std::runtime_error {
 public:
  explicit ApiError(Error error) : std::runtime_error(error.message), error_(std::move(error)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// A storage backend's failure that ends the request. A transient one (the database unreachable
// or restarting, no connection free in time) is answered 503 STORAGE_UNAVAILABLE, which a client
// may retry; any other is a defect, logged and answered 500. Backends derive their errors from it
// so the HTTP layer can tell the two apart without knowing the backend.
class StorageFailure : public std::runtime_error {
 public:
  StorageFailure(const std::string& message, bool transient)
      : std::runtime_error(message), transient_(transient) {}
  bool transient() const { return transient_; }
  static Error UnavailableError();

 private:
  bool transient_;
};

// A value or an Error: the return type of domain operations with expected failure modes.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(data_); }
  const T& value() const { return std::get<0>(data_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

struct Ok {};
using Status = Result<Ok>;

int HttpStatusFor(ErrorKind kind);

}  // namespace aimoviez
