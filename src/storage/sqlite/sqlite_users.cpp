// Users on SQLite: accounts by id, email and username, roles, bans and the admin search.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

std::optional<User> SqliteStore::FindUser(Id id) {
  Guard g(db_.lock());
  return One<User>(db_.Prepare(Sql(kUserColumns, "WHERE id = ?")).BindAll(id), ReadUser);
}

std::optional<User> SqliteStore::FindUserByEmail(std::string_view email) {
  Guard g(db_.lock());
  return One<User>(db_.Prepare(Sql(kUserColumns, "WHERE email = ?")).BindAll(email), ReadUser);
}

std::optional<User> SqliteStore::FindUserByUsername(std::string_view username) {
  Guard g(db_.lock());
  return One<User>(db_.Prepare(Sql(kUserColumns, "WHERE username = ?")).BindAll(username),
                   ReadUser);
}

Result<User> SqliteStore::CreateUser(std::string_view email, std::string_view username,
                                     EpochMs now) {
  Guard g(db_.lock());
  try {
    auto& st = db_.Prepare("INSERT INTO users (email, username, created_at) VALUES (?, ?, ?)");
    // An account whose provider vouches for no email has none (NULL: not unique-checked).
    if (email.empty()) {
      st.BindNull(1);
    } else {
      st.Bind(1, email);
    }
    if (username.empty()) {
      st.BindNull(2);
    } else {
      st.Bind(2, username);
    }
    st.Bind(3, now).Run();
  } catch (const SqliteError& e) {
    if (!e.IsConstraint()) throw;
    return Error::Conflict("USERNAME_TAKEN", "That username is already taken");
  }
  return *FindUser(db_.LastInsertId());
}

Result<User> SqliteStore::RenameUser(Id id, std::string_view username) {
  Guard g(db_.lock());
  try {
    db_.Prepare("UPDATE users SET username = ? WHERE id = ?").BindAll(username, id).Run();
  } catch (const SqliteError& e) {
    if (!e.IsConstraint()) throw;
    return Error::Conflict("USERNAME_TAKEN", "That username is already taken");
  }
  auto user = FindUser(id);
  if (!user) return Error::NotFound("User");
  return *user;
}

void SqliteStore::SetUserAdmin(Id id, bool is_admin) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE users SET is_admin = ? WHERE id = ?").BindAll(is_admin, id).Run();
}

void SqliteStore::SetUserAvatar(Id id, std::string_view avatar_url) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE users SET avatar_url = ? WHERE id = ?").BindAll(avatar_url, id).Run();
}

void SqliteStore::SetUserBanned(Id id, bool is_banned) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE users SET is_banned = ? WHERE id = ?").BindAll(is_banned, id).Run();
  if (is_banned) db_.Prepare("DELETE FROM sessions WHERE user_id = ?").BindAll(id).Run();
}

std::vector<User> SqliteStore::SearchUsers(std::string_view query, int limit, int offset) {
  Guard g(db_.lock());
  // LIKE wildcards in the query are escaped so a search for "a_b" means exactly that.
  std::string pattern = "%";
  for (char c : query) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  auto& st = db_.Prepare(Sql(kUserColumns,
                             "WHERE username LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\' "
                             "ORDER BY id LIMIT ?2 OFFSET ?3"));
  st.BindAll(pattern, limit, offset);
  return All<User>(st, ReadUser);
}

std::int64_t SqliteStore::CountUsers() {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT COUNT(*) FROM users");
  st.Step();
  const auto n = st.Int(0);
  st.Reset();
  return n;
}

std::int64_t SqliteStore::CountCreators() {
  Guard g(db_.lock());
  auto& st =
      db_.Prepare("SELECT COUNT(DISTINCT user_id) FROM tournament_clips WHERE user_id IS NOT NULL");
  st.Step();
  const auto n = st.Int(0);
  st.Reset();
  return n;
}

// Sessions: sqlite_sessions.cpp. Identities: sqlite_identities.cpp.

}  // namespace aimoviez::sqlite
