// Captcha for voting when `require_captcha_voting` is on. The verifier is an interface so a
// third-party service (hCaptcha) can be plugged in where the deployment can reach it; the built-in
// one is a proof-of-work challenge that needs no outside service: the server issues an
// HMAC-signed challenge bound to the voter, the browser finds a nonce whose SHA-256 has
// `difficulty` leading zero bits, and the answer is good for one vote within the challenge's
// lifetime: a spent challenge is remembered until it expires (SpentTokens: in this process, or
// in Redis where several nodes serve).
#pragma once

#include <string>
#include <string_view>

#include "common/time.h"
#include "domain/spent_tokens.h"

namespace aimoviez {

class CaptchaVerifier {
 public:
  virtual ~CaptchaVerifier() = default;
  virtual bool Verify(std::string_view token, std::string_view voter_key, EpochMs now) const = 0;
};

struct CaptchaChallenge {
  std::string challenge;
  int difficulty = 0;
  EpochMs expires_at = 0;
};

class ProofOfWorkCaptcha final : public CaptchaVerifier {
 public:
  ProofOfWorkCaptcha(std::string secret, int difficulty_bits, EpochMs ttl_ms, SpentTokens& spent)
      : secret_(std::move(secret)), difficulty_(difficulty_bits), ttl_ms_(ttl_ms), spent_(spent) {}

  CaptchaChallenge Issue(std::string_view voter_key, EpochMs now) const;
  // token = "<challenge>:<nonce>". A challenge verifies once: the second use is refused.
  bool Verify(std::string_view token, std::string_view voter_key, EpochMs now) const override;
  // Finds a nonce for a challenge (used by tests and the load generator; browsers do the same).
  static std::string Solve(std::string_view challenge, int difficulty_bits);
  static int LeadingZeroBits(std::string_view digest);

 private:
  std::string secret_;
  int difficulty_;
  EpochMs ttl_ms_;
  SpentTokens& spent_;  // challenges by their MAC
};

}  // namespace aimoviez
