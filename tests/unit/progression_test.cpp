// Progression: the level curve, streaks across UTC midnight, badge thresholds, and the job that
// applies events and votes exactly once (a replayed pass awards nothing twice).
#include <gtest/gtest.h>

#include "domain/progression_rules.h"
#include "domain/progression_service.h"
#include "domain/season_service.h"
#include "test_support.h"

namespace aimoviez {
namespace {

constexpr EpochMs kDay = 86'400'000;

TEST(LevelCurve, LevelsStartAtFiftyTimesNTimesNMinusOne) {
  EXPECT_EQ(XpForLevel(1), 0);
  EXPECT_EQ(XpForLevel(2), 100);
  EXPECT_EQ(XpForLevel(3), 300);
  EXPECT_EQ(XpForLevel(10), 4500);
  EXPECT_EQ(LevelFor(0).level, 1);
  EXPECT_EQ(LevelFor(99).level, 1);
  EXPECT_EQ(LevelFor(100).level, 2);
  EXPECT_EQ(LevelFor(299).level, 2);
  EXPECT_EQ(LevelFor(300).level, 3);
  EXPECT_EQ(LevelFor(-5).level, 1);
  const auto p = LevelFor(350);
  EXPECT_EQ(p.level_start_xp, 300);
  EXPECT_EQ(p.next_level_xp, 600);
  // Every boundary up to a large level, and a huge total stays in range.
  for (int n = 1; n < 2000; ++n) {
    EXPECT_EQ(LevelFor(XpForLevel(n)).level, n);
    EXPECT_EQ(LevelFor(XpForLevel(n + 1) - 1).level, n);
  }
  EXPECT_GT(LevelFor(std::int64_t{1} << 60).level, 1000);
}

TEST(Streaks, ConsecutiveUtcDaysExtendAndAGapResets) {
  const EpochMs midnight = 20'000 * kDay;
  Streak s;
  s = StreakAfterVote(s, UtcDay(midnight - 1));  // 23:59:59.999 the day before
  EXPECT_EQ(s.days, 1);
  s = StreakAfterVote(s, UtcDay(midnight));  // one millisecond later: a new day
  EXPECT_EQ(s.days, 2);
  s = StreakAfterVote(s, UtcDay(midnight + kDay - 1));  // same day again: unchanged
  EXPECT_EQ(s.days, 2);
  EXPECT_EQ(CurrentStreak(s, UtcDay(midnight)), 2);
  EXPECT_EQ(CurrentStreak(s, UtcDay(midnight + kDay)), 2);      // yesterday still counts
  EXPECT_EQ(CurrentStreak(s, UtcDay(midnight + 2 * kDay)), 0);  // missed a day
  s = StreakAfterVote(s, UtcDay(midnight + 2 * kDay));
  EXPECT_EQ(s.days, 1);
  EXPECT_EQ(s.best, 2);
  EXPECT_EQ(UtcDay(-1), -1);
}

TEST(Streaks, BonusGrowsPerDayUpToTheCap) {
  XpRules rules;
  EXPECT_EQ(StreakBonusXp(rules, 1), 0);
  EXPECT_EQ(StreakBonusXp(rules, 2), 10);
  EXPECT_EQ(StreakBonusXp(rules, 7), 35);
  EXPECT_EQ(StreakBonusXp(rules, 40), 35);
}

TEST(Badges, ThresholdsMatchTheCatalogue) {
  ProgressCounters c;
  c.votes_cast = 99;
  EXPECT_FALSE(BadgeReached(*FindBadge("votes_100"), c));
  c.votes_cast = 100;
  EXPECT_TRUE(BadgeReached(*FindBadge("votes_100"), c));
  EXPECT_FALSE(BadgeReached(*FindBadge("votes_1000"), c));
  c.best_streak = 7;
  EXPECT_TRUE(BadgeReached(*FindBadge("streak_3"), c));
  EXPECT_TRUE(BadgeReached(*FindBadge("streak_7"), c));
  EXPECT_FALSE(BadgeReached(*FindBadge("streak_30"), c));
  c.referrals = 25;
  EXPECT_TRUE(BadgeReached(*FindBadge("referral_ambassador"), c));
  EXPECT_FALSE(BadgeReached(*FindBadge("referral_legend"), c));
  EXPECT_EQ(FindBadge("nope"), nullptr);
  for (const auto& b : AllBadges()) EXPECT_EQ(FindBadge(b.id), &b);
}

class ProgressionServiceTest : public testing::StoreTest {
 protected:
  ProgressionServiceTest()
      : notifications_(*store_, clock_),
        progression_(*store_, clock_, notifications_, XpRules{}, /*daily_goal=*/3),
        seasons_(*store_, clock_, SeasonLimits{}) {
    user_ = *store_->CreateUser("ana@example.com", "ana", clock_.NowMs());
    auto season = seasons_.CreateSeason(SeasonDraft{"S", "Action", "", 3, 3600}, admin_);
    season_ = season->id;
    EXPECT_TRUE(seasons_.ActivateSeason(season_, admin_).ok());
  }

  Id Clip(const std::string& title) {
    aimoviez::Clip c;
    c.title = title;
    c.user_id = user_.id;
    c.status = ClipStatus::kPending;
    c.processing = ProcessingStatus::kReady;
    c.created_at = clock_.NowMs();
    return store_->InsertClip(c).id;
  }

  void VoteAs(Id user_id, Id clip_id) {
    VoteRecord v;
    v.clip_id = clip_id;
    v.voter_key = "user_" + std::to_string(user_id);
    v.user_id = user_id;
    v.slot_position = store_->FindClip(clip_id)->slot_position;
    v.created_at = clock_.NowMs();
    store_->InsertVotes({v});
  }

