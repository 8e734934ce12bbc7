#include "domain/errors.h"

namespace aimoviez {

Error Error::InvalidInput(std::string message, std::string code) {
  return Error{ErrorKind::kInvalidInput, std::move(code), std::move(message), {}};
}
Error Error::NotFound(std::string what) {
  return Error{ErrorKind::kNotFound, "NOT_FOUND", std::move(what) + " not found", {}};
}
Error Error::Conflict(std::string code, std::string message) {
  return Error{ErrorKind::kConflict, std::move(code), std::move(message), {}};
}
Error Error::Forbidden(std::string code, std::string message) {
  return Error{ErrorKind::kForbidden, std::move(code), std::move(message), {}};
}
Error Error::AuthRequired(std::string message) {
  return Error{ErrorKind::kAuthRequired, "AUTH_REQUIRED", std::move(message), {}};
}
Error Error::Internal(std::string message) {
  return Error{ErrorKind::kInternal, "INTERNAL", std::move(message), {}};
}

Error StorageFailure::UnavailableError() {
  return Error{ErrorKind::kUnavailable,
               "STORAGE_UNAVAILABLE",
               "The database cannot be reached right now; try again shortly",
               {}};
}

int HttpStatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return 400;
    case ErrorKind::kAuthRequired:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kMethodNotAllowed:
      return 405;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kPayloadTooLarge:
      return 413;
    case ErrorKind::kUnsupportedMedia:
      return 415;
    case ErrorKind::kUnprocessable:
      return 422;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

}  // namespace aimoviez
