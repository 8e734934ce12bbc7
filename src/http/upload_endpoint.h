// The PUT target of signed upload URLs (/api/upload/put/<key>?expires&sig), the local stand-in
// for an object store. The Beast server asks it about a request as soon as the headers are in:
// a refusal (bad key, forged or expired signature, declared length over the limit) is answered
// before any body byte is read; an admitted body streams into a temporary file with a byte
// limit and is renamed to its key only when complete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/upload_service.h"
#include "http/http_types.h"
#include "http/request_context.h"
#include "storage/local_media_store.h"

namespace aimoviez::http {

struct UploadAdmission {
  std::optional<HttpResponse> refusal;
  std::string key;
  std::string temp_path;
  std::uint64_t max_bytes = 0;
};

class UploadEndpoint {
 public:
  UploadEndpoint(AppServices& services, UploadService& uploads, const LocalMediaStore& media,
                 int timeout_seconds)
      : services_(services), uploads_(uploads), media_(media), timeout_seconds_(timeout_seconds) {}

  static bool Claims(const std::string& method, const std::string& path);
  UploadAdmission Admit(const HttpRequest& head);
  HttpResponse Complete(const UploadAdmission& admission, std::uint64_t bytes);
  // The body broke the limit or the connection failed: the temporary file goes.
  HttpResponse Abort(const UploadAdmission& admission, bool too_large);
  int timeout_seconds() const { return timeout_seconds_; }

 private:
  void Observe(const HttpRequest& head, int status);

  AppServices& services_;
  UploadService& uploads_;
  const LocalMediaStore& media_;
  int timeout_seconds_;
};

}  // namespace aimoviez::http
