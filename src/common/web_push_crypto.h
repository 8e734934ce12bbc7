// The cryptography of Web Push, on OpenSSL: the server's P-256 VAPID key (RFC 8292) and its
// ES256 signatures, and the aes128gcm payload encryption of RFC 8291 (ECDH with the
// subscription's key, HKDF-SHA-256 with its auth secret, one AES-128-GCM record). Pure: keys
// arrive as PEM text or raw bytes; the caller stores them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aimoviez::webpush {

// A new P-256 private key as PKCS#8 PEM.
std::string GenerateVapidKeyPem();
// The uncompressed public point (65 bytes, 0x04 || X || Y) of a PEM private key; nullopt when
// the PEM is not a P-256 key.
std::optional<std::string> PublicKeyOf(std::string_view private_pem);
// An ES256 JWS signature (raw r || s, 64 bytes) of `data`.
std::optional<std::string> SignEs256(std::string_view private_pem, std::string_view data);
// The VAPID JWT for a push service origin ("https://push.example.net"), valid until
// `expires_at` (seconds since the epoch), naming `subject` (mailto: or https: URL).
std::optional<std::string> VapidJwt(std::string_view private_pem, std::string_view audience,
                                    std::int64_t expires_at, std::string_view subject);

// True for a 65-byte uncompressed point on P-256.
bool IsValidP256Point(std::string_view raw);

// RFC 8291 encryption of `plaintext` for a subscription (its p256dh point and 16-byte auth
// secret): the aes128gcm body (salt, record size 4096, the sender's key, ciphertext). A fresh
// sender key and salt every call unless given (tests pin them). Nullopt on a bad key.
std::optional<std::string> EncryptPayload(std::string_view ua_public, std::string_view auth_secret,
                                          std::string_view plaintext,
                                          std::string_view sender_private_pem = {},
                                          std::string_view salt = {});
// The inverse, with the subscription's private key: what a browser does; used by tests.
std::optional<std::string> DecryptPayload(std::string_view ua_private_pem,
                                          std::string_view auth_secret, std::string_view body);

}  // namespace aimoviez::webpush
