#include "domain/progression_service.h"

#include <algorithm>

namespace aimoviez {

namespace {

constexpr std::string_view kEventsCursor = "events";
constexpr std::string_view kVotesCursor = "votes";
constexpr std::string_view kVotesTxnCursor = "votes_txn";

std::string Quoted(std::string_view title) {
  return "\u201c" + std::string(title.empty() ? "Untitled" : title) + "\u201d";
}

}  // namespace

struct ProgressionService::Pass {
  std::unordered_map<Id, UserProgress> users;
  std::unordered_map<Id, bool> exists;  // accounts deleted since the event are skipped
  std::vector<Notification> created;

  UserProgress* Load(Store& store, Id user_id) {
    auto known = exists.find(user_id);
    if (known == exists.end()) {
      known = exists.emplace(user_id, store.FindUser(user_id).has_value()).first;
    }
    if (!known->second) return nullptr;
    auto it = users.find(user_id);
    if (it == users.end()) it = users.emplace(user_id, store.LoadProgress(user_id)).first;
    return &it->second;
  }
};

int ProgressionService::ApplyPending(int limit) {
  Pass pass;
  int applied = 0;
  store_.Transaction([&] {
    const auto events = store_.EngagementEventsAfter(store_.ProgressCursor(kEventsCursor), limit);
    for (const auto& e : events) ApplyEvent(pass, e);
    if (!events.empty()) store_.SetProgressCursor(kEventsCursor, events.back().id);

    const VoteStreamPosition at{store_.ProgressCursor(kVotesTxnCursor),
                                store_.ProgressCursor(kVotesCursor)};
    const auto votes = store_.SignedInVotesAfter(at, limit);
    for (const auto& v : votes) ApplyVote(pass, v);
    if (!votes.empty()) {
      store_.SetProgressCursor(kVotesTxnCursor, votes.back().txn);
      store_.SetProgressCursor(kVotesCursor, votes.back().vote_id);
    }

    for (const auto& [id, progress] : pass.users) store_.SaveProgress(progress);
    applied = static_cast<int>(events.size() + votes.size());
  });
  // Told only after the commit: a rolled-back pass notifies nobody.
  for (const auto& n : pass.created) notifications_.Announce(n);
  return applied;
}

void ProgressionService::ApplyEvent(Pass& pass, const EngagementEvent& e) {
  UserProgress* p = pass.Load(store_, e.user_id);
  if (!p) return;
  const ProgressCounters before = p->counters;
  const std::string clip = std::to_string(e.ref_id);
  if (e.kind == kEventClipSubmitted) {
    ++p->counters.clips_submitted;
  } else if (e.kind == kEventClipApproved) {
    if (Award(*p, "approved:" + clip, e.kind, rules_.clip_approved, e.created_at)) {
      ++p->counters.clips_approved;
    }
    Notify(pass, {e.user_id, "clip_approved", "Your clip is in the vote",
                  Quoted(e.detail) + " was approved and people can vote for it now.",
                  "/profile?tab=clips", "approved:" + clip});
  } else if (e.kind == kEventClipRejected) {
    Notify(pass, {e.user_id, "clip_rejected", "Your clip was not approved",
                  Quoted(e.detail) + " did not pass moderation.", "/profile?tab=clips",
                  "rejected:" + clip + ":" + std::to_string(e.id)});
  } else if (e.kind == kEventClipWon) {
    if (Award(*p, "won:" + clip, e.kind, rules_.clip_won, e.created_at)) {
      ++p->counters.clips_won;
    }
    Notify(pass, {e.user_id, "clip_won", "Your clip won its slot",
                  Quoted(e.detail) + " is locked into the movie.", "/story", "won:" + clip});
  } else if (e.kind == kEventReferralCredited) {
    ApplyReferral(pass, *p, e);
  }
  UnlockCrossed(pass, *p, before, e.created_at);
}

void ProgressionService::ApplyVote(Pass& pass, const SignedInVote& v) {
  UserProgress* p = pass.Load(store_, v.user_id);
  if (!p) return;
  const ProgressCounters before = p->counters;
  const std::int64_t day = UtcDay(v.created_at);
  const Streak streak = StreakAfterVote(p->streak, day);
  if (streak.last_day != p->streak.last_day) {
    p->votes_on_day = 0;
    if (const int bonus = StreakBonusXp(rules_, streak.days); bonus > 0) {
      Award(*p, "streak:" + std::to_string(day), "streak", bonus, v.created_at);
    }
  }
  p->streak = streak;
  p->counters.best_streak = streak.best;
  if (Award(*p, "vote:" + std::to_string(v.clip_id) + "@" + std::to_string(v.slot_position), "vote",
            rules_.vote, v.created_at)) {
    ++p->counters.votes_cast;
  }
  if (day == streak.last_day && ++p->votes_on_day == daily_goal_) {
    Notify(pass, {v.user_id, "daily_goal", "Daily goal reached",
                  "You cast all " + std::to_string(daily_goal_) +
                      " of today's votes. Come back tomorrow to keep your streak.",
                  "/profile", "daily_goal:" + std::to_string(day)});
  }
  UnlockCrossed(pass, *p, before, v.created_at);
}

void ProgressionService::ApplyReferral(Pass& pass, UserProgress& p, const EngagementEvent& e) {
  const std::string referred = std::to_string(e.ref_id);
  ++p.counters.referrals;
  std::string body = e.detail.empty() ? "Someone" : "@" + e.detail;
  body += " joined aimoviez with your invite.";
  if (auto tier = ReferralTierReachedAt(rules_, p.counters.referrals)) {
    // Keyed by the tier, not the person: a tier pays once even if a referred account goes away.
    if (Award(p, "referral_tier:" + std::to_string(tier->referrals), "referral", tier->xp,
              e.created_at)) {
      body += " You reached the " + std::string(tier->name) + " tier: +" +
              std::to_string(tier->xp) + " XP.";
    }
  }
  Notify(pass, {p.user_id, "achievement", "Your invite worked", body, "/profile",
                "referral:" + referred});
}

bool ProgressionService::Award(UserProgress& p, const std::string& key, std::string_view kind,
                               int xp, EpochMs at) {
  if (!store_.AddXp(p.user_id, key, kind, xp, at)) return false;
  p.xp += xp;
  return true;
}

void ProgressionService::UnlockCrossed(Pass& pass, UserProgress& p, const ProgressCounters& before,
                                       EpochMs at) {
  for (const auto& badge : AllBadges()) {
    if (BadgeReached(badge, before) || !BadgeReached(badge, p.counters)) continue;
    if (!store_.UnlockBadge(p.user_id, badge.id, at)) continue;
    Award(p, "badge:" + std::string(badge.id), "badge", rules_.badge_unlocked, at);
    Notify(pass,
           {p.user_id, "achievement",
            "Badge unlocked: " + std::string(badge.name) + " " + std::string(badge.icon),
            std::string(badge.description) + ".", "/profile", "badge:" + std::string(badge.id)});
  }
}

void ProgressionService::Notify(Pass& pass, NotificationDraft draft) {
  if (auto n = notifications_.Add(draft)) pass.created.push_back(std::move(*n));
}

std::unordered_map<Id, int> ProgressionService::LevelsOf(const std::vector<Id>& user_ids) {
  std::unordered_map<Id, int> levels;
  for (Id id : user_ids) levels[id] = 1;
  for (const auto& [id, xp] : store_.XpOfUsers(user_ids)) levels[id] = LevelFor(xp).level;
  return levels;
}

ProgressView ProgressionService::ViewOf(Id user_id) {
  const UserProgress p = store_.LoadProgress(user_id);
  ProgressView view;
  view.xp = p.xp;
  view.level = LevelFor(p.xp);
  view.streak_days = CurrentStreak(p.streak, UtcDay(clock_.NowMs()));
  view.best_streak = p.streak.best;
  view.counters = p.counters;
  const auto unlocked = store_.ListBadges(user_id);
  for (const auto& badge : AllBadges()) {
    BadgeView b{&badge, std::nullopt,
                std::min(MetricValue(p.counters, badge.metric), badge.threshold)};
    for (const auto& u : unlocked) {
      if (u.badge == badge.id) b.unlocked_at = u.unlocked_at;
    }
    view.badges.push_back(b);
  }
  view.recent_xp = store_.RecentXp(user_id, 20);
  return view;
}

}  // namespace aimoviez
