// JobLockRepository on PostgreSQL: one holder per job name until it expires, with fencing
// tokens.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

// The lock row is taken with one upsert, so nodes racing for an expired lock get one winner;
// the token check locks the row FOR SHARE, so a newer holder cannot take it over until the
// guarded transaction has committed.
class PgJobLockRepository : public virtual JobLockRepository {
 public:
  explicit PgJobLockRepository(Database& db) : db_(db) {}
  std::optional<std::int64_t> TryAcquireLock(std::string_view name, std::string_view holder,
                                             EpochMs now, EpochMs ttl_ms) override;
  bool IsLockTokenCurrent(std::string_view name, std::int64_t token, EpochMs now) override;
  bool RenewLock(std::string_view name, std::int64_t token, EpochMs now, EpochMs ttl_ms) override;
  void ReleaseLock(std::string_view name, std::int64_t token) override;
  void ExpireAllLocks() override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
