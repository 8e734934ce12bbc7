// AWS Signature Version 4 for S3-compatible object storage: presigned URLs (query-string auth,
// for the browser's direct upload and for downloads) and the Authorization header of the
// server's own requests. Pure functions of their inputs, so they are tested against AWS's
// published examples.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"

namespace aimoviez::s3 {

struct S3Endpoint {
  std::string scheme = "https";  // http for local S3-compatible servers
  std::string host;              // "s3.eu-west-1.amazonaws.com" or "127.0.0.1:4569"
  std::string region = "us-east-1";
  std::string bucket;
  std::string access_key;
  std::string secret_key;
  bool path_style = true;  // /bucket/key; false: bucket.host/key (virtual-host style)

  std::string HostFor() const { return path_style ? host : bucket + "." + host; }
  std::string PathFor(std::string_view key) const;
  std::string UrlFor(std::string_view key) const {
    return scheme + "://" + HostFor() + PathFor(key);
  }
};

// "20130524T000000Z" for the instant.
std::string AmzDate(EpochMs at);

// A URL that lets its holder run `method` on `key` until `expires_seconds` after `at`. With
// `content_length`, the length is a signed header: the store refuses a body of another size.
std::string PresignUrl(const S3Endpoint& endpoint, std::string_view method, std::string_view key,
                       EpochMs at, int expires_seconds,
                       std::optional<std::int64_t> content_length = std::nullopt);

struct SignedHeaders {
  std::string host;
  std::string amz_date;
  std::string content_sha256 = "UNSIGNED-PAYLOAD";
  std::string authorization;
};

// Headers for the server's own request (payload not hashed: UNSIGNED-PAYLOAD).
SignedHeaders SignRequest(const S3Endpoint& endpoint, std::string_view method, std::string_view key,
                          EpochMs at);

// Percent-encodes per SigV4 (unreserved characters kept; '/' kept when `keep_slash`).
std::string UriEncode(std::string_view s, bool keep_slash);

}  // namespace aimoviez::s3
