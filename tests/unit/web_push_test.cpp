// Web Push: RFC 8291 payload encryption round trip, the VAPID JWT's ES256 signature checked
// with the JWS verifier the sign-in uses, and which endpoints and addresses are acceptable.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/crypto.h"
#include "common/jws.h"
#include "common/net_address.h"
#include "common/web_push_crypto.h"
#include "domain/push_service.h"

namespace aimoviez {
namespace {

TEST(WebPushCrypto, EncryptedPayloadOpensWithTheSubscriptionKeyOnly) {
  const std::string ua_private = webpush::GenerateVapidKeyPem();
  const std::string ua_public = *webpush::PublicKeyOf(ua_private);
  ASSERT_EQ(ua_public.size(), 65u);
  EXPECT_TRUE(webpush::IsValidP256Point(ua_public));
  const std::string auth = crypto::RandomBytes(16);
  const std::string message = R"({"title":"Your clip won","body":"🎬"})";
  const auto body = webpush::EncryptPayload(ua_public, auth, message);
  ASSERT_TRUE(body.has_value());
  // salt 16, record size 4096, key id length 65, the sender's key, ciphertext + delimiter + tag.
  EXPECT_EQ(body->size(), 16 + 4 + 1 + 65 + message.size() + 1 + 16);
  EXPECT_EQ(static_cast<unsigned char>((*body)[18]), 0x10);  // 4096 = 0x00001000
  EXPECT_EQ(webpush::DecryptPayload(ua_private, auth, *body), message);
  EXPECT_FALSE(webpush::DecryptPayload(ua_private, crypto::RandomBytes(16), *body).has_value());
  EXPECT_FALSE(webpush::DecryptPayload(webpush::GenerateVapidKeyPem(), auth, *body).has_value());
  std::string tampered = *body;
  tampered.back() ^= 1;
  EXPECT_FALSE(webpush::DecryptPayload(ua_private, auth, tampered).has_value());
  // A fresh sender key and salt each time: two encryptions never match.
  EXPECT_NE(*webpush::EncryptPayload(ua_public, auth, message), *body);
}

TEST(WebPushCrypto, PinnedSenderKeyAndSaltGiveTheSameBody) {
  const std::string ua_public = *webpush::PublicKeyOf(webpush::GenerateVapidKeyPem());
  const std::string sender = webpush::GenerateVapidKeyPem();
  const std::string salt(16, 's'), auth(16, 'a');
  EXPECT_EQ(webpush::EncryptPayload(ua_public, auth, "x", sender, salt),
            webpush::EncryptPayload(ua_public, auth, "x", sender, salt));
}

TEST(WebPushCrypto, BadKeysAreRefused) {
  EXPECT_FALSE(webpush::IsValidP256Point(std::string(65, '\x04')));  // not on the curve
  EXPECT_FALSE(webpush::IsValidP256Point("short"));
  EXPECT_FALSE(webpush::EncryptPayload(std::string(65, '\x04'), std::string(16, 'a'), "x"));
  const std::string ua_public = *webpush::PublicKeyOf(webpush::GenerateVapidKeyPem());
  EXPECT_FALSE(webpush::EncryptPayload(ua_public, "too short", "x"));
  EXPECT_FALSE(webpush::PublicKeyOf("not a pem").has_value());
}

TEST(WebPushCrypto, VapidJwtVerifiesWithTheServedPublicKey) {
  const std::string pem = webpush::GenerateVapidKeyPem();
  const std::string point = *webpush::PublicKeyOf(pem);
  const auto jwt =
      webpush::VapidJwt(pem, "https://push.example.net", 2'000'000'000, "mailto:ops@example.com");
  ASSERT_TRUE(jwt.has_value());
  const auto parsed = jws::Parse(*jwt);
  ASSERT_TRUE(parsed.has_value());
  boost::json::object jwk{{"kty", "EC"},
                          {"crv", "P-256"},
                          {"x", crypto::Base64UrlEncode(point.substr(1, 32))},
                          {"y", crypto::Base64UrlEncode(point.substr(33, 32))}};
  EXPECT_TRUE(jws::Verify(*parsed, jwk));
  const auto claims =
      boost::json::parse(*crypto::Base64UrlDecode(
                             jwt->substr(jwt->find('.') + 1, jwt->rfind('.') - jwt->find('.') - 1)))
          .as_object();
  EXPECT_EQ(claims.at("aud").as_string(), "https://push.example.net");
  EXPECT_EQ(claims.at("exp").as_int64(), 2'000'000'000);
  // Another key does not verify it.
  const std::string other = *webpush::PublicKeyOf(webpush::GenerateVapidKeyPem());
  jwk["x"] = crypto::Base64UrlEncode(other.substr(1, 32));
  jwk["y"] = crypto::Base64UrlEncode(other.substr(33, 32));
  EXPECT_FALSE(jws::Verify(*parsed, jwk));
}

TEST(PushEndpoints, OnlyHttpsToPublicHostsUnlessLoopbackIsAllowed) {
  EXPECT_TRUE(CheckPushEndpoint("https://fcm.googleapis.com/fcm/send/abc", false).ok());
  EXPECT_TRUE(CheckPushEndpoint("https://8.8.8.8/push", false).ok());
  for (const char* bad :
       {"http://push.example.net/x", "https://127.0.0.1/x", "https://localhost/x",
        "https://10.1.2.3/x", "https://192.168.1.1/x", "https://169.254.169.254/latest",
        "https://[::1]/x", "https://[fd00::1]/x", "https://[fe80::1]/x", "ftp://push/x",
        "not a url", "https://user:pw@push.example.net/x", "https://100.64.0.1/x"}) {
    EXPECT_FALSE(CheckPushEndpoint(bad, false).ok()) << bad;
  }
  EXPECT_TRUE(CheckPushEndpoint("http://127.0.0.1:9000/push/1", true).ok());
  EXPECT_TRUE(CheckPushEndpoint("http://localhost:9000/push/1", true).ok());
  EXPECT_FALSE(CheckPushEndpoint("http://10.0.0.1/x", true).ok()) << "private stays refused";
  EXPECT_FALSE(CheckPushEndpoint("https://" + std::string(2100, 'a') + ".com/", false).ok());
}

TEST(PushEndpoints, PublicAddressesAreTheGloballyRoutableOnes) {
  EXPECT_TRUE(net::IsPublicAddress("8.8.8.8"));
  EXPECT_TRUE(net::IsPublicAddress("2606:4700::1111"));
  for (const char* ip : {"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.1.1",
                         "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd12::1",
                         "::ffff:10.0.0.1", "2001:db8::1", "not-an-ip"}) {
    EXPECT_FALSE(net::IsPublicAddress(ip)) << ip;
  }
  EXPECT_TRUE(net::IsLoopbackAddress("127.0.0.53"));
  EXPECT_TRUE(net::IsLoopbackAddress("::1"));
  EXPECT_FALSE(net::IsLoopbackAddress("10.0.0.1"));
}

}  // namespace
}  // namespace aimoviez
