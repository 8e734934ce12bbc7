// JSON Web Signatures in compact form (RFC 7515) as OpenID Connect ID tokens use them: split and
// decode a token, and check its signature against a JSON Web Key (RFC 7517). RS256, PS256 and
// ES256 are accepted; every other algorithm ("none" included) is refused. OpenSSL does the
// cryptography. Debian bookworm's JWT libraries (libjwt 1.10, cpp-jwt 1.4) read keys only as PEM
// and cannot take a JWK set, which is what a provider publishes, so the key conversion is here.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace aimoviez::jws {

struct CompactJws {
  boost::json::object header;
  boost::json::object payload;
  std::string signing_input;  // "<header b64>.<payload b64>", the bytes the signature covers
  std::string signature;      // raw bytes
};

// nullopt unless the text is three base64url parts whose first two are JSON objects.
std::optional<CompactJws> Parse(std::string_view token);

// True when `signature` over `signing_input` verifies under the key for the algorithm. The key's
// own "alg", when present, must equal `alg`; its "use", when present, must be "sig".
bool Verify(const CompactJws& token, const boost::json::object& jwk);

bool IsSupportedAlgorithm(std::string_view alg);

}  // namespace aimoviez::jws
