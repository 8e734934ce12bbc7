#include "domain/captcha.h"

#include <charconv>

#include "common/crypto.h"

namespace aimoviez {

namespace {
std::string Mac(const std::string& secret, std::string_view voter, std::string_view expiry,
                std::string_view nonce, int difficulty) {
  std::string msg = "captcha|";
  msg.append(voter).append("|").append(expiry).append("|").append(nonce).append("|");
  msg.append(std::to_string(difficulty));
  return crypto::Base64UrlEncode(crypto::HmacSha256(secret, msg)).substr(0, 22);
}
}  // namespace

int ProofOfWorkCaptcha::LeadingZeroBits(std::string_view digest) {
  int bits = 0;
  for (unsigned char c : digest) {
    if (c == 0) {
      bits += 8;
      continue;
    }
    for (int b = 7; b >= 0 && !(c & (1 << b)); --b) ++bits;
    break;
  }
  return bits;
}

CaptchaChallenge ProofOfWorkCaptcha::Issue(std::string_view voter_key, EpochMs now) const {
  const EpochMs expires = now + ttl_ms_;
  const std::string expiry = std::to_string(expires);
  const std::string nonce = crypto::RandomToken(9);
  return {expiry + "." + nonce + "." + Mac(secret_, voter_key, expiry, nonce, difficulty_),
          difficulty_, expires};
}

bool ProofOfWorkCaptcha::Verify(std::string_view token, std::string_view voter_key,
                                EpochMs now) const {
  const auto colon = token.rfind(':');
  if (colon == std::string_view::npos || token.size() > 200) return false;
  const auto challenge = token.substr(0, colon);
  const auto d1 = challenge.find('.');
  const auto d2 = d1 == std::string_view::npos ? d1 : challenge.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  const auto expiry = challenge.substr(0, d1);
  const auto nonce = challenge.substr(d1 + 1, d2 - d1 - 1);
  const auto mac = challenge.substr(d2 + 1);
  if (!crypto::ConstantTimeEquals(mac, Mac(secret_, voter_key, expiry, nonce, difficulty_)))
    return false;
  EpochMs expires = 0;
  auto [p, ec] = std::from_chars(expiry.data(), expiry.data() + expiry.size(), expires);
  if (ec != std::errc() || expires <= now) return false;
  if (LeadingZeroBits(crypto::Sha256(token)) < difficulty_) return false;
  return spent_.Spend(mac, expires, now);
}

std::string ProofOfWorkCaptcha::Solve(std::string_view challenge, int difficulty_bits) {
  for (std::uint64_t n = 0;; ++n) {
    std::string token(challenge);
    token += ":" + std::to_string(n);
    if (LeadingZeroBits(crypto::Sha256(token)) >= difficulty_bits) return std::to_string(n);
  }
}

}  // namespace aimoviez
