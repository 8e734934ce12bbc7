// OpenID Connect sign-in against the configured providers: discovery (cached), the redirect to
// the provider with PKCE, state and nonce, the code exchange at the token endpoint and the ID
// token's verification against the provider's published keys (cached, refetched once when a
// token names a key we have not seen). The rules live in oidc_rules.h; this class does the
// network part through the HttpFetcher port, and is safe to call from several threads.
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/errors.h"
#include "domain/oidc_rules.h"
#include "net/http_fetcher.h"

namespace aimoviez::oidc {

struct StartedSignIn {
  std::string authorization_url;
  std::string sealed_pending;  // the cookie value
};

struct ProviderSummary {
  std::string name;
  std::string display_name;
};

class OidcSignIn {
 public:
  OidcSignIn(std::vector<ProviderConfig> providers, net::HttpFetcher& fetcher, const Clock& clock,
             std::string secret);

  std::vector<ProviderSummary> Providers() const;
  bool Has(std::string_view provider) const;

  // `origin` is the site's public origin (scheme://host[:port]); the redirect URI is
  // origin + /api/auth/callback/{provider}.
  Result<StartedSignIn> Start(std::string_view provider, std::string_view return_to,
                              std::string_view origin, std::optional<Id> link_user_id);

  struct Finished {
    VerifiedIdentity identity;
    PendingSignIn pending;
  };
  // The callback: `state` and `code` from the query, the sealed cookie from the browser.
  Result<Finished> Finish(std::string_view provider, std::string_view state, std::string_view code,
                          std::string_view sealed_pending, std::string_view origin);

 private:
  struct Discovery {
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string jwks_uri;
    bool secret_post_only = false;  // token endpoint offers client_secret_post but not _basic
    EpochMs fetched_at = 0;
  };
  struct KeySet {
    std::vector<boost::json::object> keys;
    EpochMs fetched_at = 0;
  };

  const ProviderConfig* Find(std::string_view provider) const;
  Result<Discovery> DiscoveryFor(const ProviderConfig& provider);
  Result<boost::json::object> KeyFor(const ProviderConfig& provider, const Discovery& discovery,
                                     const boost::json::object& token_header);
  Result<KeySet> FetchKeys(const Discovery& discovery);
  Result<boost::json::object> FetchJson(const net::FetchRequest& request, std::string_view what);

  std::vector<ProviderConfig> providers_;
  net::HttpFetcher& fetcher_;
  const Clock& clock_;
  std::string secret_;
  std::mutex mutex_;
  std::map<std::string, Discovery, std::less<>> discovery_;
  std::map<std::string, KeySet, std::less<>> keys_;
};

}  // namespace aimoviez::oidc
