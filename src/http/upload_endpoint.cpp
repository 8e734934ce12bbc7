#include "http/upload_endpoint.h"

#include <filesystem>

#include "http/metrics.h"
#include "http/router.h"

namespace aimoviez::http {

namespace {
constexpr std::string_view kPrefix = "/api/upload/put/";
}

bool UploadEndpoint::Claims(const std::string& method, const std::string& path) {
  return method == "PUT" && path.rfind(kPrefix, 0) == 0;
}

void UploadEndpoint::Observe(const HttpRequest& head, int status) {
  services_.metrics.Observe(head.method, "/api/upload/put/{key}", status, 0);
}

UploadAdmission UploadEndpoint::Admit(const HttpRequest& head) {
  UploadAdmission out;
  const std::string key = head.path.substr(kPrefix.size());
  std::optional<std::uint64_t> length;
  if (const auto& declared = head.Header("content-length"); !declared.empty()) {
    try {
      length = std::stoull(declared);
    } catch (...) {
      out.refusal = ErrorResponse(Error::InvalidInput("Bad Content-Length"));
      return out;
    }
  }
  auto query = [&](const char* name) {
    auto it = head.query.find(name);
    return it == head.query.end() ? std::string() : it->second;
  };
  auto upload = uploads_.AuthorizePut(key, query("expires"), query("sig"), length);
  if (!upload) {
    out.refusal = ErrorResponse(upload.error());
    Observe(head, out.refusal->status);
    return out;
  }
  out.key = upload->object_key;
  out.max_bytes = static_cast<std::uint64_t>(upload->declared_size);
  out.temp_path = media_.NewIncomingPath();
  return out;
}

HttpResponse UploadEndpoint::Complete(const UploadAdmission& admission, std::uint64_t bytes) {
  auto upload = uploads_.CompletePut(admission.key, bytes);
  std::error_code ec;
  if (!upload || !media_.Adopt(admission.temp_path, admission.key)) {
    std::filesystem::remove(admission.temp_path, ec);
    auto r = upload ? ErrorResponse(Error::Internal("Could not store the upload"))
                    : ErrorResponse(upload.error());
    services_.metrics.Observe("PUT", "/api/upload/put/{key}", r.status, 0);
    return r;
  }
  services_.metrics.Observe("PUT", "/api/upload/put/{key}", 200, 0);
  return JsonResponse(
      200, boost::json::object{{"key", upload->object_key}, {"size", upload->received_bytes}});
}

HttpResponse UploadEndpoint::Abort(const UploadAdmission& admission, bool too_large) {
  std::error_code ec;
  std::filesystem::remove(admission.temp_path, ec);
  auto r =
      too_large
          ? ErrorResponse(Error{ErrorKind::kPayloadTooLarge,
                                "TOO_LARGE",
                                "The file is larger than the signed size",
                                {}})
          : ErrorResponse(Error::InvalidInput("The upload was interrupted", "UPLOAD_INTERRUPTED"));
  services_.metrics.Observe("PUT", "/api/upload/put/{key}", r.status, 0);
  return r;
}

}  // namespace aimoviez::http
