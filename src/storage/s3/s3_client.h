// A small synchronous client for the S3 operations the media pipeline needs: upload a file,
// download an object to a file, delete, and check existence. Bodies stream from and to files;
// nothing is held in memory. Requests are signed with SigV4 headers (sigv4.h). Only this file's
// .cpp includes Beast's client side.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"
#include "storage/s3/sigv4.h"

namespace aimoviez::s3 {

struct S3Result {
  int status = 0;  // HTTP status; 0 when the request could not be made
  std::string error;
  bool ok() const { return status >= 200 && status < 300; }
};

class S3Client {
 public:
  S3Client(S3Endpoint endpoint, const Clock& clock)
      : endpoint_(std::move(endpoint)), clock_(clock) {}

  const S3Endpoint& endpoint() const { return endpoint_; }
  S3Result PutFile(std::string_view key, const std::string& path, std::string_view content_type,
                   std::string_view cache_control = "");
  S3Result GetToFile(std::string_view key, const std::string& path);
  S3Result Delete(std::string_view key);
  S3Result Head(std::string_view key);

 private:
  S3Endpoint endpoint_;
  const Clock& clock_;
};

}  // namespace aimoviez::s3
