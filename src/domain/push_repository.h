// Storage port for Web Push: the browsers' subscriptions and a durable queue of deliveries, so a
// notification is pushed after a restart too and a failing push service is retried with backoff.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"

namespace aimoviez {

struct PushSubscription {
  Id id = 0;
  Id user_id = 0;
  std::string endpoint;
  std::string p256dh;  // base64url of the 65-byte point
  std::string auth;    // base64url of the 16-byte secret
  EpochMs created_at = 0;
};

struct PushDelivery {
  Id id = 0;
  PushSubscription subscription;
  std::string payload;  // JSON, encrypted at send time
  std::string urgency;  // RFC 8030: very-low, low, normal, high
  int attempts = 0;
  EpochMs created_at = 0;
};

class PushRepository {
 public:
  virtual ~PushRepository() = default;
  // Stores (or moves to this user) the subscription of an endpoint; keeps the user's newest
  // `keep_per_user` subscriptions.
  virtual PushSubscription SavePushSubscription(const PushSubscription& s, int keep_per_user) = 0;
  // The user's own subscription of the endpoint; false when there was none.
  virtual bool DeletePushSubscription(Id user_id, std::string_view endpoint) = 0;
  virtual void DeletePushSubscriptionById(Id id) = 0;
  virtual std::vector<PushSubscription> ListPushSubscriptions(Id user_id) = 0;
  // One delivery per subscription of the user, inside the caller's transaction; each
  // subscription keeps at most `keep_per_subscription` pending deliveries (oldest dropped).
  virtual void EnqueuePush(Id user_id, std::string_view payload, std::string_view urgency,
                           EpochMs now, int keep_per_subscription) = 0;
  virtual std::vector<PushDelivery> DuePushDeliveries(EpochMs now, int limit) = 0;
  // Takes up to `limit` due deliveries for this sender: each is due again only `lease_ms` later,
  // so another node's sender skips it while this one sends, and retries it if this one dies.
  virtual std::vector<PushDelivery> ClaimDuePushDeliveries(EpochMs now, EpochMs lease_ms,
                                                           int limit) = 0;
  virtual void DeletePushDelivery(Id id) = 0;
  virtual void ReschedulePushDelivery(Id id, int attempts, EpochMs next_attempt_at) = 0;
};

}  // namespace aimoviez
