// Transport-neutral request and response values. The Beast server converts to and from these,
// so handlers, the router and the tests never include Beast or Asio headers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aimoviez::http {

// Looked up by string_view (std::less<>): a lookup by a literal builds no std::string.
using HeaderMap = std::map<std::string, std::string, std::less<>>;
// Request headers in arrival order, names lower-cased, a repeated field merged into its first
// entry. A request carries a handful: a scan of a vector costs less than a tree that allocated a
// node per header and compared strings at every step.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // upper case: GET, POST, ...
  std::string target;  // as received, e.g. /api/clip/3?x=1
  std::string path;    // percent-decoded path without the query
  HeaderMap query;     // decoded; the last value wins
  HeaderList headers;  // names lower-cased
  std::string body;
  std::string remote_ip;
  bool secure_transport = false;

  const std::string& Header(std::string_view lower_name) const;
};

// A slice of a file to send as the body (media and static assets), sent without buffering it.
struct FileBody {
  std::string path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::optional<FileBody> file;

  HttpResponse& Set(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  bool Has(std::string_view name) const;
};

}  // namespace aimoviez::http
