// Referral codes, referrals and remembered devices on SQLite (migration 17).
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

std::optional<std::string> SqliteStore::FindReferralCode(Id user_id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT code FROM referral_codes WHERE user_id = ?");
  st.BindAll(user_id);
  return One<std::string>(st, [](const Statement& s) { return s.Text(0); });
}

bool SqliteStore::SaveReferralCode(Id user_id, std::string_view code, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare("INSERT OR IGNORE INTO referral_codes (user_id, code, created_at) VALUES (?, ?, ?)")
      .BindAll(user_id, code, now)
      .Run();
  return db_.Changes() > 0;
}

std::optional<Id> SqliteStore::FindUserByReferralCode(std::string_view code) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT user_id FROM referral_codes WHERE code = ?");
  st.BindAll(code);
  return One<Id>(st, [](const Statement& s) { return s.Int(0); });
}

bool SqliteStore::RecordReferral(Id referrer_id, Id referred_id, ReferralStatus status,
                                 std::string_view reason, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT OR IGNORE INTO referrals (referrer_id, referred_id, status, reason, created_at) "
         "VALUES (?, ?, ?, ?, ?)")
      .BindAll(referrer_id, referred_id,
               status == ReferralStatus::kCredited ? "credited" : "refused", reason, now)
      .Run();
  return db_.Changes() > 0;
}

std::int64_t SqliteStore::CountCreditedReferrals(Id referrer_id) {
  Guard g(db_.lock());
  auto& st =
      db_.Prepare("SELECT COUNT(*) FROM referrals WHERE referrer_id = ? AND status = 'credited'");
  st.BindAll(referrer_id);
  return One<std::int64_t>(st, [](const Statement& s) { return s.Int(0); }).value_or(0);
}

void SqliteStore::RememberDevice(Id user_id, std::string_view device_key, EpochMs now, int keep) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO user_devices (user_id, device_key, last_seen_at) VALUES (?, ?, ?) "
         "ON CONFLICT (user_id, device_key) DO UPDATE SET last_seen_at = excluded.last_seen_at")
      .BindAll(user_id, device_key, now)
      .Run();
  db_.Prepare(
         "DELETE FROM user_devices WHERE user_id = ?1 AND device_key NOT IN (SELECT device_key "
         "FROM user_devices WHERE user_id = ?1 ORDER BY last_seen_at DESC LIMIT ?2)")
      .BindAll(user_id, keep)
      .Run();
}

bool SqliteStore::DeviceSeenFor(Id user_id, std::string_view device_key) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT 1 FROM user_devices WHERE user_id = ? AND device_key = ?");
  st.BindAll(user_id, device_key);
  return One<int>(st, [](const Statement&) { return 1; }).has_value();
}

}  // namespace aimoviez::sqlite
