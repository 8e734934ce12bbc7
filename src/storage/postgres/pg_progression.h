// ProgressionRepository on PostgreSQL: the engagement outbox, the job's cursors, per-user totals,
// the XP ledger and unlocked badges.
#pragma once

#include "domain/progression_repository.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgProgressionRepository : public virtual ProgressionRepository {
 public:
  explicit PgProgressionRepository(Database& db) : db_(db) {}

  void AppendEngagementEvent(std::string_view kind, Id user_id, Id ref_id, std::string_view detail,
                             EpochMs now) override;
  std::vector<EngagementEvent> EngagementEventsAfter(Id after, int limit) override;
  std::vector<SignedInVote> SignedInVotesAfter(VoteStreamPosition after, int limit) override;
  Id ProgressCursor(std::string_view name) override;
  void SetProgressCursor(std::string_view name, Id position) override;
  UserProgress LoadProgress(Id user_id) override;
  void SaveProgress(const UserProgress& progress) override;
  bool AddXp(Id user_id, std::string_view event_key, std::string_view kind, int xp,
             EpochMs now) override;
  std::vector<XpEntry> RecentXp(Id user_id, int limit) override;
  bool UnlockBadge(Id user_id, std::string_view badge, EpochMs now) override;
  std::vector<BadgeUnlock> ListBadges(Id user_id) override;
  std::vector<std::pair<Id, std::int64_t>> XpOfUsers(const std::vector<Id>& user_ids) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
