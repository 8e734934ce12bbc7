// The rules of progression (spec section 11): what earns XP, the level curve, streaks over UTC
// days and the badge catalogue. Pure: no storage, no clock; ProgressionService applies them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace aimoviez {

// XP per event, from configuration (xp_* keys).
struct XpRules {
  int vote = 10;            // a signed-in vote on a clip (once per clip, see ProgressionService)
  int clip_approved = 50;   // the creator's clip passed moderation
  int clip_won = 500;       // the creator's clip was locked in as a slot's winner
  int streak_day = 5;       // per day of the current streak, on the first vote of each day...
  int streak_day_cap = 7;   // ...counting at most this many days (day 7 and on: 35 XP a day)
  int badge_unlocked = 25;  // any badge
  // Referral tiers (spec section 12), in the order of kReferralTiers: the XP a referrer earns
  // once, on the referral that reaches the tier.
  std::array<int, 5> referral_tier = {50, 100, 200, 500, 1000};
};

// Level curve: reaching level n + 1 from level n costs 100·n XP, so level n starts at
// 50·n·(n − 1) XP: 0, 100, 300, 600, 1000, … Level 1 is where everyone starts.
struct LevelProgress {
  int level = 1;
  std::int64_t level_start_xp = 0;   // total XP at which the current level began
  std::int64_t next_level_xp = 100;  // total XP at which the next level begins
};
std::int64_t XpForLevel(int level);
LevelProgress LevelFor(std::int64_t xp);

// Days are UTC days since the epoch, as the daily vote cap counts them.
std::int64_t UtcDay(std::int64_t epoch_ms);

// A streak is the run of consecutive UTC days with at least one vote.
struct Streak {
  int days = 0;                // length of the run ending on last_day
  int best = 0;                // longest run ever
  std::int64_t last_day = -1;  // last day with a vote; -1 before the first vote
};
// The streak after a vote on `day` (votes arrive in time order; an earlier day changes nothing).
Streak StreakAfterVote(Streak s, std::int64_t day);
// What a profile shows today: the run counts while it ends today or yesterday, else it is 0.
int CurrentStreak(const Streak& s, std::int64_t today);
// Bonus XP for voting on a day that makes the streak `days` long; 0 for a one-day run.
int StreakBonusXp(const XpRules& rules, int days);

// What badges measure.
enum class BadgeMetric {
  kVotesCast,
  kBestStreak,
  kClipsSubmitted,
  kClipsApproved,
  kClipsWon,
  kReferrals
};

struct BadgeDef {
  std::string_view id;
  std::string_view name;
  std::string_view icon;  // an emoji, shown on the profile and in notifications
  std::string_view description;
  BadgeMetric metric;
  std::int64_t threshold;
};
std::span<const BadgeDef> AllBadges();
const BadgeDef* FindBadge(std::string_view id);

// The counters badges are measured against, kept per user by ProgressionService.
struct ProgressCounters {
  std::int64_t votes_cast = 0;
  std::int64_t best_streak = 0;
  std::int64_t clips_submitted = 0;
  std::int64_t clips_approved = 0;
  std::int64_t clips_won = 0;
  std::int64_t referrals = 0;
};
// Referral tiers: reaching `referrals` credited sign-ups earns the tier's XP (XpRules) once; the
// badge of the same name (all but the first tier have one) unlocks with it.
struct ReferralTier {
  std::string_view name;
  std::int64_t referrals = 0;
  int xp = 0;  // from XpRules::referral_tier
};
inline constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> kReferralTiers = {{
    {"Connector", 1},
    {"Networker", 5},
    {"Influencer", 10},
    {"Ambassador", 25},
    {"Legend", 100},
}};
// The tier reached exactly at `referrals` (nothing between tiers): the one to award.
std::optional<ReferralTier> ReferralTierReachedAt(const XpRules& rules, std::int64_t referrals);
// The highest tier reached with `referrals`, and the next one; nothing past either end.
std::optional<ReferralTier> CurrentReferralTier(const XpRules& rules, std::int64_t referrals);
std::optional<ReferralTier> NextReferralTier(const XpRules& rules, std::int64_t referrals);

std::int64_t MetricValue(const ProgressCounters& c, BadgeMetric metric);
inline bool BadgeReached(const BadgeDef& badge, const ProgressCounters& c) {
  return MetricValue(c, badge.metric) >= badge.threshold;
}

}  // namespace aimoviez
