#include "domain/oidc_rules.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/crypto.h"
#include "common/text.h"

namespace aimoviez::oidc {

namespace {

std::optional<std::string> StringClaim(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> NumericClaim(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() < (1ULL << 62))
    return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  return std::nullopt;
}

// Claims shown to people or stored: bounded and free of control characters.
std::string CleanText(std::string_view raw, std::size_t max) {
  std::string out;
  for (unsigned char c : raw) {
    if (c >= 0x20 && c != 0x7F) out.push_back(static_cast<char>(c));
    if (out.size() >= max) break;
  }
  return text::Trim(out);
}

}  // namespace

Error SignInRefused(std::string code, std::string message) {
  Error e;
  e.kind = ErrorKind::kAuthRequired;
  e.code = std::move(code);
  e.message = std::move(message);
  return e;
}

bool IsLoopbackHttpUrl(std::string_view url) {
  for (std::string_view prefix : {"http://127.0.0.1", "http://[::1]", "http://localhost"}) {
    if (url.rfind(prefix, 0) == 0) {
      const auto rest = url.substr(prefix.size());
      if (rest.empty() || rest[0] == ':' || rest[0] == '/') return true;
    }
  }
  return false;
}

Result<Ok> CheckEndpointUrl(std::string_view url, std::string_view what) {
  const bool https = url.rfind("https://", 0) == 0 && url.size() > 8;
  if (!https && !IsLoopbackHttpUrl(url)) {
    return Error::InvalidInput(std::string(what) + " must be an https URL",
                               "OIDC_INSECURE_ENDPOINT");
  }
  return Ok{};
}

std::string PkceChallenge(std::string_view code_verifier) {
  return crypto::Base64UrlEncode(crypto::Sha256(code_verifier));
}

std::string SealPendingSignIn(const PendingSignIn& p, std::string_view secret) {
  boost::json::object o{{"p", p.provider},      {"s", p.state},     {"n", p.nonce},
                        {"v", p.code_verifier}, {"r", p.return_to}, {"x", p.expires_at_ms}};
  if (p.link_user_id) o["l"] = *p.link_user_id;
  const std::string body = crypto::Base64UrlEncode(boost::json::serialize(o));
  const std::string mac = crypto::HmacSha256(secret, "oidc-pending|" + body);
  return body + "." + crypto::Base64UrlEncode(mac);
}

Result<PendingSignIn> OpenPendingSignIn(std::string_view sealed, std::string_view secret,
                                        EpochMs now) {
  const auto missing = SignInRefused(
      "OIDC_STATE_MISMATCH", "This sign-in link is not valid for this browser; start again");
  const auto dot = sealed.find('.');
  if (sealed.empty() || sealed.size() > 4096 || dot == std::string_view::npos) return missing;
  const auto body = sealed.substr(0, dot);
  const auto mac = crypto::Base64UrlDecode(sealed.substr(dot + 1));
  if (!mac || !crypto::ConstantTimeEquals(
                  *mac, crypto::HmacSha256(secret, "oidc-pending|" + std::string(body)))) {
    return missing;
  }
  auto json = crypto::Base64UrlDecode(body);
  boost::system::error_code ec;
  auto value = json ? boost::json::parse(*json, ec) : boost::json::value();
  if (!json || ec || !value.is_object()) return missing;
  const auto& o = value.as_object();
  PendingSignIn p;
  p.provider = StringClaim(o, "p").value_or("");
  p.state = StringClaim(o, "s").value_or("");
  p.nonce = StringClaim(o, "n").value_or("");
  p.code_verifier = StringClaim(o, "v").value_or("");
  p.return_to = StringClaim(o, "r").value_or("/");
  p.expires_at_ms = NumericClaim(o, "x").value_or(0);
  if (auto link = NumericClaim(o, "l")) p.link_user_id = *link;
  if (p.expires_at_ms < now) {
    return SignInRefused("OIDC_SIGN_IN_EXPIRED", "The sign-in took too long; start again");
  }
  return p;
}

Result<std::string> SafeReturnTo(std::string_view raw) {
  if (raw.empty()) return std::string("/");
  const bool path = raw[0] == '/' && (raw.size() == 1 || (raw[1] != '/' && raw[1] != '\\'));
  bool clean = raw.size() <= 512;
  for (unsigned char c : raw) {
    if (c < 0x20 || c == 0x7F || c == '\\') clean = false;
  }
  if (!path || !clean) {
    return Error::InvalidInput("returnTo must be a path on this site", "INVALID_RETURN_TO")
        .With("field", "returnTo");
  }
  return std::string(raw);
}

Result<VerifiedIdentity> CheckIdTokenClaims(const boost::json::object& claims,
                                            const ClaimExpectations& expect) {
  if (StringClaim(claims, "iss") != expect.issuer) {
    return SignInRefused("OIDC_ISSUER_MISMATCH", "The ID token was issued by another provider");
  }
  // aud is the client id, or an array holding it; with other audiences beside ours, azp must
  // name us (Core 3.1.3.7 items 3-5).
  bool audience_ok = false;
  std::size_t audiences = 0;
  if (const auto* aud = claims.if_contains("aud")) {
    if (aud->is_string()) {
      audiences = 1;
      audience_ok = aud->as_string() == expect.client_id;
    } else if (aud->is_array()) {
      audiences = aud->as_array().size();
      for (const auto& a : aud->as_array()) {
        if (a.is_string() && a.as_string() == expect.client_id) audience_ok = true;
      }
    }
  }
  const auto azp = StringClaim(claims, "azp");
  if (!audience_ok || (azp && *azp != expect.client_id) || (audiences > 1 && !azp)) {
    return SignInRefused("OIDC_AUDIENCE_MISMATCH", "The ID token was issued to another client");
  }
  const auto exp = NumericClaim(claims, "exp");
  const auto iat = NumericClaim(claims, "iat");
  if (!exp || !iat) return SignInRefused("OIDC_INVALID_TOKEN", "The ID token lacks exp or iat");
  if (*exp + expect.allowed_skew_seconds < expect.now_seconds) {
    return SignInRefused("OIDC_TOKEN_EXPIRED", "The ID token has expired");
  }
  if (*iat - expect.allowed_skew_seconds > expect.now_seconds) {
    return SignInRefused("OIDC_INVALID_TOKEN", "The ID token was issued in the future");
  }
  const auto nonce = StringClaim(claims, "nonce");
  if (!nonce || expect.nonce.empty() || !crypto::ConstantTimeEquals(*nonce, expect.nonce)) {
    return SignInRefused("OIDC_NONCE_MISMATCH", "The ID token belongs to another sign-in");
  }
  const auto sub = StringClaim(claims, "sub");
  if (!sub || sub->empty() || sub->size() > 255) {
    return SignInRefused("OIDC_INVALID_TOKEN", "The ID token has no valid subject");
  }
  VerifiedIdentity id;
  id.issuer = expect.issuer;
  id.subject = *sub;
  const auto* verified = claims.if_contains("email_verified");
  // Some providers send the flag as the string "true".
  const bool email_verified =
      verified && ((verified->is_bool() && verified->as_bool()) ||
                   (verified->is_string() && verified->as_string() == "true"));
  if (email_verified) id.email = CleanText(StringClaim(claims, "email").value_or(""), 254);
  id.name = CleanText(StringClaim(claims, "name").value_or(""), 100);
  const auto picture = StringClaim(claims, "picture").value_or("");
  if (picture.size() <= 1000 && CheckEndpointUrl(picture, "picture")) id.picture = picture;
  return id;
}

}  // namespace aimoviez::oidc
