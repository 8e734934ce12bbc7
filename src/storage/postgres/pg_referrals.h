// ReferralRepository on PostgreSQL: referral codes, referrals and remembered devices.
#pragma once

#include "domain/referral_repository.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgReferralRepository : public virtual ReferralRepository {
 public:
  explicit PgReferralRepository(Database& db) : db_(db) {}

  std::optional<std::string> FindReferralCode(Id user_id) override;
  bool SaveReferralCode(Id user_id, std::string_view code, EpochMs now) override;
  std::optional<Id> FindUserByReferralCode(std::string_view code) override;
  bool RecordReferral(Id referrer_id, Id referred_id, ReferralStatus status,
                      std::string_view reason, EpochMs now) override;
  std::int64_t CountCreditedReferrals(Id referrer_id) override;
  void RememberDevice(Id user_id, std::string_view device_key, EpochMs now, int keep) override;
  bool DeviceSeenFor(Id user_id, std::string_view device_key) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
