// Storage port for follows and blocks (spec section 12).
#pragma once

#include <optional>
#include <vector>

#include "domain/model.h"

namespace aimoviez {

// One row of a follower or following list; `cursor` pages on from it.
struct FollowEntry {
  User user;
  EpochMs since = 0;
  Id cursor = 0;
};

struct FollowCounts {
  std::int64_t followers = 0;
  std::int64_t following = 0;
};

class SocialRepository {
 public:
  virtual ~SocialRepository() = default;
  // False when the follow already existed (nothing changed).
  virtual bool AddFollow(Id follower, Id followee, EpochMs now) = 0;
  virtual bool RemoveFollow(Id follower, Id followee) = 0;
  virtual bool IsFollowing(Id follower, Id followee) = 0;
  virtual FollowCounts CountFollows(Id user_id) = 0;
  // Newest first; entries older than `before` (a cursor) when given.
  virtual std::vector<FollowEntry> ListFollowers(Id user_id, std::optional<Id> before,
                                                 int limit) = 0;
  virtual std::vector<FollowEntry> ListFollowing(Id user_id, std::optional<Id> before,
                                                 int limit) = 0;

  virtual bool AddBlock(Id blocker, Id blocked, EpochMs now) = 0;
  virtual bool RemoveBlock(Id blocker, Id blocked) = 0;
  virtual bool IsBlocked(Id blocker, Id blocked) = 0;
  virtual std::vector<FollowEntry> ListBlocked(Id blocker, int limit) = 0;
  virtual std::int64_t CountBlocked(Id blocker) = 0;
};

}  // namespace aimoviez
