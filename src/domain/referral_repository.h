// Storage port for referrals (spec section 12): each user's code, who brought whom, and the
// devices each account signed in from (to refuse a referral from the referrer's own device).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/model.h"

namespace aimoviez {

enum class ReferralStatus { kCredited, kRefused };

class ReferralRepository {
 public:
  virtual ~ReferralRepository() = default;
  virtual std::optional<std::string> FindReferralCode(Id user_id) = 0;
  // False when the code is taken by someone else (the caller draws another).
  virtual bool SaveReferralCode(Id user_id, std::string_view code, EpochMs now) = 0;
  virtual std::optional<Id> FindUserByReferralCode(std::string_view code) = 0;
  // One row per referred account, whatever its outcome: false when the account already has one.
  virtual bool RecordReferral(Id referrer_id, Id referred_id, ReferralStatus status,
                              std::string_view reason, EpochMs now) = 0;
  virtual std::int64_t CountCreditedReferrals(Id referrer_id) = 0;
  // Devices an account signed in from, newest `keep` kept per account.
  virtual void RememberDevice(Id user_id, std::string_view device_key, EpochMs now, int keep) = 0;
  virtual bool DeviceSeenFor(Id user_id, std::string_view device_key) = 0;
};

}  // namespace aimoviez
