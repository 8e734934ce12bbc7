// IdentityRepository on PostgreSQL: one row per (issuer, subject) an account signs in with.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgIdentityRepository : public virtual IdentityRepository {
 public:
  explicit PgIdentityRepository(Database& db) : db_(db) {}

  std::optional<IdentityRecord> FindIdentity(std::string_view issuer,
                                             std::string_view subject) override;
  Result<IdentityRecord> AddIdentity(const IdentityRecord& identity) override;
  void TouchIdentity(Id identity_id, std::string_view email, std::string_view name,
                     std::string_view picture, EpochMs now) override;
  std::vector<IdentityRecord> ListIdentities(Id user_id) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
