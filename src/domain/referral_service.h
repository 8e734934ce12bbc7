// Referrals (spec section 12, behind the `referral_system` flag). Every account gets a code on
// first asking; the share link /join/{CODE} leaves the code in a cookie that survives the sign-in
// round trip, and the account created at the end of it is credited to the code's owner.
//
// Rules:
//  - one referral per new account, whatever its outcome: a refused one cannot be retried with
//    another code;
//  - only a young account can be referred (kClaimWindowMs), so existing users cannot trade codes;
//  - no self-referral: not the same account, and not an account created on a device the referrer
//    signed in from (devices are the server-signed device cookie; the newest few per account
//    are remembered);
//  - a credited referral is an engagement event: ProgressionService counts it, awards the tier's
//    XP and badge once and tells the referrer, off the request path.
#pragma once

#include <optional>
#include <string>

#include "common/time.h"
#include "domain/errors.h"
#include "domain/feature_flags.h"
#include "domain/ports.h"
#include "domain/progression_rules.h"

namespace aimoviez {

struct ReferralSummary {
  std::string code;
  std::string link;  // absolute with a configured public URL, else a path
  std::int64_t referrals = 0;
  std::optional<ReferralTier> tier;       // the highest reached
  std::optional<ReferralTier> next_tier;  // nothing once Legend is reached
};

// The form of a code: 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L).
bool IsReferralCodeShaped(std::string_view code);
// What people type: surrounding spaces dropped, letters upper-cased.
std::string NormalizeReferralCode(std::string_view code);

class ReferralService {
 public:
  static constexpr EpochMs kClaimWindowMs = 7LL * 86'400'000;
  static constexpr int kDevicesKept = 20;

  ReferralService(Store& store, const Clock& clock, FeatureFlags& flags, XpRules rules,
                  std::string public_url)
      : store_(store),
        clock_(clock),
        flags_(flags),
        rules_(rules),
        public_url_(std::move(public_url)) {}

  bool Enabled() { return flags_.Enabled("referral_system"); }
  // The caller's code (made on first use), link, count and tiers. FEATURE_DISABLED when off.
  Result<ReferralSummary> Summary(const User& user);
  // Whose code this is, for the invite page: UNKNOWN_REFERRAL_CODE, FEATURE_DISABLED.
  Result<User> Inviter(std::string_view code);
  // Remembers a signed-in device of the account (only server-signed device cookies count).
  void SignedInFrom(Id user_id, std::string_view device_key);
  // Credits the code's owner with `referred`, a new account. Refusals: FEATURE_DISABLED,
  // UNKNOWN_REFERRAL_CODE, SELF_REFERRAL (same account or the referrer's device; the latter is
  // recorded and final), REFERRAL_WINDOW_CLOSED (an account older than a week), ALREADY_REFERRED.
  Status Claim(const User& referred, std::string_view code, std::string_view device_key);

 private:
  std::string NewCode();

  Store& store_;
  const Clock& clock_;
  FeatureFlags& flags_;
  XpRules rules_;
  std::string public_url_;
};

}  // namespace aimoviez
