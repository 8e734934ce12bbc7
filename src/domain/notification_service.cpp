#include "domain/notification_service.h"

#include <algorithm>

#include "domain/transaction.h"

namespace aimoviez {

std::optional<Notification> NotificationService::Add(const NotificationDraft& draft) {
  auto stored = store_.AddNotification(draft, clock_.NowMs(), keep_);
  if (stored && push_) push_->Enqueue(*stored);
  return stored;
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

std::vector<std::pair<std::string, bool>> NotificationService::Preferences(Id user_id) {
  const auto muted = store_.MutedNotificationTypes(user_id);
  std::vector<std::pair<std::string, bool>> out;
  for (auto type : kNotificationTypes) {
    out.emplace_back(type, std::find(muted.begin(), muted.end(), type) == muted.end());
  }
  return out;
}

Status NotificationService::SetPreferences(
    Id user_id, const std::vector<std::pair<std::string, bool>>& changes) {
  for (const auto& [type, enabled] : changes) {
    if (std::find(std::begin(kNotificationTypes), std::end(kNotificationTypes), type) ==
        std::end(kNotificationTypes)) {
      return Error::InvalidInput("Unknown notification type: " + type.substr(0, 40),
                                 "UNKNOWN_NOTIFICATION_TYPE")
          .With("field", boost::json::string(type.substr(0, 40)));
    }
  }
  store_.Transaction([&] {
    for (const auto& [type, enabled] : changes) {
      store_.SetNotificationMuted(user_id, type, !enabled);
    }
  });
  return Ok{};
}

}  // namespace aimoviez
