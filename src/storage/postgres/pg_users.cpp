#include "storage/postgres/pg_users.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

constexpr std::string_view kUserColumns =
    "SELECT id, COALESCE(email, ''), COALESCE(username, ''), avatar_url, is_admin, is_banned, "
    "created_at FROM users ";

User ReadUser(const Rows& r, int i) {
  User u;
  u.id = r.Int(i, 0);
  u.email = r.Text(i, 1);
  u.username = r.Text(i, 2);
  u.avatar_url = r.Text(i, 3);
  u.is_admin = r.Bool(i, 4);
  u.is_banned = r.Bool(i, 5);
  u.created_at = r.Int(i, 6);
  return u;
}

// An empty email or username is stored as NULL: no value, so not checked for uniqueness.
std::optional<std::string_view> NullIfEmpty(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

std::optional<User> PgUserRepository::FindWhere(std::string_view condition, const Params& params) {
  return ReadFirst<User>(db_.Exec(std::string(kUserColumns) + std::string(condition), params),
                         ReadUser);
}

std::optional<User> PgUserRepository::FindUser(Id id) {
  return FindWhere("WHERE id = $1", Params(id));
}

std::optional<User> PgUserRepository::FindUserByEmail(std::string_view email) {
  return FindWhere("WHERE lower(email) = lower($1)", Params(email));
}

std::optional<User> PgUserRepository::FindUserByUsername(std::string_view username) {
  return FindWhere("WHERE lower(username) = lower($1)", Params(username));
}

Result<User> PgUserRepository::CreateUser(std::string_view email, std::string_view username,
                                          EpochMs now) {
  // ON CONFLICT leaves the surrounding transaction usable, where a raised error would abort it.
  const auto rows = db_.Exec(
      "INSERT INTO users (email, username, created_at) VALUES ($1, $2, $3) "
      "ON CONFLICT DO NOTHING RETURNING id",
      Params(NullIfEmpty(email), NullIfEmpty(username), now));
  if (rows.empty()) return Error::Conflict("USERNAME_TAKEN", "That username is already taken");
  return *FindUser(rows.Int(0, 0));
}

Result<User> PgUserRepository::RenameUser(Id id, std::string_view username) {
  try {
    db_.ExecMayFail("UPDATE users SET username = $1 WHERE id = $2", Params(username, id));
  } catch (const PgError& e) {
    if (!e.IsUniqueViolation()) throw;
    return Error::Conflict("USERNAME_TAKEN", "That username is already taken");
  }
  auto user = FindUser(id);
  if (!user) return Error::NotFound("User");
  return *user;
}

void PgUserRepository::SetUserAdmin(Id id, bool is_admin) {
  db_.Exec("UPDATE users SET is_admin = $1 WHERE id = $2", Params(is_admin, id));
}

void PgUserRepository::SetUserAvatar(Id id, std::string_view avatar_url) {
  db_.Exec("UPDATE users SET avatar_url = $1 WHERE id = $2", Params(avatar_url, id));
}

void PgUserRepository::SetUserBanned(Id id, bool is_banned) {
  // A ban ends the user's sessions in the same transaction.
  db_.Transaction([&] {
    db_.Exec("UPDATE users SET is_banned = $1 WHERE id = $2", Params(is_banned, id));
    if (is_banned) db_.Exec("DELETE FROM sessions WHERE user_id = $1", Params(id));
  });
}

std::vector<User> PgUserRepository::SearchUsers(std::string_view query, int limit, int offset) {
  // LIKE wildcards in the query are escaped so a search for "a_b" means exactly that.
  std::string pattern = "%";
  for (char c : query) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  const auto rows = db_.Exec(std::string(kUserColumns) +
                                 "WHERE username ILIKE $1 ESCAPE '\\' OR email ILIKE $1 ESCAPE "
                                 "'\\' ORDER BY id LIMIT $2 OFFSET $3",
                             Params(pattern, limit, offset));
  return ReadAll<User>(rows, ReadUser);
}

std::int64_t PgUserRepository::CountUsers() {
  return db_.Exec("SELECT COUNT(*) FROM users").Int(0, 0);
}

std::int64_t PgUserRepository::CountCreators() {
  return db_.Exec("SELECT COUNT(DISTINCT user_id) FROM tournament_clips WHERE user_id IS NOT NULL")
      .Int(0, 0);
}

}  // namespace aimoviez::pg
