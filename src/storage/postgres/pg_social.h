// SocialRepository on PostgreSQL: follows and blocks. Lists carry only public user fields.
#pragma once

#include "domain/social_repository.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgSocialRepository : public virtual SocialRepository {
 public:
  explicit PgSocialRepository(Database& db) : db_(db) {}

  bool AddFollow(Id follower, Id followee, EpochMs now) override;
  bool RemoveFollow(Id follower, Id followee) override;
  bool IsFollowing(Id follower, Id followee) override;
  FollowCounts CountFollows(Id user_id) override;
  std::vector<FollowEntry> ListFollowers(Id user_id, std::optional<Id> before, int limit) override;
  std::vector<FollowEntry> ListFollowing(Id user_id, std::optional<Id> before, int limit) override;
  bool AddBlock(Id blocker, Id blocked, EpochMs now) override;
  bool RemoveBlock(Id blocker, Id blocked) override;
  bool IsBlocked(Id blocker, Id blocked) override;
  std::vector<FollowEntry> ListBlocked(Id blocker, int limit) override;
  std::int64_t CountBlocked(Id blocker) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
