#include <gtest/gtest.h>

#include "common/crypto.h"
#include "domain/identity_service.h"
#include "domain/username.h"
#include "test_support.h"

namespace aimoviez {
namespace {

class IdentityServiceTest : public testing::StoreTest {
 protected:
  IdentityService identity_{*store_, clock_, "server-secret-0123456789abcdef-xyz"};
};

TEST_F(IdentityServiceTest, SignInCreatesUserOnceAndStoresOnlyTheTokenHash) {
  auto first = identity_.SignInWithVerifiedEmail("New@Example.com", std::string_view("new_user"));
  ASSERT_TRUE(first.ok());
  auto again = identity_.SignInWithVerifiedEmail("new@example.com", std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->user.id, again->user.id);
  EXPECT_NE(first->session_token, again->session_token);
  EXPECT_FALSE(store_->FindSession(first->session_token).has_value());
  EXPECT_TRUE(store_->FindSession(IdentityService::HashToken(first->session_token)).has_value());
}

TEST_F(IdentityServiceTest, SessionsExpireAfterThirtyIdleMinutes) {
  auto s = identity_.SignInWithVerifiedEmail("idle@example.com", std::nullopt);
  ASSERT_TRUE(s.ok());
  clock_.Advance(29 * 60'000);
  EXPECT_TRUE(identity_.ResolveSession(s->session_token).has_value());  // activity refreshes
  clock_.Advance(29 * 60'000);
  EXPECT_TRUE(identity_.ResolveSession(s->session_token).has_value());
  clock_.Advance(30 * 60'000 + 1);
  EXPECT_FALSE(identity_.ResolveSession(s->session_token).has_value());
}

TEST_F(IdentityServiceTest, BannedUsersCannotSignInOrUseSessions) {
  auto s = identity_.SignInWithVerifiedEmail("bad@example.com", std::nullopt);
  ASSERT_TRUE(s.ok());
  store_->SetUserBanned(s->user.id, true);
  EXPECT_FALSE(identity_.ResolveSession(s->session_token).has_value());
  EXPECT_EQ(identity_.SignInWithVerifiedEmail("bad@example.com", std::nullopt).error().code,
            "ACCOUNT_BANNED");
}

TEST_F(IdentityServiceTest, UsernamesAreUniqueCaseInsensitively) {
  auto a = identity_.SignInWithVerifiedEmail("a@example.com", std::string_view("Taken_1"));
  ASSERT_TRUE(a.ok());
  auto b = identity_.SignInWithVerifiedEmail("b@example.com", std::nullopt);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(identity_.ChooseUsername(b->user, "taken_1").error().code, "USERNAME_TAKEN");
  EXPECT_FALSE(*identity_.IsUsernameAvailable("TAKEN_1", b->user.id));
  EXPECT_TRUE(*identity_.IsUsernameAvailable("taken_1", a->user.id));
}

TEST_F(IdentityServiceTest, DeviceKeyIsKeyedNotABareHash) {
  const std::vector<std::string_view> parts = {"1.2.3.4", "UA", "en"};
  const auto key = identity_.DeviceKey(parts);
  EXPECT_EQ(key.rfind("device_", 0), 0u);
  EXPECT_EQ(key.size(), 7u + 32u);
  EXPECT_EQ(key, identity_.DeviceKey(parts));
  IdentityService other(*store_, clock_, "another-secret-0123456789abcdef-xyz");
  EXPECT_NE(key, other.DeviceKey(parts));
  // Not the spec's unkeyed SHA-256 of the same fingerprint.
  EXPECT_NE(key.substr(7), crypto::ToHex(crypto::Sha256("1.2.3.4|UA|en")).substr(0, 32));
}

TEST_F(IdentityServiceTest, DeviceCookiesAreTheServersOwnAndNameOneVoter) {
  const std::string cookie = identity_.IssueDeviceCookie();
  const auto key = identity_.DeviceKeyForCookie(cookie);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->rfind("device_", 0), 0U);
  EXPECT_EQ(key->size(), 7U + 32U);  // the packed form the engine keeps inline
  EXPECT_EQ(identity_.DeviceKeyForCookie(cookie), key);
  const std::string other = identity_.IssueDeviceCookie();
  EXPECT_NE(other, cookie);
  EXPECT_NE(identity_.DeviceKeyForCookie(other), key);
  // A changed id, a changed MAC, another server's cookie, or an old unsigned one: not ours.
  std::string forged = cookie;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(identity_.DeviceKeyForCookie(forged));
  forged = cookie;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_FALSE(identity_.DeviceKeyForCookie(forged));
  IdentityService elsewhere(*store_, clock_, "another-server-secret-0123456789abcdef");
  EXPECT_FALSE(elsewhere.DeviceKeyForCookie(cookie));
  EXPECT_FALSE(identity_.DeviceKeyForCookie(cookie.substr(0, 24)));
  EXPECT_FALSE(identity_.DeviceKeyForCookie(""));
}

TEST_F(IdentityServiceTest, AdminGrantWorksBeforeFirstSignIn) {
  auto granted = identity_.SetAdminByEmail("boss@example.com", true);
  ASSERT_TRUE(granted.ok());
  EXPECT_TRUE(granted->is_admin);
  auto s = identity_.SignInWithVerifiedEmail("boss@example.com", std::nullopt);
  EXPECT_TRUE(s->user.is_admin);
  EXPECT_FALSE(identity_.SetAdminByEmail("boss@example.com", false)->is_admin);
}

}  // namespace
}  // namespace aimoviez

namespace aimoviez {
namespace {

oidc::VerifiedIdentity Identity(std::string subject, std::string email) {
  return oidc::VerifiedIdentity{"https://idp.example", std::move(subject), std::move(email), "Ann",
                                ""};
}

TEST_F(IdentityServiceTest, AProviderIdentityCreatesOneAccountKeyedByIssuerAndSubject) {
  auto first = identity_.SignInWithProvider(Identity("sub-1", "ann@example.com"), std::nullopt,
                                            "Firefox on Linux");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->new_account);
  // The same subject with another email is the same account; the email is not the key.
  auto again = identity_.SignInWithProvider(Identity("sub-1", "ann@new.example"), std::nullopt,
                                            "Chrome on Android");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->new_account);
  EXPECT_EQ(first->signed_in.user.id, again->signed_in.user.id);
  const auto sessions = identity_.ListSessions(first->signed_in.user.id);
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].public_id.size(), 16u);
}

