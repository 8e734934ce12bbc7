// An outbound HTTP(S) client port: what the OpenID Connect sign-in needs from the network
// (discovery, keys, the token endpoint). The Beast implementation verifies certificates against
// the system's trust store; tests can put a provider on loopback over plain HTTP.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace aimoviez::net {

struct FetchRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::size_t max_response_bytes = 256 * 1024;
  std::chrono::milliseconds timeout{10'000};
  // When set, only resolved addresses it accepts are connected to (checked after DNS, so a
  // name cannot smuggle a private address past a check of the URL).
  std::function<bool(std::string_view ip)> allow_address;
};

struct FetchResponse {
  int status = 0;     // 0 when no answer was read (connection, TLS or timeout failure)
  std::string error;  // why, when status is 0
  std::string content_type;
  std::string body;
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  virtual FetchResponse Fetch(const FetchRequest& request) = 0;
};

}  // namespace aimoviez::net
