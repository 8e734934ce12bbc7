// Web Push subscriptions and the delivery queue on SQLite (migration 16).
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {

PushSubscription ReadSubscription(const Statement& s, int first) {
  return PushSubscription{s.Int(first),      s.Int(first + 1),  s.Text(first + 2),
                          s.Text(first + 3), s.Text(first + 4), s.Int(first + 5)};
}

constexpr std::string_view kSubscriptionColumns =
    "s.id, s.user_id, s.endpoint, s.p256dh, s.auth, s.created_at";

}  // namespace

PushSubscription SqliteStore::SavePushSubscription(const PushSubscription& sub, int keep_per_user) {
  Guard g(db_.lock());
  PushSubscription saved;
  Transaction([&] {
    db_.Prepare(
           "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, created_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (endpoint) DO UPDATE SET user_id = ?1, "
           "p256dh = ?3, auth = ?4, created_at = ?5")
        .BindAll(sub.user_id, sub.endpoint, sub.p256dh, sub.auth, sub.created_at)
        .Run();
    db_.Prepare(
           "DELETE FROM push_subscriptions WHERE user_id = ?1 AND id NOT IN (SELECT id FROM "
           "push_subscriptions WHERE user_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2)")
        .BindAll(sub.user_id, keep_per_user)
        .Run();
    auto& st = db_.Prepare(Sql(std::string("SELECT ") + std::string(kSubscriptionColumns),
                               " FROM push_subscriptions s WHERE s.endpoint = ?"));
    st.BindAll(sub.endpoint);
    saved = *One<PushSubscription>(st, [](const Statement& s) { return ReadSubscription(s, 0); });
  });
  return saved;
}

bool SqliteStore::DeletePushSubscription(Id user_id, std::string_view endpoint) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint = ?")
      .BindAll(user_id, endpoint)
      .Run();
  return db_.Changes() > 0;
}

void SqliteStore::DeletePushSubscriptionById(Id id) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM push_subscriptions WHERE id = ?").BindAll(id).Run();
}

std::vector<PushSubscription> SqliteStore::ListPushSubscriptions(Id user_id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(std::string("SELECT ") + std::string(kSubscriptionColumns),
                             " FROM push_subscriptions s WHERE s.user_id = ? ORDER BY s.id"));
  st.BindAll(user_id);
  return All<PushSubscription>(st, [](const Statement& s) { return ReadSubscription(s, 0); });
}

void SqliteStore::EnqueuePush(Id user_id, std::string_view payload, std::string_view urgency,
                              EpochMs now, int keep_per_subscription) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO push_deliveries (subscription_id, payload, urgency, attempts, "
         "next_attempt_at, created_at) SELECT id, ?2, ?3, 0, ?4, ?4 FROM push_subscriptions "
         "WHERE user_id = ?1")
      .BindAll(user_id, payload, urgency, now)
      .Run();
  if (db_.Changes() == 0) return;
  db_.Prepare(
         "DELETE FROM push_deliveries WHERE id IN (SELECT d.id FROM push_deliveries d JOIN "
         "push_subscriptions s ON s.id = d.subscription_id WHERE s.user_id = ?1 AND d.id NOT IN "
         "(SELECT d2.id FROM push_deliveries d2 WHERE d2.subscription_id = d.subscription_id "
         "ORDER BY d2.id DESC LIMIT ?2))")
      .BindAll(user_id, keep_per_subscription)
      .Run();
}

std::vector<PushDelivery> SqliteStore::DuePushDeliveries(EpochMs now, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      Sql(std::string("SELECT d.id, d.payload, d.urgency, d.attempts, d.created_at, ") +
              std::string(kSubscriptionColumns),
          " FROM push_deliveries d JOIN push_subscriptions s ON s.id = d.subscription_id "
          "WHERE d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?"));
  st.BindAll(now, limit);
  return All<PushDelivery>(st, [](const Statement& s) {
    PushDelivery d;
    d.id = s.Int(0);
    d.payload = s.Text(1);
    d.urgency = s.Text(2);
    d.attempts = static_cast<int>(s.Int(3));
    d.created_at = s.Int(4);
    d.subscription = ReadSubscription(s, 5);
    return d;
  });
}

std::vector<PushDelivery> SqliteStore::ClaimDuePushDeliveries(EpochMs now, EpochMs lease_ms,
                                                              int limit) {
  std::vector<PushDelivery> due;
  Transaction([&] {
    due = DuePushDeliveries(now, limit);
    Guard g(db_.lock());
    auto& st = db_.Prepare("UPDATE push_deliveries SET next_attempt_at = ? WHERE id = ?");
    for (const auto& d : due) {
      st.BindAll(now + lease_ms, d.id).Run();
      st.Reset();
    }
  });
  return due;
}

void SqliteStore::DeletePushDelivery(Id id) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM push_deliveries WHERE id = ?").BindAll(id).Run();
}

void SqliteStore::ReschedulePushDelivery(Id id, int attempts, EpochMs next_attempt_at) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE push_deliveries SET attempts = ?, next_attempt_at = ? WHERE id = ?")
      .BindAll(attempts, next_attempt_at, id)
      .Run();
}

}  // namespace aimoviez::sqlite
