// In-app notifications on SQLite (migration 13): newest first by id, unique per user and dedupe
// key, trimmed to the newest `keep` per user on every insert.
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {

constexpr std::string_view kColumns =
    "SELECT id, user_id, type, title, body, link, read_at, created_at FROM notifications ";

Notification ReadNotification(const Statement& s) {
  return Notification{s.Int(0),  s.Int(1),  s.Text(2),   s.Text(3),
                      s.Text(4), s.Text(5), s.OptInt(6), s.Int(7)};
}

}  // namespace

std::optional<Notification> SqliteStore::AddNotification(const NotificationDraft& d, EpochMs now,
                                                         int keep) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT OR IGNORE INTO notifications (user_id, type, title, body, link, dedupe_key, "
         "created_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS "
         "(SELECT 1 FROM notification_mutes WHERE user_id = ?1 AND type = ?2)")
      .BindAll(d.user_id, d.type, d.title, d.body, d.link, d.dedupe_key, now)
      .Run();
  if (db_.Changes() == 0) return std::nullopt;
  const Id id = db_.LastInsertId();
  db_.Prepare(
         "DELETE FROM notifications WHERE user_id = ?1 AND id <= (SELECT id FROM notifications "
         "WHERE user_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)")
      .BindAll(d.user_id, keep)
      .Run();
  auto& st = db_.Prepare(Sql(kColumns, "WHERE id = ?"));
  st.BindAll(id);
  return One<Notification>(st, ReadNotification);
}

std::vector<Notification> SqliteStore::ListNotifications(Id user_id, std::optional<Id> before,
                                                         int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      Sql(kColumns, "WHERE user_id = ?1 AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3"));
  st.BindAll(user_id, before, limit);
  return All<Notification>(st, ReadNotification);
}

std::int64_t SqliteStore::CountUnread(Id user_id) {
  Guard g(db_.lock());
  auto& st =
      db_.Prepare("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL");
  st.BindAll(user_id);
  return One<std::int64_t>(st, [](const Statement& s) { return s.Int(0); }).value_or(0);
}

int SqliteStore::MarkNotificationsRead(Id user_id, const std::vector<Id>& ids, EpochMs now) {
  Guard g(db_.lock());
  int changed = 0;
  auto& st = db_.Prepare(
      "UPDATE notifications SET read_at = ?1 WHERE id = ?2 AND user_id = ?3 AND read_at IS NULL");
  for (Id id : ids) {
    st.Reset();
    st.BindAll(now, id, user_id).Run();
    changed += db_.Changes();
  }
  return changed;
}

int SqliteStore::MarkAllNotificationsRead(Id user_id, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL")
      .BindAll(now, user_id)
      .Run();
  return db_.Changes();
}

std::vector<std::string> SqliteStore::MutedNotificationTypes(Id user_id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT type FROM notification_mutes WHERE user_id = ? ORDER BY type");
  st.BindAll(user_id);
  return All<std::string>(st, [](const Statement& s) { return s.Text(0); });
}

void SqliteStore::SetNotificationMuted(Id user_id, std::string_view type, bool muted) {
  Guard g(db_.lock());
  if (muted) {
    db_.Prepare("INSERT OR IGNORE INTO notification_mutes (user_id, type) VALUES (?, ?)")
        .BindAll(user_id, type)
        .Run();
  } else {
    db_.Prepare("DELETE FROM notification_mutes WHERE user_id = ? AND type = ?")
        .BindAll(user_id, type)
        .Run();
  }
}

}  // namespace aimoviez::sqlite
