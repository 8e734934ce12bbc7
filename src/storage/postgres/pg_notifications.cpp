#include "storage/postgres/pg_notifications.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

constexpr std::string_view kColumns = "id, user_id, type, title, body, link, read_at, created_at";

Notification ReadNotification(const Rows& r, int i) {
  return Notification{r.Int(i, 0),  r.Int(i, 1),  r.Text(i, 2),   r.Text(i, 3),
                      r.Text(i, 4), r.Text(i, 5), r.OptInt(i, 6), r.Int(i, 7)};
}

}  // namespace

std::optional<Notification> PgNotificationRepository::AddNotification(const NotificationDraft& d,
                                                                      EpochMs now, int keep) {
  std::optional<Notification> added;
  db_.Transaction([&] {
    // Nothing when the type is muted or the same event already notified the user.
    added = ReadFirst<Notification>(
        db_.Exec("INSERT INTO notifications (user_id, type, title, body, link, dedupe_key, "
                 "created_at) SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS "
                 "(SELECT 1 FROM notification_mutes WHERE user_id = $1 AND type = $2) "
                 "ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING " +
                     std::string(kColumns),
                 Params(d.user_id, d.type, d.title, d.body, d.link, d.dedupe_key, now)),
        ReadNotification);
    if (!added) return;
    db_.Exec(
        "DELETE FROM notifications WHERE user_id = $1 AND id <= (SELECT id FROM notifications "
        "WHERE user_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
        Params(d.user_id, keep));
  });
  return added;
}

std::vector<Notification> PgNotificationRepository::ListNotifications(Id user_id,
                                                                      std::optional<Id> before,
                                                                      int limit) {
  return ReadAll<Notification>(
      db_.Exec("SELECT " + std::string(kColumns) +
                   " FROM notifications WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2) "
                   "ORDER BY id DESC LIMIT $3",
               Params(user_id, before, limit)),
      ReadNotification);
}

std::int64_t PgNotificationRepository::CountUnread(Id user_id) {
  return db_
      .Exec("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
            Params(user_id))
      .Int(0, 0);
}

int PgNotificationRepository::MarkNotificationsRead(Id user_id, const std::vector<Id>& ids,
                                                    EpochMs now) {
  if (ids.empty()) return 0;
  return db_
      .Exec(
          "UPDATE notifications SET read_at = $1 WHERE id = ANY($2) AND user_id = $3 AND "
          "read_at IS NULL",
          Params(now, ids, user_id))
      .Affected();
}

int PgNotificationRepository::MarkAllNotificationsRead(Id user_id, EpochMs now) {
  return db_
      .Exec("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
            Params(now, user_id))
      .Affected();
}

std::vector<std::string> PgNotificationRepository::MutedNotificationTypes(Id user_id) {
  return ReadAll<std::string>(
      db_.Exec("SELECT type FROM notification_mutes WHERE user_id = $1 ORDER BY type",
               Params(user_id)),
      [](const Rows& r, int i) { return r.Text(i, 0); });
}

void PgNotificationRepository::SetNotificationMuted(Id user_id, std::string_view type, bool muted) {
  if (muted) {
    db_.Exec(
        "INSERT INTO notification_mutes (user_id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        Params(user_id, type));
  } else {
    db_.Exec("DELETE FROM notification_mutes WHERE user_id = $1 AND type = $2",
             Params(user_id, type));
  }
}

}  // namespace aimoviez::pg
