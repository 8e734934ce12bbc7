// Notifications to everyone (spec section 12): `round_started` when a slot opens for votes and
// `announcement` from an admin. The cause writes one broadcast row in its own transaction; the
// job fans it out to accounts in id order, a batch per transaction, so a large audience never
// holds the database for long and a crash resumes where the last batch committed. Each person's
// notification keeps the broadcast's dedupe key, so a replayed batch stores nothing twice, and a
// muted type stores nothing at all.
#pragma once

#include "common/time.h"
#include "domain/audit_trail.h"
#include "domain/errors.h"
#include "domain/notification_service.h"
#include "domain/ports.h"

namespace aimoviez {

// The broadcast of a slot that just opened for votes (written by SeasonService).
Broadcast RoundStartedBroadcast(const Season& season, const Slot& slot, EpochMs now);

struct AnnouncementDraft {
  std::string title;
  std::string body;
  std::string link;  // a path in the app ("/story"), or empty
};

class BroadcastService {
 public:
  static constexpr std::size_t kMaxTitle = 80;
  static constexpr std::size_t kMaxBody = 500;
  static constexpr std::size_t kMaxLink = 200;

  BroadcastService(Store& store, const Clock& clock, NotificationService& notifications)
      : store_(store), clock_(clock), notifications_(notifications), audit_(store, clock) {}

  // An admin's announcement to every account: VALIDATION_ERROR for an empty or long title or
  // body, or a link that is not a path of this site. Audit-logged.
  Result<Broadcast> Announce(const AuditActor& admin, AnnouncementDraft draft);
  std::vector<Broadcast> Recent(int limit) {
    return store_.RecentBroadcasts("announcement", limit);
  }
  // Delivers the oldest pending broadcast to up to `batch` more accounts; how many were handled.
  int DeliverPending(int batch);

 private:
  Store& store_;
  const Clock& clock_;
  NotificationService& notifications_;
  AuditTrail audit_;
};

}  // namespace aimoviez
