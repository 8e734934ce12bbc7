// Progression (spec section 11): XP, levels, streaks and badges, applied by a background job from
// durable facts, never on the vote path. Each pass reads the next engagement events (clip
// submitted, approved, rejected, won — written by the services in the same transaction as the
// change) and the next signed-in votes, and applies them in one transaction together with the
// move of its cursors. A crash before the commit replays the same items; after it, none: every
// award happens exactly once. XP ledger keys guard awards a second time.
//
// What earns XP (amounts from XpRules):
//  - a signed-in vote: once per clip and round ("vote:<clip>@<slot>"). Revoking a vote keeps the
//    XP, and voting for that clip again in that round earns nothing more, so vote/unvote cycles
//    cannot farm XP. Anonymous votes earn nothing: there is no account to credit.
//  - the first vote of a UTC day that extends a streak to 2 or more days: the streak bonus;
//  - a clip approved, a clip locked in as a slot's winner (once per clip);
//  - a badge unlocked;
//  - a referral that reaches a referral tier (1, 5, 10, 25, 100 people): the tier's XP, once.
// Notifications: clip approved / rejected / won, badge unlocked and invite used (achievement), and
// the daily goal (the day's vote limit reached).
#pragma once

#include <unordered_map>

#include "common/time.h"
#include "domain/notification_service.h"
#include "domain/ports.h"
#include "domain/progression_rules.h"

namespace aimoviez {

struct BadgeView {
  const BadgeDef* def = nullptr;
  std::optional<EpochMs> unlocked_at;
  std::int64_t progress = 0;  // the measured value, capped at the threshold
};

struct ProgressView {
  std::int64_t xp = 0;
  LevelProgress level;
  int streak_days = 0;  // current: ends today or yesterday
  int best_streak = 0;
  ProgressCounters counters;
  std::vector<BadgeView> badges;  // the whole catalogue, in its order
  std::vector<XpEntry> recent_xp;
};

class ProgressionService {
 public:
  ProgressionService(Store& store, const Clock& clock, NotificationService& notifications,
                     XpRules rules, int daily_goal)
      : store_(store),
        clock_(clock),
        notifications_(notifications),
        rules_(rules),
        daily_goal_(daily_goal) {}

  // Applies up to `limit` pending events and up to `limit` pending votes; returns how many items
  // were applied (0 when nothing was pending).
  int ApplyPending(int limit);

  ProgressView ViewOf(Id user_id);
  // Levels of several people at once (leaderboard rows); 1 for anyone without XP.
  std::unordered_map<Id, int> LevelsOf(const std::vector<Id>& user_ids);
  const XpRules& rules() const { return rules_; }

 private:
  struct Pass;  // one transaction's state: loaded users and notifications to announce
  void ApplyEvent(Pass& pass, const EngagementEvent& event);
  void ApplyVote(Pass& pass, const SignedInVote& vote);
  void ApplyReferral(Pass& pass, UserProgress& p, const EngagementEvent& event);
  // Adds XP for a keyed event once; false when the key was used before.
  bool Award(UserProgress& p, const std::string& key, std::string_view kind, int xp, EpochMs at);
  // Unlocks the badges whose threshold the counters crossed since `before`.
  void UnlockCrossed(Pass& pass, UserProgress& p, const ProgressCounters& before, EpochMs at);
  void Notify(Pass& pass, NotificationDraft draft);

  Store& store_;
  const Clock& clock_;
  NotificationService& notifications_;
  XpRules rules_;
  int daily_goal_;
};

}  // namespace aimoviez
