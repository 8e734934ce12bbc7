#include "storage/postgres/pg_job_locks.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

std::optional<std::int64_t> PgJobLockRepository::TryAcquireLock(std::string_view name,
                                                                std::string_view holder,
                                                                EpochMs now, EpochMs ttl_ms) {
  return ReadFirst<std::int64_t>(
      db_.Exec("INSERT INTO job_locks (name, holder, fencing_token, expires_at) "
               "VALUES ($1, $2, 1, $3) ON CONFLICT (name) DO UPDATE SET "
               "holder = excluded.holder, fencing_token = job_locks.fencing_token + 1, "
               "expires_at = excluded.expires_at "
               "WHERE job_locks.expires_at <= $4 OR job_locks.holder = '' "
               "RETURNING fencing_token",
               Params(name, holder, now + ttl_ms, now)),
      [](const Rows& r, int i) { return r.Int(i, 0); });
}

bool PgJobLockRepository::IsLockTokenCurrent(std::string_view name, std::int64_t token,
                                             EpochMs now) {
  return !db_.Exec(
                 "SELECT 1 FROM job_locks WHERE name = $1 AND fencing_token = $2 AND "
                 "expires_at > $3 FOR SHARE",
                 Params(name, token, now))
              .empty();
}

bool PgJobLockRepository::RenewLock(std::string_view name, std::int64_t token, EpochMs now,
                                    EpochMs ttl_ms) {
  return db_.Exec(
                "UPDATE job_locks SET expires_at = $3 WHERE name = $1 AND fencing_token = $2 "
                "AND expires_at > $4",
                Params(name, token, now + ttl_ms, now))
             .Affected() > 0;
}

void PgJobLockRepository::ReleaseLock(std::string_view name, std::int64_t token) {
  db_.Exec(
      "UPDATE job_locks SET holder = '', expires_at = 0 WHERE name = $1 AND fencing_token = $2",
      Params(name, token));
}

void PgJobLockRepository::ExpireAllLocks() {
  db_.Exec("UPDATE job_locks SET holder = '', expires_at = 0");
}

}  // namespace aimoviez::pg
