#include <gtest/gtest.h>

#include "domain/captcha.h"

namespace aimoviez {
namespace {

TEST(ProofOfWorkCaptcha, ASolvedChallengeIsGoodForOneVoteOfItsVoter) {
  ProofOfWorkCaptcha captcha("secret-0123456789abcdef", 8, 60'000);
  const auto issued = captcha.Issue("device_a", 1'000);
  const std::string token =
      issued.challenge + ":" + ProofOfWorkCaptcha::Solve(issued.challenge, issued.difficulty);
  EXPECT_FALSE(captcha.Verify(token, "device_b", 2'000)) << "bound to its voter";
  EXPECT_TRUE(captcha.Verify(token, "device_a", 2'000));
  EXPECT_FALSE(captcha.Verify(token, "device_a", 2'001)) << "spent";

  const auto late = captcha.Issue("device_a", 1'000);
  const std::string late_token =
      late.challenge + ":" + ProofOfWorkCaptcha::Solve(late.challenge, late.difficulty);
  EXPECT_FALSE(captcha.Verify(late_token, "device_a", 61'001)) << "expired";
}

}  // namespace
}  // namespace aimoviez
