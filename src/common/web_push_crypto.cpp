#include "common/web_push_crypto.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <memory>

#include "common/crypto.h"

namespace aimoviez::webpush {

namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

constexpr std::size_t kPointBytes = 65;
constexpr std::uint32_t kRecordSize = 4096;

Owned<EVP_PKEY> ReadPrivate(std::string_view pem) {
  Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  return Owned<EVP_PKEY>(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

Owned<EVP_PKEY> NewP256() {
  return Owned<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

std::string PemOf(EVP_PKEY* key) {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return "";
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::optional<std::string> RawPublic(EVP_PKEY* key) {
  unsigned char buf[kPointBytes];
  std::size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, buf, sizeof buf,
                                      &len) != 1 ||
      len != kPointBytes) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<char*>(buf), len);
}

Owned<EVP_PKEY> PublicFromRaw(std::string_view raw) {
  if (raw.size() != kPointBytes || raw[0] != 0x04) return nullptr;
  Owned<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, raw.data(),
                                       raw.size()) != 1) {
    return nullptr;
  }
  Owned<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld.get()));
  Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
  Owned<EVP_PKEY> owned(key);
  // fromdata does not check that the point is on the curve; the check does.
  Owned<EVP_PKEY_CTX> check(EVP_PKEY_CTX_new_from_pkey(nullptr, owned.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return owned;
}

std::optional<std::string> Ecdh(EVP_PKEY* mine, EVP_PKEY* theirs) {
  Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine, nullptr));
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), theirs) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
    return std::nullopt;
  }
  std::string secret(len, '\0');
  if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(secret.data()), &len) != 1)
    return std::nullopt;
  secret.resize(len);
  return secret;
}

// HKDF-SHA-256 (RFC 5869) for outputs of at most one block, as every step here needs.
std::string Hkdf(std::string_view salt, std::string_view ikm, std::string_view info,
                 std::size_t length) {
  const std::string prk = crypto::HmacSha256(salt, ikm);
  std::string block(info);
  block.push_back('\x01');
  return crypto::HmacSha256(prk, block).substr(0, length);
}

struct Derived {
  std::string key;    // 16 bytes
  std::string nonce;  // 12 bytes
};

// The content key and nonce from the ECDH secret, both public keys, the auth secret and salt.
Derived Derive(std::string_view ecdh_secret, std::string_view auth, std::string_view ua_public,
               std::string_view as_public, std::string_view salt) {
  std::string key_info("WebPush: info");
  key_info.push_back('\0');
  key_info.append(ua_public).append(as_public);
  const std::string ikm = Hkdf(auth, ecdh_secret, key_info, 32);
  std::string cek_info("Content-Encoding: aes128gcm");
  cek_info.push_back('\0');
  std::string nonce_info("Content-Encoding: nonce");
  nonce_info.push_back('\0');
  return Derived{Hkdf(salt, ikm, cek_info, 16), Hkdf(salt, ikm, nonce_info, 12)};
}

std::optional<std::string> Gcm(bool encrypt, const Derived& d, std::string_view in,
                               std::string_view tag_in, std::string* tag_out) {
  Owned<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  const auto* key = reinterpret_cast<const unsigned char*>(d.key.data());
  const auto* iv = reinterpret_cast<const unsigned char*>(d.nonce.data());
  if (!ctx ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) !=
          1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) != 1 ||
      EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key, iv, encrypt ? 1 : 0) != 1) {
    return std::nullopt;
  }
  std::string out(in.size() + 16, '\0');
  int len = 0, total = 0;
  if (EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                       reinterpret_cast<const unsigned char*>(in.data()),
                       static_cast<int>(in.size())) != 1) {
    return std::nullopt;
  }
  total = len;
  if (!encrypt) {
    std::string tag(tag_in);
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) != 1)
      return std::nullopt;
  }
  if (EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + total, &len) !=
      1) {
    return std::nullopt;  // on decryption: the tag did not match
  }
  total += len;
  out.resize(static_cast<std::size_t>(total));
  if (encrypt) {
    tag_out->assign(16, '\0');
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag_out->data()) != 1)
      return std::nullopt;
  }
  return out;
}

}  // namespace

std::string GenerateVapidKeyPem() {
  auto key = NewP256();
  if (!key) throw std::runtime_error("cannot generate a P-256 key");
  return PemOf(key.get());
}

