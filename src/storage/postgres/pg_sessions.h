// SessionRepository on PostgreSQL: sessions keyed by the SHA-256 of their token; the public id
// is what the owner sees and revokes.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgSessionRepository : public virtual SessionRepository {
 public:
  explicit PgSessionRepository(Database& db) : db_(db) {}

  void CreateSession(const SessionRecord& session) override;
  std::optional<SessionRecord> FindSession(std::string_view token_hash) override;
  void TouchSession(std::string_view token_hash, EpochMs now) override;
  void DeleteSession(std::string_view token_hash) override;
  int DeleteSessionsIdleSince(EpochMs cutoff) override;
  std::vector<SessionRecord> ListUserSessions(Id user_id, int limit) override;
  bool DeleteUserSession(Id user_id, std::string_view public_id) override;
  int DeleteUserSessions(Id user_id, std::string_view keep_token_hash) override;
  void TrimUserSessions(Id user_id, int keep) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
