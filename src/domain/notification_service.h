// In-app notifications (spec section 12): stored per user, listed newest first with a cursor,
// marked read one by one or all at once, and told live on the user's "me" channel.
#pragma once

#include "common/time.h"
#include "domain/errors.h"
#include "domain/live_events.h"
#include "domain/ports.h"
#include "domain/push_service.h"

namespace aimoviez {

// Every type, in the order Settings lists them.
inline constexpr std::string_view kNotificationTypes[] = {
    "clip_approved", "clip_rejected", "clip_won", "round_started", "achievement",    "daily_goal",
    "new_follower",  "comment",       "reply",    "announcement",  "report_resolved"};

struct NotificationPage {
  std::vector<Notification> items;
  std::int64_t unread = 0;
  std::optional<Id> next_before;  // pass as `before` for the next, older page
};

class NotificationService {
 public:
  // `keep`: the newest notifications kept per user; older ones are dropped as new ones arrive.
  NotificationService(Store& store, const Clock& clock, int keep = 500)
      : store_(store), clock_(clock), keep_(keep) {}
  void SetLiveEvents(LiveEvents& live) { live_ = &live; }
  // Every stored notification is also queued for the user's browsers (Web Push).
  void SetPush(PushService& push) { push_ = &push; }

  // Stores a notification inside the caller's transaction; nothing when its dedupe key was used.
  // Announce what it returns once the transaction has committed.
  std::optional<Notification> Add(const NotificationDraft& draft);
  void Announce(const Notification& n) { live_->NotificationCreated(n); }

  NotificationPage List(Id user_id, std::optional<Id> before, int limit);
  // Marks the user's notifications read (ids of other users are ignored); the unread count after.
  std::int64_t MarkRead(Id user_id, const std::vector<Id>& ids);
  std::int64_t MarkAllRead(Id user_id);

  // Which types the user receives (all of kNotificationTypes, true unless turned off).
  std::vector<std::pair<std::string, bool>> Preferences(Id user_id);
  // Turns types on or off; UNKNOWN_NOTIFICATION_TYPE for a type not in kNotificationTypes.
  Status SetPreferences(Id user_id, const std::vector<std::pair<std::string, bool>>& changes);

 private:
  Store& store_;
  const Clock& clock_;
  int keep_;
  NoLiveEvents no_live_;
  LiveEvents* live_ = &no_live_;
  PushService* push_ = nullptr;
};

}  // namespace aimoviez