std::optional<std::string> PublicKeyOf(std::string_view private_pem) {
  auto key = ReadPrivate(private_pem);
  if (!key) return std::nullopt;
  return RawPublic(key.get());
}

std::optional<std::string> SignEs256(std::string_view private_pem, std::string_view data) {
  auto key = ReadPrivate(private_pem);
  Owned<EVP_MD_CTX> md(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!key || !md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(md.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    return std::nullopt;
  }
  std::string der(len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(der.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return std::nullopt;
  }
  // JWS wants the raw 32-byte r and s, not the DER structure OpenSSL produces.
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Owned<ECDSA_SIG> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len)));
  if (!sig) return std::nullopt;
  std::string raw(64, '\0');
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char*>(raw.data()), 32) !=
          32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char*>(raw.data()) + 32,
                   32) != 32) {
    return std::nullopt;
  }
  return raw;
}

std::optional<std::string> VapidJwt(std::string_view private_pem, std::string_view audience,
                                    std::int64_t expires_at, std::string_view subject) {
  const std::string header = crypto::Base64UrlEncode(R"({"typ":"JWT","alg":"ES256"})");
  // The three claims are ours (an origin, a number, a configured URL): no escaping is needed
  // beyond what the callers guarantee (no quotes or backslashes).
  const std::string claims = crypto::Base64UrlEncode(
      R"({"aud":")" + std::string(audience) + R"(","exp":)" + std::to_string(expires_at) +
      R"(,"sub":")" + std::string(subject) + R"("})");
  const std::string input = header + "." + claims;
  auto signature = SignEs256(private_pem, input);
  if (!signature) return std::nullopt;
  return input + "." + crypto::Base64UrlEncode(*signature);
}

bool IsValidP256Point(std::string_view raw) {
  return PublicFromRaw(raw) != nullptr;
}

std::optional<std::string> EncryptPayload(std::string_view ua_public, std::string_view auth,
                                          std::string_view plaintext,
                                          std::string_view sender_private_pem,
                                          std::string_view salt_in) {
  auto ua = PublicFromRaw(ua_public);
  if (!ua || auth.size() != 16) return std::nullopt;
  auto sender = sender_private_pem.empty() ? NewP256() : ReadPrivate(sender_private_pem);
  if (!sender) return std::nullopt;
  const auto as_public = RawPublic(sender.get());
  const auto secret = Ecdh(sender.get(), ua.get());
  if (!as_public || !secret) return std::nullopt;
  const std::string salt = salt_in.empty() ? crypto::RandomBytes(16) : std::string(salt_in);
  const Derived d = Derive(*secret, auth, ua_public, *as_public, salt);
  std::string record(plaintext);
  record.push_back('\x02');  // the last (and only) record's padding delimiter
  std::string tag;
  auto ciphertext = Gcm(true, d, record, {}, &tag);
  if (!ciphertext) return std::nullopt;
  std::string body = salt;
  for (int shift = 24; shift >= 0; shift -= 8) {
    body.push_back(static_cast<char>((kRecordSize >> shift) & 0xFF));
  }
  body.push_back(static_cast<char>(kPointBytes));
  body.append(*as_public).append(*ciphertext).append(tag);
  return body;
}

std::optional<std::string> DecryptPayload(std::string_view ua_private_pem, std::string_view auth,
                                          std::string_view body) {
  constexpr std::size_t kHeader = 16 + 4 + 1 + kPointBytes;
  if (body.size() < kHeader + 16 || static_cast<unsigned char>(body[20]) != kPointBytes) {
    return std::nullopt;
  }
  auto ua = ReadPrivate(ua_private_pem);
  const std::string_view salt = body.substr(0, 16);
  const std::string_view as_public = body.substr(21, kPointBytes);
  auto sender = PublicFromRaw(as_public);
  if (!ua || !sender) return std::nullopt;
  const auto ua_public = RawPublic(ua.get());
  const auto secret = Ecdh(ua.get(), sender.get());
  if (!ua_public || !secret) return std::nullopt;
  const Derived d = Derive(*secret, auth, *ua_public, as_public, salt);
  const std::string_view sealed = body.substr(kHeader);
  auto record = Gcm(false, d, sealed.substr(0, sealed.size() - 16),
                    sealed.substr(sealed.size() - 16), nullptr);
  if (!record || record->empty() || record->back() != '\x02') return std::nullopt;
  record->pop_back();
  return record;
}

}  // namespace aimoviez::webpush
