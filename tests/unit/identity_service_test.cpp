#include <gtest/gtest.h>

#include "common/crypto.h"
#include "domain/identity_service.h"
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
