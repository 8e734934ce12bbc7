#include "domain/progression_rules.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace aimoviez {

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr int kMaxLevel = 1'000'000;  // far beyond any XP total; keeps the arithmetic in range

constexpr std::array kBadges = {
    BadgeDef{"votes_100", "Voice", "🗳️", "Cast 100 votes", BadgeMetric::kVotesCast, 100},
    BadgeDef{"votes_1000", "Chorus", "📣", "Cast 1,000 votes", BadgeMetric::kVotesCast, 1000},
    BadgeDef{"votes_10000", "Thunder", "⚡", "Cast 10,000 votes", BadgeMetric::kVotesCast, 10000},
    BadgeDef{"streak_3", "Kindling", "🔥", "Vote 3 days in a row", BadgeMetric::kBestStreak, 3},
    BadgeDef{"streak_7", "Bonfire", "🏕️", "Vote 7 days in a row", BadgeMetric::kBestStreak, 7},
    BadgeDef{"streak_30", "Wildfire", "🌋", "Vote 30 days in a row", BadgeMetric::kBestStreak, 30},
    BadgeDef{"first_clip", "Director", "🎬", "Upload your first clip", BadgeMetric::kClipsSubmitted,
             1},
    BadgeDef{"first_approved", "On the Ballot", "✅", "Have a clip approved for voting",
             BadgeMetric::kClipsApproved, 1},
    BadgeDef{"first_win", "Locked In", "🏆", "Have a clip win its slot", BadgeMetric::kClipsWon, 1},
    BadgeDef{"referral_networker", "Networker", "🤝", "Bring 5 people to aimoviez",
             BadgeMetric::kReferrals, 5},
    BadgeDef{"referral_influencer", "Influencer", "🌟", "Bring 10 people to aimoviez",
             BadgeMetric::kReferrals, 10},
    BadgeDef{"referral_ambassador", "Ambassador", "🎖️", "Bring 25 people to aimoviez",
             BadgeMetric::kReferrals, 25},
    BadgeDef{"referral_legend", "Legend", "👑", "Bring 100 people to aimoviez",
             BadgeMetric::kReferrals, 100},
};

}  // namespace

std::int64_t XpForLevel(int level) {
  const std::int64_t n = std::clamp(level, 1, kMaxLevel);
  return 50 * n * (n - 1);
}

LevelProgress LevelFor(std::int64_t xp) {
  xp = std::max<std::int64_t>(xp, 0);
  // Solve 50·n·(n − 1) ≤ xp for the largest n, then correct the floating-point estimate.
  int n = static_cast<int>((1.0 + std::sqrt(1.0 + static_cast<double>(xp) / 12.5)) / 2.0);
  n = std::clamp(n, 1, kMaxLevel - 1);
  while (n > 1 && XpForLevel(n) > xp) --n;
  while (n < kMaxLevel - 1 && XpForLevel(n + 1) <= xp) ++n;
  return LevelProgress{n, XpForLevel(n), XpForLevel(n + 1)};
}

std::int64_t UtcDay(std::int64_t epoch_ms) {
  // Floor division, so a time before the epoch falls on the day before, not day 0.
  return epoch_ms >= 0 ? epoch_ms / kMsPerDay : -((-epoch_ms + kMsPerDay - 1) / kMsPerDay);
}

Streak StreakAfterVote(Streak s, std::int64_t day) {
  if (day <= s.last_day) return s;
  s.days = (s.last_day >= 0 && day == s.last_day + 1) ? s.days + 1 : 1;
  s.last_day = day;
  s.best = std::max(s.best, s.days);
  return s;
}

int CurrentStreak(const Streak& s, std::int64_t today) {
  return s.last_day >= 0 && s.last_day >= today - 1 ? s.days : 0;
}

int StreakBonusXp(const XpRules& rules, int days) {
  if (days < 2) return 0;
  return rules.streak_day * std::min(days, rules.streak_day_cap);
}

std::span<const BadgeDef> AllBadges() {
  return kBadges;
}

const BadgeDef* FindBadge(std::string_view id) {
  for (const auto& b : kBadges) {
    if (b.id == id) return &b;
  }
  return nullptr;
}

namespace {
ReferralTier TierAt(const XpRules& rules, std::size_t i) {
  return ReferralTier{kReferralTiers[i].first, kReferralTiers[i].second, rules.referral_tier[i]};
}
}  // namespace

std::optional<ReferralTier> ReferralTierReachedAt(const XpRules& rules, std::int64_t referrals) {
  for (std::size_t i = 0; i < kReferralTiers.size(); ++i) {
    if (kReferralTiers[i].second == referrals) return TierAt(rules, i);
  }
  return std::nullopt;
}

std::optional<ReferralTier> CurrentReferralTier(const XpRules& rules, std::int64_t referrals) {
  std::optional<ReferralTier> reached;
  for (std::size_t i = 0; i < kReferralTiers.size(); ++i) {
    if (kReferralTiers[i].second <= referrals) reached = TierAt(rules, i);
  }
  return reached;
}

std::optional<ReferralTier> NextReferralTier(const XpRules& rules, std::int64_t referrals) {
  for (std::size_t i = 0; i < kReferralTiers.size(); ++i) {
    if (kReferralTiers[i].second > referrals) return TierAt(rules, i);
  }
  return std::nullopt;
}

std::int64_t MetricValue(const ProgressCounters& c, BadgeMetric metric) {
  switch (metric) {
    case BadgeMetric::kVotesCast:
      return c.votes_cast;
    case BadgeMetric::kBestStreak:
      return c.best_streak;
    case BadgeMetric::kClipsSubmitted:
      return c.clips_submitted;
    case BadgeMetric::kClipsApproved:
      return c.clips_approved;
    case BadgeMetric::kClipsWon:
      return c.clips_won;
    case BadgeMetric::kReferrals:
      return c.referrals;
  }
  return 0;
}

}  // namespace aimoviez