TEST_F(IdentityServiceTest, AnAccountWithoutAVerifiedEmailHasNone) {
  auto a = identity_.SignInWithProvider(Identity("sub-a", ""), std::nullopt, "");
  auto b = identity_.SignInWithProvider(Identity("sub-b", ""), std::nullopt, "");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->signed_in.user.id, b->signed_in.user.id);
  EXPECT_EQ(a->signed_in.user.email, "");
}

TEST_F(IdentityServiceTest, AnEmailHeldByAnotherProvidersAccountIsNotJoinedSilently) {
  auto first = identity_.SignInWithProvider(Identity("sub-1", "ann@example.com"), std::nullopt, "");
  ASSERT_TRUE(first.ok());
  oidc::VerifiedIdentity elsewhere{"https://other.example", "x-9", "ann@example.com", "", ""};
  auto refused = identity_.SignInWithProvider(elsewhere, std::nullopt, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "ACCOUNT_EXISTS");
  // Linking by the signed-in owner is explicit and works.
  auto linked = identity_.SignInWithProvider(elsewhere, first->signed_in.user.id, "");
  ASSERT_TRUE(linked.ok());
  EXPECT_EQ(linked->signed_in.user.id, first->signed_in.user.id);
  EXPECT_EQ(store_->ListIdentities(first->signed_in.user.id).size(), 2u);
  // Once linked, that identity cannot be linked to someone else.
  auto other = identity_.SignInWithProvider(Identity("sub-2", ""), std::nullopt, "");
  ASSERT_TRUE(other.ok());
  auto stolen = identity_.SignInWithProvider(elsewhere, other->signed_in.user.id, "");
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.error().code, "IDENTITY_LINKED");
}

TEST_F(IdentityServiceTest, AnAdminGrantMadeBeforeFirstSignInIsClaimedByThatEmail) {
  ASSERT_TRUE(identity_.SetAdminByEmail("boss@example.com", true).ok());
  auto s = identity_.SignInWithProvider(Identity("boss", "boss@example.com"), std::nullopt, "");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->signed_in.user.is_admin);
  EXPECT_FALSE(s->new_account);
}

TEST_F(IdentityServiceTest, SessionsCanBeListedEndedAndAreBoundedPerAccount) {
  auto first = identity_.SignInWithProvider(Identity("sub-1", ""), std::nullopt, "A");
  ASSERT_TRUE(first.ok());
  const Id user = first->signed_in.user.id;
  for (int i = 0; i < 30; ++i) {
    clock_.Advance(1000);
    ASSERT_TRUE(identity_.SignInWithProvider(Identity("sub-1", ""), std::nullopt, "B").ok());
  }
  auto sessions = identity_.ListSessions(user);
  EXPECT_EQ(sessions.size(), 20u);  // the oldest ended
  EXPECT_FALSE(identity_.ResolveSession(first->signed_in.session_token).has_value());
  EXPECT_TRUE(identity_.EndSession(user, sessions[0].public_id));
  EXPECT_FALSE(identity_.EndSession(user, sessions[0].public_id));
  auto current = identity_.SignInWithProvider(Identity("sub-1", ""), std::nullopt, "C");
  EXPECT_EQ(identity_.EndOtherSessions(user, current->signed_in.session_token), 19);
  EXPECT_TRUE(identity_.ResolveSession(current->signed_in.session_token).has_value());
}

TEST(DeviceLabel, NamesBrowserAndSystem) {
  EXPECT_EQ(
      DescribeDevice("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
      "Firefox on Linux");
  EXPECT_EQ(DescribeDevice("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120 Mobile "
                           "Safari/537.36"),
            "Chrome on Android");
  EXPECT_EQ(DescribeDevice("curl/8.0"), "Unknown device");
}

}  // namespace
}  // namespace aimoviez

namespace aimoviez {
namespace {

TEST(SuggestUsername, MakesAValidNameOrNothing) {
  EXPECT_EQ(SuggestUsername("Ann Lee"), "ann_lee");
  EXPECT_EQ(SuggestUsername("  Dr. Zoë O'Neil-Smith  "), "dr_zo_oneil_smith");
  EXPECT_EQ(SuggestUsername("A very long display name indeed"), "a_very_long_display");
  EXPECT_EQ(SuggestUsername("李"), "");
  EXPECT_EQ(SuggestUsername("x"), "");
}

}  // namespace
}  // namespace aimoviez
