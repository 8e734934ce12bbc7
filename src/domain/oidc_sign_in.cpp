#include "domain/oidc_sign_in.h"

#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

#include "common/crypto.h"
#include "common/jws.h"

namespace aimoviez::oidc {

namespace {

constexpr EpochMs kDiscoveryTtlMs = 60 * 60 * 1000;
constexpr EpochMs kKeysTtlMs = 60 * 60 * 1000;
// An unknown key id triggers a refetch of the key set, but not more often than this: a stream
// of forged tokens must not turn us into a load generator against the provider.
constexpr EpochMs kKeysRefetchMinMs = 10 * 1000;

Error Unavailable(std::string message) {
  Error e;
  e.kind = ErrorKind::kUnavailable;
  e.code = "OIDC_PROVIDER_UNAVAILABLE";
  e.message = std::move(message);
  return e;
}

std::string JsonString(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool ArrayHas(const boost::json::object& o, std::string_view key, std::string_view value) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_array()) return false;
  for (const auto& item : v->as_array()) {
    if (item.is_string() && item.as_string() == value) return true;
  }
  return false;
}

std::string FormEncode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string RedirectUri(std::string_view origin, std::string_view provider) {
  return std::string(origin) + "/api/auth/callback/" + std::string(provider);
}

}  // namespace

OidcSignIn::OidcSignIn(std::vector<ProviderConfig> providers, net::HttpFetcher& fetcher,
                       const Clock& clock, std::string secret)
    : providers_(std::move(providers)),
      fetcher_(fetcher),
      clock_(clock),
      secret_(std::move(secret)) {}

std::vector<ProviderSummary> OidcSignIn::Providers() const {
  std::vector<ProviderSummary> out;
  for (const auto& p : providers_) out.push_back({p.name, p.display_name});
  return out;
}

bool OidcSignIn::Has(std::string_view provider) const {
  return Find(provider) != nullptr;
}

const ProviderConfig* OidcSignIn::Find(std::string_view provider) const {
  for (const auto& p : providers_) {
    if (p.name == provider) return &p;
  }
  return nullptr;
}

