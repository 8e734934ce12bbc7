#include "domain/referral_service.h"

#include "common/crypto.h"
#include "common/text.h"
#include "domain/transaction.h"

namespace aimoviez {

namespace {

// 32 symbols, so a random byte maps onto one without bias (256 = 8 × 32).
constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789Z";
constexpr std::string_view kCodeSymbols = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
constexpr std::size_t kCodeLength = 8;

Error Disabled() {
  return Error::Forbidden("FEATURE_DISABLED", "Referrals are turned off on this platform");
}

Error UnknownCode() {
  Error e = Error::NotFound("Referral code");
  e.code = "UNKNOWN_REFERRAL_CODE";
  return e;
}

}  // namespace

bool IsReferralCodeShaped(std::string_view code) {
  if (code.size() != kCodeLength) return false;
  for (char c : code) {
    if (kCodeSymbols.find(c) == std::string_view::npos) return false;
  }
  return true;
}

std::string NormalizeReferralCode(std::string_view raw) {
  std::string code = text::Trim(raw.substr(0, 64));
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return code;
}

std::string ReferralService::NewCode() {
  const std::string bytes = crypto::RandomBytes(kCodeLength);
  std::string code;
  for (unsigned char b : bytes) code.push_back(kCodeAlphabet[b % 32]);
  return code;
}

Result<ReferralSummary> ReferralService::Summary(const User& user) {
  if (!Enabled()) return Disabled();
  auto code = store_.FindReferralCode(user.id);
  // 31^8 codes: a collision is rare, and each retry draws afresh.
  for (int attempt = 0; !code && attempt < 8; ++attempt) {
    std::string fresh = NewCode();
    if (store_.SaveReferralCode(user.id, fresh, clock_.NowMs())) code = std::move(fresh);
  }
  if (!code) return Error::Internal("Could not draw a referral code");
  ReferralSummary s;
  s.code = *code;
  s.link = public_url_ + "/join/" + *code;
  s.referrals = store_.CountCreditedReferrals(user.id);
  s.tier = CurrentReferralTier(rules_, s.referrals);
  s.next_tier = NextReferralTier(rules_, s.referrals);
  return s;
}

Result<User> ReferralService::Inviter(std::string_view raw_code) {
  if (!Enabled()) return Disabled();
  const std::string code = NormalizeReferralCode(raw_code);
  if (!IsReferralCodeShaped(code)) return UnknownCode();
  const auto owner = store_.FindUserByReferralCode(code);
  const auto user = owner ? store_.FindUser(*owner) : std::nullopt;
  if (!user || user->is_banned) return UnknownCode();
  return *user;
}

void ReferralService::SignedInFrom(Id user_id, std::string_view device_key) {
  if (device_key.empty()) return;
  store_.RememberDevice(user_id, device_key, clock_.NowMs(), kDevicesKept);
}

Status ReferralService::Claim(const User& referred, std::string_view code,
                              std::string_view device_key) {
  auto inviter = Inviter(code);
  if (!inviter) return inviter.error();
  if (inviter->id == referred.id) {
    return Error::Forbidden("SELF_REFERRAL", "You cannot refer yourself");
  }
  const EpochMs now = clock_.NowMs();
  if (now - referred.created_at > kClaimWindowMs) {
    return Error::Conflict("REFERRAL_WINDOW_CLOSED",
                           "Only an account created in the last week can use an invite");
  }
  const bool same_device = !device_key.empty() && store_.DeviceSeenFor(inviter->id, device_key);
  // A refusal for the referrer's device is committed too: it is this account's one referral.
  auto recorded = InTransaction(store_, [&]() -> Status {
    const auto status = same_device ? ReferralStatus::kRefused : ReferralStatus::kCredited;
    if (!store_.RecordReferral(inviter->id, referred.id, status, same_device ? "same_device" : "",
                               now)) {
      return Error::Conflict("ALREADY_REFERRED", "This account was already referred");
    }
    if (!same_device) {
      store_.AppendEngagementEvent(kEventReferralCredited, inviter->id, referred.id,
                                   referred.username, now);
    }
    return Ok{};
  });
  if (!recorded) return recorded;
  if (same_device) {
    return Error::Forbidden("SELF_REFERRAL",
                            "This account was created on a device the inviter uses");
  }
  return Ok{};
}

}  // namespace aimoviez
