#include "domain/notification_service.h"

namespace aimoviez {

std::optional<Notification> NotificationService::Add(const NotificationDraft& draft) {
  return store_.AddNotification(draft, clock_.NowMs(), keep_);
}

NotificationPage NotificationService::List(Id user_id, std::optional<Id> before, int limit) {
  NotificationPage page;
  // One more than asked, to know whether an older page exists.
  page.items = store_.ListNotifications(user_id, before, limit + 1);
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<std::size_t>(limit));
    page.next_before = page.items.back().id;
  }
  page.unread = store_.CountUnread(user_id);
  return page;
}

std::int64_t NotificationService::MarkRead(Id user_id, const std::vector<Id>& ids) {
  store_.MarkNotificationsRead(user_id, ids, clock_.NowMs());
  return store_.CountUnread(user_id);
}

std::int64_t NotificationService::MarkAllRead(Id user_id) {
  store_.MarkAllNotificationsRead(user_id, clock_.NowMs());
  return store_.CountUnread(user_id);
}

}  // namespace aimoviez