Result<boost::json::object> OidcSignIn::FetchJson(const net::FetchRequest& request,
                                                  std::string_view what) {
  const auto response = fetcher_.Fetch(request);
  if (response.status == 0) {
    return Unavailable("The sign-in provider could not be reached (" + std::string(what) + ": " +
                       response.error + ")");
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  if (ec || !value.is_object()) {
    return Unavailable("The sign-in provider answered " + std::string(what) + " with " +
                       std::to_string(response.status) + " and no JSON object");
  }
  auto object = std::move(value.as_object());
  if (response.status != 200) object["_status"] = response.status;
  return object;
}

Result<OidcSignIn::Discovery> OidcSignIn::DiscoveryFor(const ProviderConfig& provider) {
  const EpochMs now = clock_.NowMs();
  {
    std::lock_guard lock(mutex_);
    auto it = discovery_.find(provider.name);
    if (it != discovery_.end() && now >= it->second.fetched_at &&
        now - it->second.fetched_at < kDiscoveryTtlMs) {
      return it->second;
    }
  }
  std::string issuer = provider.issuer;
  while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  net::FetchRequest request;
  request.url = issuer + "/.well-known/openid-configuration";
  auto doc = FetchJson(request, "discovery");
  if (!doc) return doc.error();
  if (doc->contains("_status")) return Unavailable("The provider's discovery document is missing");
  // OpenID Connect Discovery 4.3: the document's issuer must be exactly the one configured.
  if (JsonString(*doc, "issuer") != provider.issuer) {
    return Unavailable("The provider's discovery document names another issuer");
  }
  Discovery d;
  d.authorization_endpoint = JsonString(*doc, "authorization_endpoint");
  d.token_endpoint = JsonString(*doc, "token_endpoint");
  d.jwks_uri = JsonString(*doc, "jwks_uri");
  for (const auto& [url, what] :
       {std::pair{d.authorization_endpoint, "authorization_endpoint"},
        std::pair{d.token_endpoint, "token_endpoint"}, std::pair{d.jwks_uri, "jwks_uri"}}) {
    if (url.empty() || !CheckEndpointUrl(url, what)) {
      return Unavailable(std::string("The provider's ") + what + " is missing or not https");
    }
  }
  d.secret_post_only =
      ArrayHas(*doc, "token_endpoint_auth_methods_supported", "client_secret_post") &&
      !ArrayHas(*doc, "token_endpoint_auth_methods_supported", "client_secret_basic");
  d.fetched_at = now;
  std::lock_guard lock(mutex_);
  discovery_[provider.name] = d;
  return d;
}

Result<OidcSignIn::KeySet> OidcSignIn::FetchKeys(const Discovery& discovery) {
  net::FetchRequest request;
  request.url = discovery.jwks_uri;
  auto doc = FetchJson(request, "keys");
  if (!doc) return doc.error();
  const auto* keys = doc->if_contains("keys");
  if (doc->contains("_status") || !keys || !keys->is_array()) {
    return Unavailable("The provider's key set is missing");
  }
  KeySet set;
  for (const auto& k : keys->as_array()) {
    if (k.is_object() && set.keys.size() < 32) set.keys.push_back(k.as_object());
  }
  set.fetched_at = clock_.NowMs();
  return set;
}

Result<boost::json::object> OidcSignIn::KeyFor(const ProviderConfig& provider,
                                               const Discovery& discovery,
                                               const boost::json::object& header) {
  const std::string kid = JsonString(header, "kid");
  const std::string alg = JsonString(header, "alg");
  const std::string kty = alg == "ES256" ? "EC" : "RSA";
  auto pick = [&](const KeySet& set) -> std::optional<boost::json::object> {
    std::vector<const boost::json::object*> candidates;
    for (const auto& k : set.keys) {
      if (JsonString(k, "kty") != kty) continue;
      if (!kid.empty() && JsonString(k, "kid") != kid) continue;
      candidates.push_back(&k);
    }
    // Without a kid the key must be unambiguous.
    if (candidates.size() == 1 || (!kid.empty() && !candidates.empty())) return *candidates[0];
    return std::nullopt;
  };
  const EpochMs now = clock_.NowMs();
  std::optional<KeySet> cached;
  {
    std::lock_guard lock(mutex_);
    auto it = keys_.find(provider.name);
    if (it != keys_.end()) cached = it->second;
  }
  if (cached && now >= cached->fetched_at && now - cached->fetched_at < kKeysTtlMs) {
    if (auto key = pick(*cached)) return *key;
    if (now - cached->fetched_at < kKeysRefetchMinMs) {
      return SignInRefused("OIDC_UNKNOWN_KEY",
                           "The ID token is signed with a key the provider does not publish");
    }
  }
  auto fresh = FetchKeys(discovery);
  if (!fresh) return fresh.error();
  {
    std::lock_guard lock(mutex_);
    keys_[provider.name] = *fresh;
  }
  if (auto key = pick(*fresh)) return *key;
  return SignInRefused("OIDC_UNKNOWN_KEY",
                       "The ID token is signed with a key the provider does not publish");
}

Result<StartedSignIn> OidcSignIn::Start(std::string_view provider_name, std::string_view return_to,
                                        std::string_view origin, std::optional<Id> link_user_id) {
  const auto* provider = Find(provider_name);
  if (!provider) return Error::NotFound("Sign-in provider");
  auto path = SafeReturnTo(return_to);
  if (!path) return path.error();
  auto discovery = DiscoveryFor(*provider);
  if (!discovery) return discovery.error();

  PendingSignIn pending;
  pending.provider = provider->name;
  pending.state = crypto::RandomToken(24);
  pending.nonce = crypto::RandomToken(24);
  pending.code_verifier = crypto::RandomToken(48);  // 64 characters, within RFC 7636's 43-128
  pending.return_to = *path;
  pending.link_user_id = link_user_id;
  pending.expires_at_ms = clock_.NowMs() + kPendingSignInTtlMs;

  auto url = boost::urls::parse_absolute_uri(discovery->authorization_endpoint);
  if (!url) return Unavailable("The provider's authorization endpoint is not a URL");
  boost::urls::url target(*url);
  auto params = target.params();
  params.append({"response_type", "code"});
  params.append({"client_id", provider->client_id});
  params.append({"redirect_uri", RedirectUri(origin, provider->name)});
  params.append({"scope", "openid email profile"});
  params.append({"state", pending.state});
  params.append({"nonce", pending.nonce});
  params.append({"code_challenge", PkceChallenge(pending.code_verifier)});
  params.append({"code_challenge_method", "S256"});
  return StartedSignIn{std::string(target.buffer()), SealPendingSignIn(pending, secret_)};
}

Result<OidcSignIn::Finished> OidcSignIn::Finish(std::string_view provider_name,
                                                std::string_view state, std::string_view code,
                                                std::string_view sealed_pending,
                                                std::string_view origin) {
  const auto* provider = Find(provider_name);
  if (!provider) return Error::NotFound("Sign-in provider");
  auto pending = OpenPendingSignIn(sealed_pending, secret_, clock_.NowMs());
  if (!pending) return pending.error();
  if (pending->provider != provider->name || state.empty() ||
      !crypto::ConstantTimeEquals(state, pending->state)) {
    return SignInRefused("OIDC_STATE_MISMATCH",
                         "This sign-in link is not valid for this browser; start again");
  }
  if (code.empty() || code.size() > 2048) {
    return SignInRefused("OIDC_CODE_REJECTED", "The provider did not return an authorization code");
  }
  auto discovery = DiscoveryFor(*provider);
  if (!discovery) return discovery.error();

  net::FetchRequest request;
  request.method = "POST";
  request.url = discovery->token_endpoint;
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = "grant_type=authorization_code&code=" + FormEncode(code) +
                 "&redirect_uri=" + FormEncode(RedirectUri(origin, provider->name)) +
                 "&code_verifier=" + FormEncode(pending->code_verifier);
  if (discovery->secret_post_only) {
    request.body += "&client_id=" + FormEncode(provider->client_id) +
                    "&client_secret=" + FormEncode(provider->client_secret);
  } else {
    // RFC 6749 2.3.1: both parts form-encoded before the Basic encoding.
    request.headers.emplace_back(
        "Authorization", "Basic " + crypto::Base64Encode(FormEncode(provider->client_id) + ":" +
                                                         FormEncode(provider->client_secret)));
  }
  auto tokens = FetchJson(request, "token exchange");
  if (!tokens) return tokens.error();
  if (tokens->contains("_status")) {
    const auto error = JsonString(*tokens, "error");
    return SignInRefused("OIDC_CODE_REJECTED",
                         "The provider refused the authorization code" +
                             (error.empty() ? std::string() : " (" + error.substr(0, 64) + ")"));
  }
  const auto token = jws::Parse(JsonString(*tokens, "id_token"));
  if (!token) return SignInRefused("OIDC_INVALID_TOKEN", "The provider sent no valid ID token");
  if (!jws::IsSupportedAlgorithm(JsonString(token->header, "alg"))) {
    return SignInRefused("OIDC_INVALID_TOKEN", "The ID token uses an unsupported algorithm");
  }
  auto key = KeyFor(*provider, *discovery, token->header);
  if (!key) return key.error();
  if (!jws::Verify(*token, *key)) {
    return SignInRefused("OIDC_SIGNATURE_INVALID", "The ID token's signature does not verify");
  }
  auto identity =
      CheckIdTokenClaims(token->payload, ClaimExpectations{provider->issuer, provider->client_id,
                                                           pending->nonce, clock_.NowMs() / 1000});
  if (!identity) return identity.error();
  return Finished{std::move(*identity), std::move(*pending)};
}

}  // namespace aimoviez::oidc
