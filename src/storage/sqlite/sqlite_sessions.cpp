// SessionRepository on SQLite: sessions are keyed by the SHA-256 of their token; the public id
// is what the owner sees and revokes.
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {

constexpr std::string_view kSessionColumns =
    "SELECT token_hash, user_id, created_at, last_seen_at, COALESCE(public_id, ''), device "
    "FROM sessions ";

SessionRecord ReadSession(const Statement& s) {
  return SessionRecord{s.Text(0), s.Int(1), s.Int(2), s.Int(3), s.Text(4), s.Text(5)};
}

}  // namespace

void SqliteStore::CreateSession(const SessionRecord& s) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, public_id, device) "
         "VALUES (?,?,?,?,?,?)")
      .BindAll(s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.public_id, s.device)
      .Run();
}

std::optional<SessionRecord> SqliteStore::FindSession(std::string_view token_hash) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(kSessionColumns, "WHERE token_hash = ?"));
  st.BindAll(token_hash);
  return One<SessionRecord>(st, ReadSession);
}

void SqliteStore::TouchSession(std::string_view token_hash, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
      .BindAll(now, token_hash)
      .Run();
}

void SqliteStore::DeleteSession(std::string_view token_hash) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM sessions WHERE token_hash = ?").BindAll(token_hash).Run();
}

int SqliteStore::DeleteSessionsIdleSince(EpochMs cutoff) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM sessions WHERE last_seen_at < ?").BindAll(cutoff).Run();
  return db_.Changes();
}

std::vector<SessionRecord> SqliteStore::ListUserSessions(Id user_id, int limit) {
  Guard g(db_.lock());
  auto& st =
      db_.Prepare(Sql(kSessionColumns, "WHERE user_id = ? ORDER BY last_seen_at DESC LIMIT ?"));
  st.BindAll(user_id, limit);
  return All<SessionRecord>(st, ReadSession);
}

bool SqliteStore::DeleteUserSession(Id user_id, std::string_view public_id) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM sessions WHERE user_id = ? AND public_id = ?")
      .BindAll(user_id, public_id)
      .Run();
  return db_.Changes() > 0;
}

int SqliteStore::DeleteUserSessions(Id user_id, std::string_view keep_token_hash) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
      .BindAll(user_id, keep_token_hash)
      .Run();
  return db_.Changes();
}

void SqliteStore::TrimUserSessions(Id user_id, int keep) {
  Guard g(db_.lock());
  db_.Prepare(
         "DELETE FROM sessions WHERE user_id = ?1 AND token_hash NOT IN (SELECT token_hash FROM "
         "sessions WHERE user_id = ?1 ORDER BY last_seen_at DESC LIMIT ?2)")
      .BindAll(user_id, keep)
      .Run();
}

}  // namespace aimoviez::sqlite
