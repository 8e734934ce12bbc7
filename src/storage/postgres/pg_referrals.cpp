#include "storage/postgres/pg_referrals.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

std::optional<std::string> PgReferralRepository::FindReferralCode(Id user_id) {
  return ReadFirst<std::string>(
      db_.Exec("SELECT code FROM referral_codes WHERE user_id = $1", Params(user_id)),
      [](const Rows& r, int i) { return r.Text(i, 0); });
}

bool PgReferralRepository::SaveReferralCode(Id user_id, std::string_view code, EpochMs now) {
  return db_.Exec(
                "INSERT INTO referral_codes (user_id, code, created_at) VALUES ($1, $2, $3) "
                "ON CONFLICT DO NOTHING",
                Params(user_id, code, now))
             .Affected() > 0;
}

std::optional<Id> PgReferralRepository::FindUserByReferralCode(std::string_view code) {
  return ReadFirst<Id>(db_.Exec("SELECT user_id FROM referral_codes WHERE code = $1", Params(code)),
                       [](const Rows& r, int i) { return r.Int(i, 0); });
}

bool PgReferralRepository::RecordReferral(Id referrer_id, Id referred_id, ReferralStatus status,
                                          std::string_view reason, EpochMs now) {
  return db_.Exec(
                "INSERT INTO referrals (referrer_id, referred_id, status, reason, created_at) "
                "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                Params(referrer_id, referred_id,
                       status == ReferralStatus::kCredited ? "credited" : "refused", reason, now))
             .Affected() > 0;
}

std::int64_t PgReferralRepository::CountCreditedReferrals(Id referrer_id) {
  return db_
      .Exec("SELECT COUNT(*) FROM referrals WHERE referrer_id = $1 AND status = 'credited'",
            Params(referrer_id))
      .Int(0, 0);
}

void PgReferralRepository::RememberDevice(Id user_id, std::string_view device_key, EpochMs now,
                                          int keep) {
  db_.Transaction([&] {
    db_.Exec(
        "INSERT INTO user_devices (user_id, device_key, last_seen_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (user_id, device_key) DO UPDATE SET last_seen_at = excluded.last_seen_at",
        Params(user_id, device_key, now));
    db_.Exec(
        "DELETE FROM user_devices WHERE user_id = $1 AND device_key NOT IN (SELECT device_key "
        "FROM user_devices WHERE user_id = $1 ORDER BY last_seen_at DESC, device_key LIMIT $2)",
        Params(user_id, keep));
  });
}

bool PgReferralRepository::DeviceSeenFor(Id user_id, std::string_view device_key) {
  return !db_.Exec("SELECT 1 FROM user_devices WHERE user_id = $1 AND device_key = $2",
                   Params(user_id, device_key))
              .empty();
}

}  // namespace aimoviez::pg
