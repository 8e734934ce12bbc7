#include "storage/postgres/pg_broadcasts.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

constexpr std::string_view kBroadcastColumns =
    "SELECT id, type, title, body, link, dedupe_key, created_by, created_at, next_user_id, "
    "delivered, finished_at FROM notification_broadcasts ";

Broadcast ReadBroadcast(const Rows& r, int i) {
  Broadcast b;
  b.id = r.Int(i, 0);
  b.type = r.Text(i, 1);
  b.title = r.Text(i, 2);
  b.body = r.Text(i, 3);
  b.link = r.Text(i, 4);
  b.dedupe_key = r.Text(i, 5);
  b.created_by = r.OptInt(i, 6);
  b.created_at = r.Int(i, 7);
  b.next_user_id = r.Int(i, 8);
  b.delivered = r.Int(i, 9);
  b.finished_at = r.OptInt(i, 10);
  return b;
}

}  // namespace

std::optional<Id> PgBroadcastRepository::AppendBroadcast(const Broadcast& b) {
  return ReadFirst<Id>(
      db_.Exec("INSERT INTO notification_broadcasts (type, title, body, link, dedupe_key, "
               "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
               "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
               Params(b.type, b.title, b.body, b.link, b.dedupe_key, b.created_by, b.created_at)),
      [](const Rows& r, int i) { return r.Int(i, 0); });
}

// The row stays locked until the caller's transaction ends: another node's pass skips it (and
// takes the next broadcast, if any), so each batch of accounts is told once.
std::optional<Broadcast> PgBroadcastRepository::NextPendingBroadcast() {
  return ReadFirst<Broadcast>(
      db_.Exec(std::string(kBroadcastColumns) +
               "WHERE finished_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"),
      ReadBroadcast);
}

std::vector<Id> PgBroadcastRepository::UserIdsFrom(Id from, EpochMs created_by, int limit) {
  return ReadAll<Id>(
      db_.Exec("SELECT id FROM users WHERE id >= $1 AND created_at <= $2 AND NOT is_banned "
               "ORDER BY id LIMIT $3",
               Params(from, created_by, limit)),
      [](const Rows& r, int i) { return r.Int(i, 0); });
}

void PgBroadcastRepository::AdvanceBroadcast(Id id, Id next_user_id, std::int64_t delivered,
                                             std::optional<EpochMs> finished_at) {
  db_.Exec(
      "UPDATE notification_broadcasts SET next_user_id = $1, delivered = $2, finished_at = $3 "
      "WHERE id = $4",
      Params(next_user_id, delivered, finished_at, id));
}

std::vector<Broadcast> PgBroadcastRepository::RecentBroadcasts(std::string_view type, int limit) {
  return ReadAll<Broadcast>(
      db_.Exec(std::string(kBroadcastColumns) + "WHERE type = $1 ORDER BY id DESC LIMIT $2",
               Params(type, limit)),
      ReadBroadcast);
}

}  // namespace aimoviez::pg
