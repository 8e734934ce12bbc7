// BroadcastRepository on PostgreSQL: notifications to everyone, fanned out in user-id order.
#pragma once

#include "domain/broadcast_repository.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgBroadcastRepository : public virtual BroadcastRepository {
 public:
  explicit PgBroadcastRepository(Database& db) : db_(db) {}

  std::optional<Id> AppendBroadcast(const Broadcast& b) override;
  std::optional<Broadcast> NextPendingBroadcast() override;
  std::vector<Id> UserIdsFrom(Id from, EpochMs created_by, int limit) override;
  void AdvanceBroadcast(Id id, Id next_user_id, std::int64_t delivered,
                        std::optional<EpochMs> finished_at) override;
  std::vector<Broadcast> RecentBroadcasts(std::string_view type, int limit) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
