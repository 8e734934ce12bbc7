// The rules of an OpenID Connect sign-in (authorization code flow with PKCE), free of I/O: which
// issuer URLs are acceptable, the PKCE challenge, the pending sign-in carried in a signed cookie
// between the redirect to the provider and the callback, the checks on an ID token's claims, and
// the same-origin return path. oidc_sign_in.h does the network part.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/errors.h"
#include "domain/model.h"

namespace aimoviez::oidc {

struct ProviderConfig {
  std::string name;  // the path segment: /api/auth/signin/{name}
  std::string display_name;
  std::string issuer;
  std::string client_id;
  std::string client_secret;
};

// A refused sign-in (401 with the reason's code): it never yields a session.
Error SignInRefused(std::string code, std::string message);

// https, or plain http when the host is a loopback address (a provider run beside the server in
// development and tests). Anything else is refused: discovery over the network must be verified.
Result<Ok> CheckEndpointUrl(std::string_view url, std::string_view what);
bool IsLoopbackHttpUrl(std::string_view url);

// RFC 7636: BASE64URL(SHA256(code_verifier)).
std::string PkceChallenge(std::string_view code_verifier);

// What the server remembers between the redirect and the callback. It travels in a cookie that
// only our callback path receives, signed with the server secret so it cannot be forged; the
// state parameter ties the callback to this browser (login CSRF), the nonce ties the ID token to
// this sign-in, the verifier proves to the provider that the code is ours.
struct PendingSignIn {
  std::string provider;
  std::string state;
  std::string nonce;
  std::string code_verifier;
  std::string return_to;
  std::optional<Id> link_user_id;  // set when a signed-in user links another provider
  EpochMs expires_at_ms = 0;
};

inline constexpr EpochMs kPendingSignInTtlMs = 10 * 60 * 1000;

std::string SealPendingSignIn(const PendingSignIn& pending, std::string_view secret);
// OIDC_STATE_MISMATCH when the cookie is missing, forged or expired.
Result<PendingSignIn> OpenPendingSignIn(std::string_view sealed, std::string_view secret,
                                        EpochMs now);

// The path to return to after sign-in: a same-origin absolute path. Empty means "/".
// INVALID_RETURN_TO for anything that could leave the site ("//host", "https://…", "/\host").
Result<std::string> SafeReturnTo(std::string_view raw);

struct VerifiedIdentity {
  std::string issuer;
  std::string subject;
  std::string email;  // empty unless the provider says it is verified
  std::string name;
  std::string picture;
};

struct ClaimExpectations {
  std::string issuer;
  std::string client_id;
  std::string nonce;
  std::int64_t now_seconds = 0;
  std::int64_t allowed_skew_seconds = 60;
};

// Checks iss, aud, azp, exp, iat, nonce and sub (OpenID Connect Core 3.1.3.7) and extracts the
// identity. Each failure has its own code, so a refused sign-in says why.
Result<VerifiedIdentity> CheckIdTokenClaims(const boost::json::object& claims,
                                            const ClaimExpectations& expect);

}  // namespace aimoviez::oidc
