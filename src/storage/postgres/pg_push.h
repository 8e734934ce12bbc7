// PushRepository on PostgreSQL: Web Push subscriptions and the delivery queue.
#pragma once

#include "domain/push_repository.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgPushRepository : public virtual PushRepository {
 public:
  explicit PgPushRepository(Database& db) : db_(db) {}

  PushSubscription SavePushSubscription(const PushSubscription& s, int keep_per_user) override;
  bool DeletePushSubscription(Id user_id, std::string_view endpoint) override;
  void DeletePushSubscriptionById(Id id) override;
  std::vector<PushSubscription> ListPushSubscriptions(Id user_id) override;
  void EnqueuePush(Id user_id, std::string_view payload, std::string_view urgency, EpochMs now,
                   int keep_per_subscription) override;
  std::vector<PushDelivery> DuePushDeliveries(EpochMs now, int limit) override;
  std::vector<PushDelivery> ClaimDuePushDeliveries(EpochMs now, EpochMs lease_ms,
                                                   int limit) override;
  void DeletePushDelivery(Id id) override;
  void ReschedulePushDelivery(Id id, int attempts, EpochMs next_attempt_at) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
