// HttpFetcher over Boost.Beast: one connection per request, TLS with peer and host-name
// verification (the system's CA bundle), a deadline on the whole exchange and a cap on the
// answer's size. No redirects are followed: OpenID endpoints answer directly.
#pragma once

#include "net/http_fetcher.h"

namespace aimoviez::net {

class BeastHttpFetcher : public HttpFetcher {
 public:
  FetchResponse Fetch(const FetchRequest& request) override;
};

}  // namespace aimoviez::net
