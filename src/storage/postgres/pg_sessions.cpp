#include "storage/postgres/pg_sessions.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

constexpr std::string_view kSessionColumns =
    "SELECT token_hash, user_id, created_at, last_seen_at, public_id, device FROM sessions ";

SessionRecord ReadSession(const Rows& r, int i) {
  return SessionRecord{r.Text(i, 0), r.Int(i, 1),  r.Int(i, 2),
                       r.Int(i, 3),  r.Text(i, 4), r.Text(i, 5)};
}

}  // namespace

void PgSessionRepository::CreateSession(const SessionRecord& s) {
  db_.Exec(
      "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, public_id, device) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      Params(s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.public_id, s.device));
}

std::optional<SessionRecord> PgSessionRepository::FindSession(std::string_view token_hash) {
  return ReadFirst<SessionRecord>(
      db_.Exec(std::string(kSessionColumns) + "WHERE token_hash = $1", Params(token_hash)),
      ReadSession);
}

void PgSessionRepository::TouchSession(std::string_view token_hash, EpochMs now) {
  db_.Exec("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", Params(now, token_hash));
}

void PgSessionRepository::DeleteSession(std::string_view token_hash) {
  db_.Exec("DELETE FROM sessions WHERE token_hash = $1", Params(token_hash));
}

int PgSessionRepository::DeleteSessionsIdleSince(EpochMs cutoff) {
  return db_.Exec("DELETE FROM sessions WHERE last_seen_at < $1", Params(cutoff)).Affected();
}

std::vector<SessionRecord> PgSessionRepository::ListUserSessions(Id user_id, int limit) {
  const auto rows =
      db_.Exec(std::string(kSessionColumns) +
                   "WHERE user_id = $1 ORDER BY last_seen_at DESC, token_hash LIMIT $2",
               Params(user_id, limit));
  return ReadAll<SessionRecord>(rows, ReadSession);
}

bool PgSessionRepository::DeleteUserSession(Id user_id, std::string_view public_id) {
  return db_.Exec("DELETE FROM sessions WHERE user_id = $1 AND public_id = $2",
                  Params(user_id, public_id))
             .Affected() > 0;
}

int PgSessionRepository::DeleteUserSessions(Id user_id, std::string_view keep_token_hash) {
  return db_
      .Exec("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
            Params(user_id, keep_token_hash))
      .Affected();
}

void PgSessionRepository::TrimUserSessions(Id user_id, int keep) {
  db_.Exec(
      "DELETE FROM sessions WHERE user_id = $1 AND token_hash NOT IN (SELECT token_hash FROM "
      "sessions WHERE user_id = $1 ORDER BY last_seen_at DESC, token_hash LIMIT $2)",
      Params(user_id, keep));
}

}  // namespace aimoviez::pg
