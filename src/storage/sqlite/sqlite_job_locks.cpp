// Job locks with fencing tokens on SQLite: one holder per job name until it expires.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

std::optional<std::int64_t> SqliteStore::TryAcquireLock(std::string_view name,
                                                        std::string_view holder, EpochMs now,
                                                        EpochMs ttl_ms) {
  Guard g(db_.lock());
  std::optional<std::int64_t> token;
  Transaction([&] {
    db_.Prepare("INSERT OR IGNORE INTO job_locks (name) VALUES (?)").BindAll(name).Run();
    db_.Prepare(
           "UPDATE job_locks SET holder = ?2, fencing_token = fencing_token + 1, "
           "expires_at = ?3 WHERE name = ?1 AND (expires_at <= ?4 OR holder = '')")
        .BindAll(name, holder, now + ttl_ms, now)
        .Run();
    if (db_.Changes() == 0) return;
    auto& st = db_.Prepare("SELECT fencing_token FROM job_locks WHERE name = ?");
    st.BindAll(name);
    token = One<std::int64_t>(st, [](const Statement& s) { return s.Int(0); });
  });
  return token;
}

bool SqliteStore::IsLockTokenCurrent(std::string_view name, std::int64_t token, EpochMs now) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT 1 FROM job_locks WHERE name = ? AND fencing_token = ? AND expires_at > ?");
  st.BindAll(name, token, now);
  const bool current = st.Step();
  st.Reset();
  return current;
}

bool SqliteStore::RenewLock(std::string_view name, std::int64_t token, EpochMs now,
                            EpochMs ttl_ms) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE job_locks SET expires_at = ?3 WHERE name = ?1 AND fencing_token = ?2 AND "
         "expires_at > ?4")
      .BindAll(name, token, now + ttl_ms, now)
      .Run();
  return db_.Changes() > 0;
}

void SqliteStore::ReleaseLock(std::string_view name, std::int64_t token) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE job_locks SET holder = '', expires_at = 0 WHERE name = ? AND fencing_token = ?")
      .BindAll(name, token)
      .Run();
}

void SqliteStore::ExpireAllLocks() {
  Guard g(db_.lock());
  db_.Prepare("UPDATE job_locks SET holder = '', expires_at = 0").Run();
}

}  // namespace aimoviez::sqlite
