// Web Push subscriptions (RFC 8030) and what a notification queues for the user's browsers.
// Endpoints are URLs the client chooses, so they are checked before anything is stored: https
// to a host that is not a private, loopback or link-local address literal; loopback (over http
// too) only when allowed for tests and development. The sender checks resolved addresses again.
#pragma once

#include "common/time.h"
#include "domain/errors.h"
#include "domain/notification_repository.h"
#include "domain/ports.h"

namespace aimoviez {

struct PushPolicy {
  bool allow_loopback = false;
  int subscriptions_per_user = 10;
  int pending_per_subscription = 50;
};

// INVALID_PUSH_ENDPOINT unless the URL is one the server may send to under the policy.
Status CheckPushEndpoint(std::string_view url, bool allow_loopback);

class PushService {
 public:
  PushService(Store& store, const Clock& clock, std::string public_key, PushPolicy policy)
      : store_(store), clock_(clock), public_key_(std::move(public_key)), policy_(policy) {}

  // The VAPID public key, base64url, for PushManager.subscribe's applicationServerKey.
  const std::string& PublicKey() const { return public_key_; }
  // p256dh and auth as the browser's PushSubscription.toJSON() gives them (base64url).
  Result<PushSubscription> Subscribe(const User& user, std::string_view endpoint,
                                     std::string_view p256dh, std::string_view auth);
  // NOT_FOUND when the user has no subscription with that endpoint.
  Status Unsubscribe(const User& user, std::string_view endpoint);
  // Queues the notification for each of the user's browsers, inside the caller's transaction.
  void Enqueue(const Notification& n);

 private:
  Store& store_;
  const Clock& clock_;
  std::string public_key_;
  PushPolicy policy_;
};

}  // namespace aimoviez
