#include "domain/csrf.h"

#include <charconv>

#include "common/crypto.h"

namespace aimoviez {

std::string CsrfTokens::Mac(std::string_view binding, std::string_view expiry,
                            std::string_view nonce) const {
  std::string msg = "csrf|";
  msg.append(binding).append("|").append(expiry).append("|").append(nonce);
  return crypto::Base64UrlEncode(crypto::HmacSha256(secret_, msg));
}

std::string CsrfTokens::Issue(std::string_view binding, EpochMs now) const {
  const std::string expiry = std::to_string(now + ttl_ms_);
  const std::string nonce = crypto::RandomToken(12);
  return expiry + "." + nonce + "." + Mac(binding, expiry, nonce);
}

CsrfTokens::Verdict CsrfTokens::Verify(std::string_view token, std::string_view binding,
                                       EpochMs now) const {
  if (token.empty()) return Verdict::kMissing;
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.size() > 256) return Verdict::kMalformed;
  const auto expiry = token.substr(0, first);
  const auto nonce = token.substr(first + 1, second - first - 1);
  const auto mac = token.substr(second + 1);
  EpochMs expires_at = 0;
  auto [ptr, ec] = std::from_chars(expiry.data(), expiry.data() + expiry.size(), expires_at);
  if (ec != std::errc() || ptr != expiry.data() + expiry.size()) return Verdict::kMalformed;
  // The MAC is checked before the expiry so a forged token never learns which part was wrong.
  if (!crypto::ConstantTimeEquals(mac, Mac(binding, expiry, nonce))) return Verdict::kWrongBinding;
  if (expires_at <= now) return Verdict::kExpired;
  return Verdict::kValid;
}

}  // namespace aimoviez