  void Drain() {
    while (progression_.ApplyPending(2) > 0) {
    }
  }

  AuditActor admin_{std::nullopt, "test"};
  NotificationService notifications_;
  ProgressionService progression_;
  SeasonService seasons_;
  User user_;
  Id season_ = 0;
};

TEST_F(ProgressionServiceTest, ApprovalAwardsXpAndNotifiesOnce) {
  const Id clip = Clip("Sunrise");
  ASSERT_TRUE(seasons_.ApproveClip(clip, admin_).ok());
  Drain();
  Drain();  // nothing left: a second drain awards nothing
  const auto view = progression_.ViewOf(user_.id);
  // Approval (50) plus the "On the Ballot" badge (25).
  EXPECT_EQ(view.xp, 75);
  EXPECT_EQ(view.counters.clips_approved, 1);
  const auto page = notifications_.List(user_.id, std::nullopt, 10);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[1].type, "clip_approved");
  EXPECT_NE(page.items[1].body.find("Sunrise"), std::string::npos);
  EXPECT_EQ(page.items[0].type, "achievement");
  EXPECT_EQ(page.unread, 2);
}

TEST_F(ProgressionServiceTest, ARevotedClipEarnsNothingMoreAndAReplayedPassNothingTwice) {
  const Id a = Clip("A"), b = Clip("B");
  ASSERT_TRUE(seasons_.ApproveClip(a, admin_).ok());
  ASSERT_TRUE(seasons_.ApproveClip(b, admin_).ok());
  Drain();
  const std::int64_t before = progression_.ViewOf(user_.id).xp;
  VoteAs(user_.id, a);
  VoteAs(user_.id, a);  // a second vote on the same clip in the same round
  VoteAs(user_.id, b);
  Drain();
  auto view = progression_.ViewOf(user_.id);
  EXPECT_EQ(view.xp - before, 20);
  EXPECT_EQ(view.counters.votes_cast, 2);
  // A crash after the awards but before the cursor moved replays the votes: the ledger keys
  // refuse them.
  store_->SetProgressCursor("votes", 0);
  Drain();
  EXPECT_EQ(progression_.ViewOf(user_.id).xp - before, 20);
  // Three votes today reach the goal of 3: notified once.
  const auto page = notifications_.List(user_.id, std::nullopt, 20);
  int goals = 0;
  for (const auto& n : page.items) goals += n.type == "daily_goal";
  EXPECT_EQ(goals, 1);
}

TEST_F(ProgressionServiceTest, StreakBonusAndBadgeOnTheThirdDay) {
  const Id a = Clip("A");
  ASSERT_TRUE(seasons_.ApproveClip(a, admin_).ok());
  for (int day = 0; day < 3; ++day) {
    // Each day votes on a clip of its own, so each vote earns XP.
    const Id c = Clip("day" + std::to_string(day));
    ASSERT_TRUE(seasons_.ApproveClip(c, admin_).ok());
    VoteAs(user_.id, c);
    Drain();
    clock_.Advance(kDay);
  }
  const auto view = progression_.ViewOf(user_.id);
  EXPECT_EQ(view.best_streak, 3);
  EXPECT_EQ(view.streak_days, 3);  // the last vote was yesterday
  bool kindled = false;
  for (const auto& b : view.badges) {
    if (b.def->id == "streak_3") kindled = b.unlocked_at.has_value();
  }
  EXPECT_TRUE(kindled);
  // Bonuses: day 2 (10) and day 3 (15).
  std::int64_t streak_xp = 0;
  for (const auto& x : store_->RecentXp(user_.id, 100)) {
    if (x.kind == "streak") streak_xp += x.xp;
  }
  EXPECT_EQ(streak_xp, 25);
  clock_.Advance(kDay);
  EXPECT_EQ(progression_.ViewOf(user_.id).streak_days, 0);
}

TEST_F(ProgressionServiceTest, EventsOfADeletedAccountAreSkipped) {
  const Id clip = Clip("Gone");
  ASSERT_TRUE(seasons_.ApproveClip(clip, admin_).ok());
  store_->EraseAccount(user_.id, clock_.NowMs());
  Drain();
  EXPECT_EQ(store_->ProgressCursor("events"), 0);  // its events went with the account
  EXPECT_EQ(progression_.ViewOf(user_.id).xp, 0);
}

TEST_F(ProgressionServiceTest, NotificationsPageAndMarkRead) {
  for (int i = 0; i < 5; ++i) {
    notifications_.Add(
        {user_.id, "announcement", "n" + std::to_string(i), "", "", "k" + std::to_string(i)});
  }
  EXPECT_FALSE(notifications_.Add({user_.id, "announcement", "dup", "", "", "k0"}).has_value());
  auto first = notifications_.List(user_.id, std::nullopt, 2);
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].title, "n4");
  ASSERT_TRUE(first.next_before.has_value());
  auto second = notifications_.List(user_.id, first.next_before, 10);
  ASSERT_EQ(second.items.size(), 3u);
  EXPECT_FALSE(second.next_before.has_value());
  EXPECT_EQ(notifications_.MarkRead(user_.id, {first.items[0].id, 999'999}), 4);
  EXPECT_EQ(notifications_.MarkAllRead(user_.id), 0);
}

TEST_F(ProgressionServiceTest, NotificationsAreBoundedPerUser) {
  NotificationService small(*store_, clock_, /*keep=*/3);
  for (int i = 0; i < 10; ++i) {
    small.Add({user_.id, "announcement", "n" + std::to_string(i), "", "", std::to_string(i)});
  }
  const auto page = small.List(user_.id, std::nullopt, 50);
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items.back().title, "n7");
}

}  // namespace
}  // namespace aimoviez
