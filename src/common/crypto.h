// Cryptographic primitives (OpenSSL underneath): random tokens, SHA-256, HMAC-SHA-256 and the
// encodings used to carry them in cookies and headers. Owns no state; touches no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aimoviez::crypto {

// Cryptographically secure random bytes; throws if the system generator fails.
std::string RandomBytes(std::size_t count);
// A random token of `bytes` bytes, base64url-encoded without padding.
std::string RandomToken(std::size_t bytes = 32);

std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);

std::string ToHex(std::string_view bytes);
// The bytes of a hex string (either case); nullopt for an odd length or a non-hex character.
std::optional<std::string> FromHex(std::string_view text);
// Standard base64 with padding (RFC 4648 section 4), as HTTP Basic authentication uses it.
std::string Base64Encode(std::string_view bytes);
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Compares two secrets in time independent of where they first differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace aimoviez::crypto
