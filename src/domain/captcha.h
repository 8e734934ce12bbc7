// Captcha for voting when `require_captcha_voting` is on. The verifier is an interface so a
// third-party service (hCaptcha) can be plugged in where the deployment can reach it; the built-in
// one is a proof-of-work challenge that needs no outside service: the server issues an
// HMAC-signed challenge bound to the voter, the browser finds a nonce whose SHA-256 has
// `difficulty` leading zero bits, and the answer is good for one vote within the challenge's
// lifetime: a spent challenge is remembered until it expires (in this process; bounded).
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/time.h"

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
  ProofOfWorkCaptcha(std::string secret, int difficulty_bits, EpochMs ttl_ms)
      : secret_(std::move(secret)), difficulty_(difficulty_bits), ttl_ms_(ttl_ms) {}

  CaptchaChallenge Issue(std::string_view voter_key, EpochMs now) const;
  // token = "<challenge>:<nonce>". A challenge verifies once: the second use is refused.
  bool Verify(std::string_view token, std::string_view voter_key, EpochMs now) const override;
  // Finds a nonce for a challenge (used by tests and the load generator; browsers do the same).
  static std::string Solve(std::string_view challenge, int difficulty_bits);
  static int LeadingZeroBits(std::string_view digest);

 private:
  // Spends a challenge (by its MAC) until `expires`; false when it was spent already, or when
  // the set is full of live entries (fail closed: the voter fetches another challenge later).
  bool Spend(std::string_view mac, EpochMs expires, EpochMs now) const;

  std::string secret_;
  int difficulty_;
  EpochMs ttl_ms_;
  static constexpr std::size_t kMaxSpent = 200'000;
  mutable std::mutex spent_mutex_;
  mutable std::unordered_map<std::string, EpochMs> spent_;
};

}  // namespace aimoviez
