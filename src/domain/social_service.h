// Follows, blocks and public profiles (spec section 12). Following someone notifies them once
// (an unfollow and a follow again stays quiet). Blocking someone ends follows both ways, refuses
// their follows, hides their comments from the blocker and stops their notifications to the
// blocker. Each person may follow and block a bounded number of others.
#pragma once

#include "common/time.h"
#include "domain/errors.h"
#include "domain/notification_service.h"
#include "domain/ports.h"

namespace aimoviez {

struct SocialLimits {
  int max_following = 5000;
  int max_blocked = 5000;
};

struct FollowState {
  bool following = false;
  FollowCounts target_counts;
};

struct PublicProfile {
  User user;
  FollowCounts counts;
  bool viewer_follows = false;
  bool viewer_blocked = false;  // the viewer blocked this person
  std::vector<Clip> clips;      // in the vote, locked in or eliminated: never pending or rejected
};

struct FollowPage {
  std::vector<FollowEntry> entries;
  std::optional<Id> next_cursor;
};

class SocialService {
 public:
  SocialService(Store& store, const Clock& clock, NotificationService& notifications,
                SocialLimits limits = {})
      : store_(store), clock_(clock), notifications_(notifications), limits_(limits) {}

  Result<FollowState> SetFollow(const User& me, Id target_id, bool follow);
  Result<bool> SetBlock(const User& me, Id target_id, bool block);
  Result<PublicProfile> ProfileOf(std::string_view username, std::optional<Id> viewer);
  enum class List { kFollowers, kFollowing };
  Result<FollowPage> ListOf(std::string_view username, List which, std::optional<Id> cursor,
                            int limit);
  std::vector<FollowEntry> Blocked(const User& me) {
    return store_.ListBlocked(me.id, limits_.max_blocked);
  }

 private:
  Result<User> Target(const User& me, Id target_id, std::string_view self_code);

  Store& store_;
  const Clock& clock_;
  NotificationService& notifications_;
  SocialLimits limits_;
};

}  // namespace aimoviez
