#include "common/jws.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <boost/json/parse.hpp>

#include <memory>

#include "common/crypto.h"

namespace aimoviez::jws {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bignum = std::unique_ptr<BIGNUM, BnFree>;

// Keys shorter than this are refused: a provider publishing a 1024-bit RSA key is broken.
constexpr int kMinRsaBits = 2048;

std::optional<boost::json::object> DecodeObject(std::string_view part) {
  auto bytes = crypto::Base64UrlDecode(part);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  auto value = boost::json::parse(*bytes, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::optional<std::string> KeyMember(const boost::json::object& jwk, std::string_view name) {
  const auto* v = jwk.if_contains(name);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::string> DecodedMember(const boost::json::object& jwk, std::string_view name) {
  auto text = KeyMember(jwk, name);
  if (!text) return std::nullopt;
  return crypto::Base64UrlDecode(*text);
}

Pkey FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  if (!params) return nullptr;
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
  return Pkey(key);
}

Pkey RsaKey(const boost::json::object& jwk) {
  auto n = DecodedMember(jwk, "n");
  auto e = DecodedMember(jwk, "e");
  if (!n || !e || n->empty() || e->empty()) return nullptr;
  Bignum bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()),
                        static_cast<int>(n->size()), nullptr));
  Bignum bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()),
                        static_cast<int>(e->size()), nullptr));
  if (!bn_n || !bn_e || BN_num_bits(bn_n.get()) < kMinRsaBits) return nullptr;
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return nullptr;
  }
  return FromParams("RSA", bld.get());
}

Pkey P256Key(const boost::json::object& jwk) {
  if (KeyMember(jwk, "crv") != "P-256") return nullptr;
  auto x = DecodedMember(jwk, "x");
  auto y = DecodedMember(jwk, "y");
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  // The uncompressed point encoding: 0x04 || X || Y. OpenSSL checks it lies on the curve.
  std::string point = "\x04" + *x + *y;
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return nullptr;
  }
  return FromParams("EC", bld.get());
}

// JWS carries an ECDSA signature as R || S (32 bytes each for P-256); OpenSSL verifies DER.
std::optional<std::string> EcdsaRawToDer(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data() + 32), 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool VerifyWith(EVP_PKEY* key, bool pss, std::string_view input, std::string_view signature) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  if (!md || EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, key) != 1) return false;
  if (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
              EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1)) {
    return false;
  }
  return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

}  // namespace

bool IsSupportedAlgorithm(std::string_view alg) {
  return alg == "RS256" || alg == "PS256" || alg == "ES256";
}

std::optional<CompactJws> Parse(std::string_view token) {
  // ID tokens are a few kilobytes; anything far larger is not one.
  if (token.size() > 16 * 1024) return std::nullopt;
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  auto header = DecodeObject(token.substr(0, first));
  auto payload = DecodeObject(token.substr(first + 1, second - first - 1));
  auto signature = crypto::Base64UrlDecode(token.substr(second + 1));
  if (!header || !payload || !signature) return std::nullopt;
  return CompactJws{std::move(*header), std::move(*payload), std::string(token.substr(0, second)),
                    std::move(*signature)};
}

bool Verify(const CompactJws& token, const boost::json::object& jwk) {
  const auto alg = KeyMember(token.header, "alg");
  if (!alg || !IsSupportedAlgorithm(*alg)) return false;
  if (auto key_alg = KeyMember(jwk, "alg"); key_alg && *key_alg != *alg) return false;
  if (auto use = KeyMember(jwk, "use"); use && *use != "sig") return false;
  const auto kty = KeyMember(jwk, "kty");
  if (*alg == "ES256") {
    if (kty != "EC") return false;
    Pkey key = P256Key(jwk);
    auto der = EcdsaRawToDer(token.signature);
    return key && der && VerifyWith(key.get(), false, token.signing_input, *der);
  }
  if (kty != "RSA") return false;
  Pkey key = RsaKey(jwk);
  return key && VerifyWith(key.get(), *alg == "PS256", token.signing_input, token.signature);
}

}  // namespace aimoviez::jws
