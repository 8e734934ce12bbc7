#include "domain/social_service.h"

#include "domain/transaction.h"

namespace aimoviez {

Result<User> SocialService::Target(const User& me, Id target_id, std::string_view self_code) {
  if (target_id == me.id) {
    return Error::InvalidInput("You cannot do that to yourself", std::string(self_code))
        .With("field", "userId");
  }
  auto target = store_.FindUser(target_id);
  if (!target || target->username.empty()) return Error::NotFound("User");
  return *target;
}

Result<FollowState> SocialService::SetFollow(const User& me, Id target_id, bool follow) {
  auto target = Target(me, target_id, "CANNOT_FOLLOW_SELF");
  if (!target) return target.error();
  std::optional<Notification> told;
  auto result = InTransaction(store_, [&]() -> Result<FollowState> {
    if (!follow) {
      store_.RemoveFollow(me.id, target_id);
      return FollowState{false, store_.CountFollows(target_id)};
    }
    if (store_.IsBlocked(target_id, me.id)) {
      return Error::Forbidden("BLOCKED", "You cannot follow this person");
    }
    if (store_.IsBlocked(me.id, target_id)) {
      return Error::Conflict("UNBLOCK_FIRST", "Unblock this person to follow them");
    }
    if (store_.IsFollowing(me.id, target_id)) {
      return FollowState{true, store_.CountFollows(target_id)};
    }
    if (store_.CountFollows(me.id).following >= limits_.max_following) {
      return Error::Conflict("FOLLOW_LIMIT", "You follow as many people as one can")
          .With("limit", static_cast<std::int64_t>(limits_.max_following));
    }
    store_.AddFollow(me.id, target_id, clock_.NowMs());
    told = notifications_.Add({target_id, "new_follower", "@" + me.username + " follows you", "",
                               "/u/" + me.username, "follower:" + std::to_string(me.id)});
    return FollowState{true, store_.CountFollows(target_id)};
  });
  if (result && told) notifications_.Announce(*told);
  return result;
}

Result<bool> SocialService::SetBlock(const User& me, Id target_id, bool block) {
  auto target = Target(me, target_id, "CANNOT_BLOCK_SELF");
  if (!target) return target.error();
  return InTransaction(store_, [&]() -> Result<bool> {
    if (!block) {
      store_.RemoveBlock(me.id, target_id);
      return false;
    }
    if (store_.IsBlocked(me.id, target_id)) return true;
    if (store_.CountBlocked(me.id) >= limits_.max_blocked) {
      return Error::Conflict("BLOCK_LIMIT", "You have blocked as many people as one can")
          .With("limit", static_cast<std::int64_t>(limits_.max_blocked));
    }
    store_.AddBlock(me.id, target_id, clock_.NowMs());
    store_.RemoveFollow(me.id, target_id);
    store_.RemoveFollow(target_id, me.id);
    return true;
  });
}

Result<PublicProfile> SocialService::ProfileOf(std::string_view username,
                                               std::optional<Id> viewer) {
  auto user = store_.FindUserByUsername(username);
  if (!user) return Error::NotFound("User");
  PublicProfile p;
  p.user = *user;
  p.counts = store_.CountFollows(user->id);
  if (viewer && *viewer != user->id) {
    p.viewer_follows = store_.IsFollowing(*viewer, user->id);
    p.viewer_blocked = store_.IsBlocked(*viewer, user->id);
  }
  for (auto& c :
       store_.ListClips(ClipQuery{std::nullopt, std::nullopt, std::nullopt, user->id, 200, 0})) {
    if (c.status == ClipStatus::kActive || c.status == ClipStatus::kLocked ||
        c.status == ClipStatus::kEliminated) {
      p.clips.push_back(std::move(c));
    }
  }
  return p;
}

Result<FollowPage> SocialService::ListOf(std::string_view username, List which,
                                         std::optional<Id> cursor, int limit) {
  auto user = store_.FindUserByUsername(username);
  if (!user) return Error::NotFound("User");
  FollowPage page;
  page.entries = which == List::kFollowers ? store_.ListFollowers(user->id, cursor, limit + 1)
                                           : store_.ListFollowing(user->id, cursor, limit + 1);
  if (static_cast<int>(page.entries.size()) > limit) {
    page.entries.resize(static_cast<std::size_t>(limit));
    page.next_cursor = page.entries.back().cursor;
  }
  return page;
}

}  // namespace aimoviez
