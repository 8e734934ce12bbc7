#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/crypto.h"
#include "common/text.h"
#include "domain/csrf.h"
#include "domain/identity_service.h"
#include "domain/username.h"

namespace aimoviez {
namespace {

TEST(Username, AcceptsLettersDigitsUnderscoreThreeToTwenty) {
  EXPECT_TRUE(ValidateUsername("abc").ok());
  EXPECT_TRUE(ValidateUsername("Neo_2049").ok());
  EXPECT_TRUE(ValidateUsername(std::string(20, 'a')).ok());
  EXPECT_FALSE(ValidateUsername("ab").ok());
  EXPECT_FALSE(ValidateUsername(std::string(21, 'a')).ok());
  EXPECT_FALSE(ValidateUsername("with space").ok());
  EXPECT_FALSE(ValidateUsername("emoji😀").ok());
  EXPECT_EQ(ValidateUsername("bad-name").error().code, "INVALID_USERNAME");
}

TEST(Username, SanitisesMarkupAndRefusesReservedNames) {
  auto v = ValidateUsername("  <script>x</script>neo_1 ");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "xneo_1");
  EXPECT_EQ(ValidateUsername("Admin").error().code, "USERNAME_RESERVED");
}

TEST(Email, NormalisesAndValidates) {
  EXPECT_EQ(*ValidateEmail("  Alice@Example.COM "), "alice@example.com");
  EXPECT_FALSE(ValidateEmail("no-at-sign").ok());
  EXPECT_FALSE(ValidateEmail("a@b").ok());
  EXPECT_FALSE(ValidateEmail("a@@b.com").ok());
  EXPECT_FALSE(ValidateEmail("<a>@b.com").ok());
}

TEST(Text, SanitizeStripsTagsAndControls) {
  EXPECT_EQ(text::Sanitize("a<b>c</b>\x01\x7f d"), "ac d");
  EXPECT_EQ(text::Sanitize("line1\nline2", true), "line1\nline2");
  EXPECT_EQ(text::Sanitize("line1\nline2", false), "line1 line2");
  EXPECT_TRUE(text::IsValidUtf8("héllo"));
  EXPECT_FALSE(text::IsValidUtf8("\xC0\x80"));
  EXPECT_EQ(text::CodePointCount("héllo"), 5u);
}

TEST(Crypto, Base64UrlRoundTripAndHmacVector) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(*crypto::Base64UrlDecode(crypto::Base64UrlEncode(s)), s);
  }
  // RFC 4231 test case 2.
  EXPECT_EQ(crypto::ToHex(crypto::HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // The per-thread context is re-keyed for every message: a different key right after, an empty
  // key (which must not fall back to the previous one), then the first key again.
  EXPECT_EQ(crypto::ToHex(crypto::HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(crypto::ToHex(crypto::HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_EQ(crypto::ToHex(crypto::HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// Each thread keeps a few keyed contexts: more keys than it keeps, in turn and repeated, must
// each still MAC under their own key (checked against OpenSSL's one-shot HMAC).
TEST(Crypto, HmacUnderManyKeysMatchesOneShot) {
  std::vector<std::string> keys = {"", "k", "Jefe", std::string(131, '\xaa'), "server-secret"};
  for (int i = 0; i < 4; ++i) keys.push_back("key-" + std::to_string(i));
  for (int round = 0; round < 3; ++round) {
    for (std::size_t k = 0; k < keys.size(); ++k) {
      const std::string& key = keys[(k * 7 + round) % keys.size()];
      const std::string message = "message " + std::to_string(round) + "/" + std::to_string(k);
      unsigned char expected[EVP_MAX_MD_SIZE];
      unsigned int expected_len = 0;
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), expected,
           &expected_len);
      EXPECT_EQ(crypto::HmacSha256(key, message),
                std::string(reinterpret_cast<const char*>(expected), expected_len))
          << "key #" << (k * 7 + round) % keys.size() << " round " << round;
    }
  }
}

TEST(Csrf, ValidForItsBindingUntilExpiry) {
  CsrfTokens csrf("secret-key-0123456789abcdef0123456789", 3'600'000);
  const EpochMs now = 1'000'000;
  const auto token = csrf.Issue("s:abc", now);
  EXPECT_EQ(csrf.Verify(token, "s:abc", now), CsrfTokens::Verdict::kValid);
  EXPECT_EQ(csrf.Verify(token, "s:abc", now + 3'599'999), CsrfTokens::Verdict::kValid);
  EXPECT_EQ(csrf.Verify(token, "s:abc", now + 3'600'000), CsrfTokens::Verdict::kExpired);
  EXPECT_EQ(csrf.Verify(token, "d:other", now), CsrfTokens::Verdict::kWrongBinding);
  EXPECT_EQ(csrf.Verify("", "s:abc", now), CsrfTokens::Verdict::kMissing);
  EXPECT_EQ(csrf.Verify("garbage", "s:abc", now), CsrfTokens::Verdict::kMalformed);
}

TEST(Csrf, TamperedExpiryIsRejected) {
  CsrfTokens csrf("secret-key-0123456789abcdef0123456789", 1000);
  const auto token = csrf.Issue("b", 0);
  const auto dot = token.find('.');
  const std::string forged = "99999999999" + token.substr(dot);
  EXPECT_EQ(csrf.Verify(forged, "b", 5000), CsrfTokens::Verdict::kWrongBinding);
}

TEST(Csrf, OtherSecretCannotForge) {
  CsrfTokens a("secret-a-0123456789abcdef0123456789", 1000);
  CsrfTokens b("secret-b-0123456789abcdef0123456789", 1000);
  EXPECT_EQ(b.Verify(a.Issue("x", 0), "x", 1), CsrfTokens::Verdict::kWrongBinding);
}

}  // namespace
}  // namespace aimoviez
