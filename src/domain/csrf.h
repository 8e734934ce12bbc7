// CSRF tokens: "<expiry-ms>.<nonce>.<mac>" where mac = HMAC-SHA256(server secret, binding,
// expiry, nonce). The binding is the caller's session id hash or device key, so a token taken
// from one visitor is useless to another; expiry is one hour by default.
#pragma once

#include <string>
#include <string_view>

#include "common/time.h"

namespace aimoviez {

class CsrfTokens {
 public:
  CsrfTokens(std::string secret, EpochMs ttl_ms) : secret_(std::move(secret)), ttl_ms_(ttl_ms) {}

  std::string Issue(std::string_view binding, EpochMs now) const;
  enum class Verdict { kValid, kMissing, kMalformed, kExpired, kWrongBinding };
  Verdict Verify(std::string_view token, std::string_view binding, EpochMs now) const;

 private:
  std::string Mac(std::string_view binding, std::string_view expiry, std::string_view nonce) const;

  std::string secret_;
  EpochMs ttl_ms_;
};

}  // namespace aimoviez
