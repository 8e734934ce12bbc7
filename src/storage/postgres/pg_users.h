// UserRepository on PostgreSQL: accounts by id, email and username, roles, bans, admin search.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgUserRepository : public virtual UserRepository {
 public:
  explicit PgUserRepository(Database& db) : db_(db) {}

  std::optional<User> FindUser(Id id) override;
  std::optional<User> FindUserByEmail(std::string_view email) override;
  std::optional<User> FindUserByUsername(std::string_view username) override;
  Result<User> CreateUser(std::string_view email, std::string_view username, EpochMs now) override;
  Result<User> RenameUser(Id id, std::string_view username) override;
  void SetUserAdmin(Id id, bool is_admin) override;
  void SetUserAvatar(Id id, std::string_view avatar_url) override;
  void SetUserBanned(Id id, bool is_banned) override;
  std::vector<User> SearchUsers(std::string_view query, int limit, int offset) override;
  std::int64_t CountUsers() override;
  std::int64_t CountCreators() override;

 private:
  std::optional<User> FindWhere(std::string_view condition, const Params& params);

  Database& db_;
};

}  // namespace aimoviez::pg
