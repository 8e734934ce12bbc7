// CommunityReadRepository on PostgreSQL: leaderboards, profile figures and vote history.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgCommunityReadRepository : public virtual CommunityReadRepository {
 public:
  explicit PgCommunityReadRepository(Database& db) : db_(db) {}

  std::vector<RankedEntry> TopRanked(Board board, EpochMs since, EpochMs until,
                                     const std::optional<RankCursor>& after, int limit) override;
  ProfileStats StatsFor(Id user_id, EpochMs today_start) override;
  std::vector<VoteHistoryEntry> VoteHistory(Id user_id, int limit) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
