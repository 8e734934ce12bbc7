// OpenID Connect pieces without a network: signatures over real keys made here with OpenSSL,
// the claim checks, PKCE, the sealed pending sign-in and the return path.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <boost/json/serialize.hpp>

#include "common/crypto.h"
#include "common/jws.h"
#include "domain/oidc_rules.h"

namespace aimoviez {
namespace {

// A freshly generated key pair, its public half as a JWK, and a signer in JWS form.
class TestKey {
 public:
  explicit TestKey(bool ec)
      : ec_(ec),
        key_(ec ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))) {}
  ~TestKey() { EVP_PKEY_free(key_); }

  boost::json::object Jwk(std::string kid = "k1") const {
    if (ec_) {
      unsigned char point[65];
      size_t len = 0;
      EVP_PKEY_get_octet_string_param(key_, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
      std::string p(reinterpret_cast<char*>(point), len);
      return {{"kty", "EC"},
              {"crv", "P-256"},
              {"kid", kid},
              {"x", crypto::Base64UrlEncode(p.substr(1, 32))},
              {"y", crypto::Base64UrlEncode(p.substr(33, 32))}};
    }
    return {{"kty", "RSA"},
            {"kid", kid},
            {"n", Bn(OSSL_PKEY_PARAM_RSA_N)},
            {"e", Bn(OSSL_PKEY_PARAM_RSA_E)}};
  }

  std::string Sign(const boost::json::object& header, const boost::json::object& payload) const {
    const std::string input = crypto::Base64UrlEncode(boost::json::serialize(header)) + "." +
                              crypto::Base64UrlEncode(boost::json::serialize(payload));
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key_);
    size_t len = 0;
    EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    sig.resize(len);
    EVP_MD_CTX_free(md);
    if (ec_) sig = DerToRaw(sig);
    return input + "." + crypto::Base64UrlEncode(sig);
  }

 private:
  std::string Bn(const char* name) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_, name, &bn);
    std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return crypto::Base64UrlEncode(out);
  }
  static std::string DerToRaw(const std::string& der) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data() + 32), 32);
    ECDSA_SIG_free(sig);
    return raw;
  }

  bool ec_;
  EVP_PKEY* key_;
};

TEST(Jws, Rs256AndEs256VerifyAgainstTheirJwkAndNothingElse) {
  for (bool ec : {false, true}) {
    TestKey key(ec), other(ec);
    const std::string alg = ec ? "ES256" : "RS256";
    const auto token = key.Sign({{"alg", alg}, {"kid", "k1"}}, {{"sub", "alice"}});
    auto parsed = jws::Parse(token);
    ASSERT_TRUE(parsed.has_value()) << alg;
    EXPECT_TRUE(jws::Verify(*parsed, key.Jwk())) << alg;
    EXPECT_FALSE(jws::Verify(*parsed, other.Jwk())) << alg << ": another key";

    // The payload changed after signing.
    auto tampered = *parsed;
    tampered.signing_input.back() ^= 1;
    EXPECT_FALSE(jws::Verify(tampered, key.Jwk())) << alg << ": tampered";

    // A key that declares another algorithm or another use is not used.
    auto wrong_alg = key.Jwk();
    wrong_alg["alg"] = ec ? "RS256" : "ES256";
    EXPECT_FALSE(jws::Verify(*parsed, wrong_alg)) << alg;
    auto encryption_key = key.Jwk();
    encryption_key["use"] = "enc";
    EXPECT_FALSE(jws::Verify(*parsed, encryption_key)) << alg;
  }
}

TEST(Jws, AlgorithmNoneAndHmacAreRefused) {
  TestKey key(false);
  const auto token = key.Sign({{"alg", "RS256"}}, {{"sub", "a"}});
  auto parsed = jws::Parse(token);
  ASSERT_TRUE(parsed.has_value());
  parsed->header["alg"] = "none";
  EXPECT_FALSE(jws::Verify(*parsed, key.Jwk()));
  parsed->header["alg"] = "HS256";
  EXPECT_FALSE(jws::Verify(*parsed, key.Jwk()));
  EXPECT_FALSE(jws::IsSupportedAlgorithm("none"));
}

TEST(Jws, MalformedTokensDoNotParse) {
  EXPECT_FALSE(jws::Parse("").has_value());
  EXPECT_FALSE(jws::Parse("a.b").has_value());
  EXPECT_FALSE(jws::Parse("a.b.c.d").has_value());
  EXPECT_FALSE(jws::Parse("!!!.e30.AA").has_value());
  EXPECT_FALSE(jws::Parse(crypto::Base64UrlEncode("[1]") + ".e30.AA").has_value());
  EXPECT_TRUE(jws::Parse("e30.e30.").has_value());  // {} . {} . empty signature
}

