// Storage port for in-app notifications (spec section 12): stored per user, newest first,
// deduplicated by a key so a replayed event never notifies twice, and trimmed to a bound.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"

namespace aimoviez {

struct Notification {
  Id id = 0;
  Id user_id = 0;
  std::string type;  // clip_approved, clip_rejected, clip_won, achievement, daily_goal, ...
  std::string title;
  std::string body;
  std::string link;  // an in-app path, e.g. /profile?tab=clips
  std::optional<EpochMs> read_at;
  EpochMs created_at = 0;
};

struct NotificationDraft {
  Id user_id = 0;
  std::string type;
  std::string title;
  std::string body;
  std::string link;
  std::string dedupe_key;  // unique per user: the event that caused it
};

class NotificationRepository {
 public:
  virtual ~NotificationRepository() = default;
  // The stored notification, or nullopt when one with the same dedupe key exists or the user
  // turned the type off. Keeps at most `keep` notifications for the user, dropping the oldest.
  virtual std::optional<Notification> AddNotification(const NotificationDraft& draft, EpochMs now,
                                                      int keep) = 0;
  // Newest first, ids below `before` when given.
  virtual std::vector<Notification> ListNotifications(Id user_id, std::optional<Id> before,
                                                      int limit) = 0;
  virtual std::int64_t CountUnread(Id user_id) = 0;
  virtual int MarkNotificationsRead(Id user_id, const std::vector<Id>& ids, EpochMs now) = 0;
  virtual int MarkAllNotificationsRead(Id user_id, EpochMs now) = 0;
  virtual std::vector<std::string> MutedNotificationTypes(Id user_id) = 0;
  virtual void SetNotificationMuted(Id user_id, std::string_view type, bool muted) = 0;
};

}  // namespace aimoviez
