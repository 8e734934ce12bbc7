#include <gtest/gtest.h>

#include <chrono>

#include "cluster/redis_spent_tokens.h"
#include "common/crypto.h"
#include "domain/captcha.h"
#include "domain/rate_windows.h"
#include "redis_support.h"

namespace aimoviez {
namespace {

constexpr const char* kSecret = "secret-0123456789abcdef";

std::string Solved(const CaptchaChallenge& issued) {
  return issued.challenge + ":" + ProofOfWorkCaptcha::Solve(issued.challenge, issued.difficulty);
}

TEST(ProofOfWorkCaptcha, ASolvedChallengeIsGoodForOneVoteOfItsVoter) {
  LocalSpentTokens spent;
  ProofOfWorkCaptcha captcha(kSecret, 8, 60'000, spent);
  const std::string token = Solved(captcha.Issue("device_a", 1'000));
  EXPECT_FALSE(captcha.Verify(token, "device_b", 2'000)) << "bound to its voter";
  EXPECT_TRUE(captcha.Verify(token, "device_a", 2'000));
  EXPECT_FALSE(captcha.Verify(token, "device_a", 2'001)) << "spent";

  const std::string late_token = Solved(captcha.Issue("device_a", 1'000));
  EXPECT_FALSE(captcha.Verify(late_token, "device_a", 61'001)) << "expired";
}

TEST(LocalSpentTokens, AFullRecordDropsExpiredTokensAndOtherwiseRefuses) {
  LocalSpentTokens spent(2);
  EXPECT_TRUE(spent.Spend("a", 100, 0));
  EXPECT_TRUE(spent.Spend("b", 500, 0));
  EXPECT_FALSE(spent.Spend("c", 500, 50)) << "full of live tokens: fail closed";
  EXPECT_TRUE(spent.Spend("c", 500, 100)) << "a expired and made room";
  EXPECT_FALSE(spent.Spend("b", 500, 100));
}

TEST(RedisSpentTokens, AChallengeSpentOnOneNodeIsSpentOnEvery) {
  AIMOVIEZ_NEED_REDIS();
  const auto url = redis::Endpoint::Parse(*testing::RedisServerUrl());
  redis::Pool pool_a(url, 2, std::chrono::milliseconds(2000));
  redis::Pool pool_b(url, 2, std::chrono::milliseconds(2000));
  const std::string prefix = "test:" + crypto::ToHex(crypto::RandomBytes(6)) + ":";
  cluster::RedisSpentTokens spent_a(pool_a, prefix);
  cluster::RedisSpentTokens spent_b(pool_b, prefix);
  ProofOfWorkCaptcha node_a(kSecret, 8, 60'000, spent_a);
  ProofOfWorkCaptcha node_b(kSecret, 8, 60'000, spent_b);
  const EpochMs now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::string token = Solved(node_a.Issue("device_a", now));
  EXPECT_TRUE(node_b.Verify(token, "device_a", now + 10));
  EXPECT_FALSE(node_a.Verify(token, "device_a", now + 20)) << "spent on the other node";
  // Redis forgets it when the challenge expires.
  const std::string mac =
      token.substr(token.rfind('.') + 1, token.rfind(':') - token.rfind('.') - 1);
  const auto ttl = pool_a.Command({"PTTL", prefix + mac});
  EXPECT_GT(ttl.integer, 50'000);
  EXPECT_LE(ttl.integer, 60'000);
}

TEST(RedisSpentTokens, FailClosedWhenRedisIsUnreachable) {
  redis::Pool pool(redis::Endpoint::Parse("redis://127.0.0.1:1"), 2,
                   std::chrono::milliseconds(300));
  cluster::RedisSpentTokens spent(pool);
  EXPECT_THROW(spent.Spend("t", 2'000, 1'000), LimitsUnavailable);
}

}  // namespace
}  // namespace aimoviez