TEST(OidcRules, PkceChallengeMatchesRfc7636AppendixB) {
  EXPECT_EQ(oidc::PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(OidcRules, ReturnToStaysOnThisSite) {
  EXPECT_EQ(*oidc::SafeReturnTo(""), "/");
  EXPECT_EQ(*oidc::SafeReturnTo("/story?season=2"), "/story?season=2");
  for (const char* bad : {"//evil.example/x", "https://evil.example/", "/\\evil.example", "evil",
                          "/a\nb", "javascript:alert(1)"}) {
    auto r = oidc::SafeReturnTo(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "INVALID_RETURN_TO");
  }
}

TEST(OidcRules, OnlyHttpsOrLoopbackEndpoints) {
  EXPECT_TRUE(oidc::CheckEndpointUrl("https://accounts.google.com", "issuer").ok());
  EXPECT_TRUE(oidc::CheckEndpointUrl("http://127.0.0.1:9000", "issuer").ok());
  EXPECT_TRUE(oidc::CheckEndpointUrl("http://localhost:9000/x", "issuer").ok());
  EXPECT_TRUE(oidc::CheckEndpointUrl("http://[::1]:9000", "issuer").ok());
  EXPECT_FALSE(oidc::CheckEndpointUrl("http://idp.example", "issuer").ok());
  EXPECT_FALSE(oidc::CheckEndpointUrl("http://127.0.0.1.evil.example", "issuer").ok());
  EXPECT_FALSE(oidc::CheckEndpointUrl("http://localhost.evil.example", "issuer").ok());
}

TEST(OidcRules, PendingSignInIsSealedAndExpires) {
  oidc::PendingSignIn p{"local", "state1", "nonce1", "verifier1", "/story", 7, 10'000};
  const auto sealed = oidc::SealPendingSignIn(p, "secret");
  auto opened = oidc::OpenPendingSignIn(sealed, "secret", 9'000);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->state, "state1");
  EXPECT_EQ(opened->nonce, "nonce1");
  EXPECT_EQ(opened->return_to, "/story");
  EXPECT_EQ(opened->link_user_id, 7);
  EXPECT_EQ(oidc::OpenPendingSignIn(sealed, "other-secret", 9'000).error().code,
            "OIDC_STATE_MISMATCH");
  std::string forged = sealed;
  forged[3] = forged[3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(oidc::OpenPendingSignIn(forged, "secret", 9'000).error().code, "OIDC_STATE_MISMATCH");
  EXPECT_EQ(oidc::OpenPendingSignIn(sealed, "secret", 10'001).error().code, "OIDC_SIGN_IN_EXPIRED");
  EXPECT_EQ(oidc::OpenPendingSignIn("", "secret", 0).error().code, "OIDC_STATE_MISMATCH");
}

class IdTokenClaims : public ::testing::Test {
 protected:
  boost::json::object claims_{{"iss", "https://idp.example"},
                              {"aud", "client-1"},
                              {"sub", "user-42"},
                              {"exp", 2000},
                              {"iat", 1000},
                              {"nonce", "n-1"},
                              {"email", "Ann@Example.com"},
                              {"email_verified", true},
                              {"name", "Ann\nLee"}};
  oidc::ClaimExpectations expect_{"https://idp.example", "client-1", "n-1", 1500, 60};

  std::string Code() {
    auto r = oidc::CheckIdTokenClaims(claims_, expect_);
    return r.ok() ? "OK" : r.error().code;
  }
};

TEST_F(IdTokenClaims, AValidTokenGivesTheIdentity) {
  auto r = oidc::CheckIdTokenClaims(claims_, expect_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->subject, "user-42");
  EXPECT_EQ(r->email, "Ann@Example.com");
  EXPECT_EQ(r->name, "AnnLee");  // control characters dropped
}

TEST_F(IdTokenClaims, EachFailureHasItsCode) {
  auto base = claims_;
  claims_["iss"] = "https://other.example";
  EXPECT_EQ(Code(), "OIDC_ISSUER_MISMATCH");
  claims_ = base;
  claims_["aud"] = "client-2";
  EXPECT_EQ(Code(), "OIDC_AUDIENCE_MISMATCH");
  claims_["aud"] = boost::json::array{"client-1", "client-2"};
  EXPECT_EQ(Code(), "OIDC_AUDIENCE_MISMATCH");  // several audiences need azp
  claims_["azp"] = "client-1";
  EXPECT_EQ(Code(), "OK");
  claims_["azp"] = "client-2";
  EXPECT_EQ(Code(), "OIDC_AUDIENCE_MISMATCH");
  claims_ = base;
  claims_["exp"] = 1500 - 61;
  EXPECT_EQ(Code(), "OIDC_TOKEN_EXPIRED");
  claims_["exp"] = 1500 - 59;  // within the allowed skew
  EXPECT_EQ(Code(), "OK");
  claims_ = base;
  claims_["iat"] = 1500 + 61;
  EXPECT_EQ(Code(), "OIDC_INVALID_TOKEN");
  claims_ = base;
  claims_["nonce"] = "n-2";
  EXPECT_EQ(Code(), "OIDC_NONCE_MISMATCH");
  claims_.erase("nonce");
  EXPECT_EQ(Code(), "OIDC_NONCE_MISMATCH");
  claims_ = base;
  claims_.erase("sub");
  EXPECT_EQ(Code(), "OIDC_INVALID_TOKEN");
}

TEST_F(IdTokenClaims, AnEmailCountsOnlyWhenVerified) {
  claims_["email_verified"] = false;
  EXPECT_EQ(oidc::CheckIdTokenClaims(claims_, expect_)->email, "");
  claims_.erase("email_verified");
  EXPECT_EQ(oidc::CheckIdTokenClaims(claims_, expect_)->email, "");
  claims_["email_verified"] = "true";
  EXPECT_EQ(oidc::CheckIdTokenClaims(claims_, expect_)->email, "Ann@Example.com");
}

}  // namespace
}  // namespace aimoviez
