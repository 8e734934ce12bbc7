// NotificationRepository on PostgreSQL: newest first by id, unique per user and dedupe key,
// trimmed to the newest `keep` per user on every insert.
#pragma once

#include "domain/notification_repository.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgNotificationRepository : public virtual NotificationRepository {
 public:
  explicit PgNotificationRepository(Database& db) : db_(db) {}

  std::optional<Notification> AddNotification(const NotificationDraft& draft, EpochMs now,
                                              int keep) override;
  std::vector<Notification> ListNotifications(Id user_id, std::optional<Id> before,
                                              int limit) override;
  std::int64_t CountUnread(Id user_id) override;
  int MarkNotificationsRead(Id user_id, const std::vector<Id>& ids, EpochMs now) override;
  int MarkAllNotificationsRead(Id user_id, EpochMs now) override;
  std::vector<std::string> MutedNotificationTypes(Id user_id) override;
  void SetNotificationMuted(Id user_id, std::string_view type, bool muted) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
