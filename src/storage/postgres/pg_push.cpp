#include "storage/postgres/pg_push.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

constexpr std::string_view kSubscriptionColumns =
    "s.id, s.user_id, s.endpoint, s.p256dh, s.auth, s.created_at";

PushSubscription ReadSubscription(const Rows& r, int i, int first) {
  return PushSubscription{r.Int(i, first),      r.Int(i, first + 1),  r.Text(i, first + 2),
                          r.Text(i, first + 3), r.Text(i, first + 4), r.Int(i, first + 5)};
}

}  // namespace

PushSubscription PgPushRepository::SavePushSubscription(const PushSubscription& sub,
                                                        int keep_per_user) {
  PushSubscription saved;
  db_.Transaction([&] {
    // An endpoint belongs to one browser: subscribing it again moves it to this user.
    db_.Exec(
        "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, created_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (endpoint) DO UPDATE SET "
        "user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, "
        "created_at = excluded.created_at",
        Params(sub.user_id, sub.endpoint, sub.p256dh, sub.auth, sub.created_at));
    db_.Exec(
        "DELETE FROM push_subscriptions WHERE user_id = $1 AND id NOT IN (SELECT id FROM "
        "push_subscriptions WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)",
        Params(sub.user_id, keep_per_user));
    saved = ReadSubscription(db_.Exec("SELECT " + std::string(kSubscriptionColumns) +
                                          " FROM push_subscriptions s WHERE s.endpoint = $1",
                                      Params(sub.endpoint)),
                             0, 0);
  });
  return saved;
}

bool PgPushRepository::DeletePushSubscription(Id user_id, std::string_view endpoint) {
  return db_.Exec("DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2",
                  Params(user_id, endpoint))
             .Affected() > 0;
}

void PgPushRepository::DeletePushSubscriptionById(Id id) {
  db_.Exec("DELETE FROM push_subscriptions WHERE id = $1", Params(id));
}

std::vector<PushSubscription> PgPushRepository::ListPushSubscriptions(Id user_id) {
  return ReadAll<PushSubscription>(
      db_.Exec("SELECT " + std::string(kSubscriptionColumns) +
                   " FROM push_subscriptions s WHERE s.user_id = $1 ORDER BY s.id",
               Params(user_id)),
      [](const Rows& r, int i) { return ReadSubscription(r, i, 0); });
}

void PgPushRepository::EnqueuePush(Id user_id, std::string_view payload, std::string_view urgency,
                                   EpochMs now, int keep_per_subscription) {
  const int queued = db_.Exec(
                            "INSERT INTO push_deliveries (subscription_id, payload, urgency, "
                            "attempts, next_attempt_at, created_at) SELECT id, $2, $3, 0, $4, $4 "
                            "FROM push_subscriptions WHERE user_id = $1",
                            Params(user_id, payload, urgency, now))
                         .Affected();
  if (queued == 0) return;
  // Each of the user's subscriptions keeps only its newest deliveries.
  db_.Exec(
      "DELETE FROM push_deliveries WHERE id IN (SELECT id FROM (SELECT d.id, row_number() OVER "
      "(PARTITION BY d.subscription_id ORDER BY d.id DESC) AS n FROM push_deliveries d JOIN "
      "push_subscriptions s ON s.id = d.subscription_id WHERE s.user_id = $1) AS ranked "
      "WHERE n > $2)",
      Params(user_id, keep_per_subscription));
}

namespace {

PushDelivery ReadDelivery(const Rows& r, int i) {
  PushDelivery d;
  d.id = r.Int(i, 0);
  d.payload = r.Text(i, 1);
  d.urgency = r.Text(i, 2);
  d.attempts = static_cast<int>(r.Int(i, 3));
  d.created_at = r.Int(i, 4);
  d.subscription = ReadSubscription(r, i, 5);
  return d;
}

}  // namespace

std::vector<PushDelivery> PgPushRepository::DuePushDeliveries(EpochMs now, int limit) {
  return ReadAll<PushDelivery>(
      db_.Exec("SELECT d.id, d.payload, d.urgency, d.attempts, d.created_at, " +
                   std::string(kSubscriptionColumns) +
                   " FROM push_deliveries d JOIN push_subscriptions s ON s.id = d.subscription_id "
                   "WHERE d.next_attempt_at <= $1 ORDER BY d.next_attempt_at, d.id LIMIT $2",
               Params(now, limit)),
      ReadDelivery);
}

// SKIP LOCKED: two nodes claiming at once take different rows instead of waiting on each other.
std::vector<PushDelivery> PgPushRepository::ClaimDuePushDeliveries(EpochMs now, EpochMs lease_ms,
                                                                   int limit) {
  return ReadAll<PushDelivery>(
      db_.Exec("WITH claimed AS (UPDATE push_deliveries SET next_attempt_at = $1 + $2 "
               "WHERE id IN (SELECT id FROM push_deliveries WHERE next_attempt_at <= $1 "
               "ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) "
               "RETURNING id, payload, urgency, attempts, created_at, subscription_id) "
               "SELECT d.id, d.payload, d.urgency, d.attempts, d.created_at, " +
                   std::string(kSubscriptionColumns) +
                   " FROM claimed d JOIN push_subscriptions s ON s.id = d.subscription_id "
                   "ORDER BY d.id",
               Params(now, lease_ms, limit)),
      ReadDelivery);
}

void PgPushRepository::DeletePushDelivery(Id id) {
  db_.Exec("DELETE FROM push_deliveries WHERE id = $1", Params(id));
}

void PgPushRepository::ReschedulePushDelivery(Id id, int attempts, EpochMs next_attempt_at) {
  db_.Exec("UPDATE push_deliveries SET attempts = $1, next_attempt_at = $2 WHERE id = $3",
           Params(attempts, next_attempt_at, id));
}

}  // namespace aimoviez::pg
