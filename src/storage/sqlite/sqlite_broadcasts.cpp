// Broadcast notifications on SQLite (migration 18).
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {

constexpr std::string_view kBroadcastColumns =
    "SELECT id, type, title, body, link, dedupe_key, created_by, created_at, next_user_id, "
    "delivered, finished_at ";

Broadcast ReadBroadcast(const Statement& s) {
  Broadcast b;
  b.id = s.Int(0);
  b.type = s.Text(1);
  b.title = s.Text(2);
  b.body = s.Text(3);
  b.link = s.Text(4);
  b.dedupe_key = s.Text(5);
  b.created_by = s.OptInt(6);
  b.created_at = s.Int(7);
  b.next_user_id = s.Int(8);
  b.delivered = s.Int(9);
  b.finished_at = s.OptInt(10);
  return b;
}

}  // namespace

std::optional<Id> SqliteStore::AppendBroadcast(const Broadcast& b) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT OR IGNORE INTO notification_broadcasts (type, title, body, link, dedupe_key, "
         "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .BindAll(b.type, b.title, b.body, b.link, b.dedupe_key, b.created_by, b.created_at)
      .Run();
  if (db_.Changes() == 0) return std::nullopt;
  return db_.LastInsertId();
}

std::optional<Broadcast> SqliteStore::NextPendingBroadcast() {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(kBroadcastColumns,
                             "FROM notification_broadcasts WHERE finished_at IS NULL "
                             "ORDER BY id LIMIT 1"));
  return One<Broadcast>(st, ReadBroadcast);
}

std::vector<Id> SqliteStore::UserIdsFrom(Id from, EpochMs created_by, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT id FROM users WHERE id >= ? AND created_at <= ? AND is_banned = 0 ORDER BY id "
      "LIMIT ?");
  st.BindAll(from, created_by, limit);
  return All<Id>(st, [](const Statement& s) { return s.Int(0); });
}

void SqliteStore::AdvanceBroadcast(Id id, Id next_user_id, std::int64_t delivered,
                                   std::optional<EpochMs> finished_at) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE notification_broadcasts SET next_user_id = ?, delivered = ?, finished_at = ? "
         "WHERE id = ?")
      .BindAll(next_user_id, delivered, finished_at, id)
      .Run();
}

std::vector<Broadcast> SqliteStore::RecentBroadcasts(std::string_view type, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(
      kBroadcastColumns, "FROM notification_broadcasts WHERE type = ? ORDER BY id DESC LIMIT ?"));
  st.BindAll(type, limit);
  return All<Broadcast>(st, ReadBroadcast);
}

}  // namespace aimoviez::sqlite
