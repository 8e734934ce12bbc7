// The engagement repositories (progression, notifications, reports, Web Push, referrals,
// broadcasts, contact messages) behave the same on every backend: each test runs on SQLite and
// on PostgreSQL.
#include <gtest/gtest.h>

#include "store_backends.h"

namespace aimoviez {
namespace {

class EngagementRepositoriesContract : public testing::BackendTest {
 protected:
  Id NewUser(const std::string& name, EpochMs at = 1) {
    return users().CreateUser(name + "@example.com", name, at).value().id;
  }
};

TEST_P(EngagementRepositoriesContract, TheOutboxCursorsTotalsXpAndBadges) {
  const Id ann = NewUser("ann");
  progression().AppendEngagementEvent(kEventClipSubmitted, ann, 7, "Rain", 10);
  progression().AppendEngagementEvent(kEventClipApproved, ann, 7, "Rain", 20);
  const auto events = progression().EngagementEventsAfter(0, 10);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, kEventClipSubmitted);
  EXPECT_EQ(events[1].detail, "Rain");
  EXPECT_EQ(progression().EngagementEventsAfter(events[0].id, 10).size(), 1u);

  EXPECT_EQ(progression().ProgressCursor("events"), 0);
  progression().SetProgressCursor("events", events[1].id);
  progression().SetProgressCursor("events", events[1].id + 5);
  EXPECT_EQ(progression().ProgressCursor("events"), events[1].id + 5);

  auto fresh = progression().LoadProgress(ann);
  EXPECT_EQ(fresh.xp, 0);
  EXPECT_EQ(fresh.streak.last_day, -1);
  fresh.xp = 120;
  fresh.counters.votes_cast = 9;
  fresh.counters.clips_won = 1;
  fresh.streak = Streak{3, 5, 20'000};
  fresh.votes_on_day = 4;
  progression().SaveProgress(fresh);
  fresh.xp = 150;
  progression().SaveProgress(fresh);  // saved again: replaced, not added
  const auto loaded = progression().LoadProgress(ann);
  EXPECT_EQ(loaded.xp, 150);
  EXPECT_EQ(loaded.counters.votes_cast, 9);
  EXPECT_EQ(loaded.counters.best_streak, 5);
  EXPECT_EQ(loaded.streak.days, 3);
  EXPECT_EQ(loaded.streak.last_day, 20'000);
  EXPECT_EQ(loaded.votes_on_day, 4);

  EXPECT_TRUE(progression().AddXp(ann, "vote:1", "vote", 10, 30));
  EXPECT_FALSE(progression().AddXp(ann, "vote:1", "vote", 10, 31));  // each event once
  EXPECT_TRUE(progression().AddXp(ann, "vote:2", "vote", 0, 32));    // recorded, never listed
  EXPECT_TRUE(progression().AddXp(ann, "won:7", "clip_won", 100, 40));
  const auto recent = progression().RecentXp(ann, 10);
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].event_key, "won:7");

  EXPECT_TRUE(progression().UnlockBadge(ann, "first_vote", 50));
  EXPECT_FALSE(progression().UnlockBadge(ann, "first_vote", 51));
  EXPECT_TRUE(progression().UnlockBadge(ann, "winner", 49));
  const auto badges = progression().ListBadges(ann);
  ASSERT_EQ(badges.size(), 2u);
  EXPECT_EQ(badges[0].badge, "winner");

  const Id bob = NewUser("bob");
  EXPECT_EQ(progression().XpOfUsers({bob, ann}),
            (std::vector<std::pair<Id, std::int64_t>>{{ann, 150}}));
  EXPECT_TRUE(progression().XpOfUsers({}).empty());
}

TEST_P(EngagementRepositoriesContract, SignedInVotesAreReadInIdOrder) {
  const Id ann = NewUser("ann");
  Season s;
  s.label = "S";
  s.total_slots = 1;
  s.voting_window_seconds = 60;
  const Id season = seasons().CreateSeason(s).id;
  Clip c;
  c.season_id = season;
  c.slot_position = 1;
  c.status = ClipStatus::kActive;
  const Id clip = clips().InsertClip(c).id;
  std::vector<VoteWrite> batch;
  for (Id id = 1; id <= 3; ++id) {
    VoteWrite w;
    w.record.id = id;
    w.record.clip_id = clip;
    w.record.season_id = season;
    w.record.slot_position = 1;
    w.record.voter_key = id == 2 ? "anon:x" : "user_" + std::to_string(ann);
    if (id != 2) w.record.user_id = ann;
    w.record.created_at = 100 + id;
    batch.push_back(w);
  }
  votes().ApplyVoteBatch(batch, {}, {});
  const auto signed_in = progression().SignedInVotesAfter({}, 10);
  ASSERT_EQ(signed_in.size(), 2u);
  EXPECT_EQ(signed_in[1].vote_id, 3);
  EXPECT_EQ(signed_in[1].user_id, ann);
  EXPECT_EQ(signed_in[1].created_at, 103);
  EXPECT_EQ(signed_in[1].txn, signed_in[0].txn) << "one batch, one transaction";
  const VoteStreamPosition after_first{signed_in[0].txn, signed_in[0].vote_id};
  EXPECT_EQ(progression().SignedInVotesAfter(after_first, 1).at(0).vote_id, 3);
  const VoteStreamPosition after_last{signed_in[1].txn, signed_in[1].vote_id};
  EXPECT_TRUE(progression().SignedInVotesAfter(after_last, 10).empty());
}

TEST_P(EngagementRepositoriesContract, NotificationsAreDedupedMutedTrimmedAndRead) {
  const Id ann = NewUser("ann");
  const auto draft = [&](const std::string& key, const std::string& type = "clip_approved") {
    return NotificationDraft{ann, type, "Approved", "Your clip is in", "/profile", key};
  };
  const auto first = notifications().AddNotification(draft("a"), 10, 3);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->title, "Approved");
  EXPECT_FALSE(first->read_at.has_value());
  EXPECT_FALSE(notifications().AddNotification(draft("a"), 11, 3).has_value());  // replayed
  notifications().SetNotificationMuted(ann, "daily_goal", true);
  notifications().SetNotificationMuted(ann, "daily_goal", true);
  EXPECT_FALSE(notifications().AddNotification(draft("g", "daily_goal"), 12, 3).has_value());
  EXPECT_EQ(notifications().MutedNotificationTypes(ann), std::vector<std::string>{"daily_goal"});

  for (const char* key : {"b", "c", "d"}) notifications().AddNotification(draft(key), 20, 3);
  auto listed = notifications().ListNotifications(ann, std::nullopt, 10);
  ASSERT_EQ(listed.size(), 3u);  // the oldest was dropped to keep three
  EXPECT_NE(listed.back().id, first->id);
  EXPECT_EQ(notifications().ListNotifications(ann, listed[0].id, 10).size(), 2u);
  EXPECT_EQ(notifications().CountUnread(ann), 3);
  EXPECT_EQ(notifications().MarkNotificationsRead(ann, {listed[0].id, listed[0].id + 1000}, 30), 1);
  EXPECT_EQ(notifications().MarkNotificationsRead(NewUser("bob"), {listed[1].id}, 30), 0);
  EXPECT_EQ(notifications().MarkAllNotificationsRead(ann, 31), 2);
  EXPECT_EQ(notifications().CountUnread(ann), 0);
  EXPECT_EQ(notifications().ListNotifications(ann, std::nullopt, 1).at(0).read_at, 30);
  notifications().SetNotificationMuted(ann, "daily_goal", false);
  EXPECT_TRUE(notifications().MutedNotificationTypes(ann).empty());
}

TEST_P(EngagementRepositoriesContract, ReportsAreOnePerReporterAndTargetGroupedAndClosed) {
  const Id ann = NewUser("ann");
  const Id bob = NewUser("bob");
  const auto report = [&](Id who, const std::string& type, Id target, const std::string& reason,
                          EpochMs at) {
    return reports().InsertReport(Report{0, who, "", type, target, reason, "", "", at});
  };
  const auto first = report(ann, "clip", 7, "spam", 10);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->reporter_name, "ann");
  EXPECT_EQ(first->status, "open");
  EXPECT_FALSE(report(ann, "clip", 7, "other", 11).has_value());  // one open report each
  ASSERT_TRUE(report(bob, "clip", 7, "spam", 12).has_value());
  ASSERT_TRUE(report(bob, "comment", 3, "harassment", 13).has_value());

  const auto groups = reports().ListReportGroups("open", 10, 1);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].target_type, "clip");
  EXPECT_EQ(groups[0].count, 2);
  EXPECT_EQ(groups[0].first_at, 10);
  ASSERT_EQ(groups[0].reports.size(), 1u);
  EXPECT_EQ(groups[0].reports[0].reporter_id, bob);  // the newest
  EXPECT_EQ(groups[0].reasons, (std::vector<std::pair<std::string, std::int64_t>>{{"spam", 2}}));
  EXPECT_EQ(reports().OpenReportsOn("clip", 7).size(), 2u);

  EXPECT_EQ(reports().CloseReports("clip", 7, "actioned", "removed", ann, 20), 2);
  EXPECT_TRUE(reports().OpenReportsOn("clip", 7).empty());
  EXPECT_EQ(reports().ListReportGroups("actioned", 10, 5).at(0).count, 2);
  EXPECT_TRUE(report(ann, "clip", 7, "spam", 30).has_value());  // closed: a new one may open
}

TEST_P(EngagementRepositoriesContract, PushSubscriptionsAndTheirBoundedDeliveryQueue) {
  const Id ann = NewUser("ann");
  const Id bob = NewUser("bob");
  const auto sub = [&](Id user, const std::string& endpoint, EpochMs at) {
    return push().SavePushSubscription(
        PushSubscription{0, user, endpoint, "p256dh-" + endpoint, "auth", at}, 2);
  };
  const auto a1 = sub(ann, "https://push.example/1", 10);
  sub(ann, "https://push.example/2", 20);
  sub(ann, "https://push.example/3", 30);  // the oldest of three goes
  const auto listed = push().ListPushSubscriptions(ann);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].endpoint, "https://push.example/2");
  const auto moved = sub(bob, "https://push.example/2", 40);  // the browser changed hands
  EXPECT_EQ(moved.user_id, bob);
  EXPECT_EQ(push().ListPushSubscriptions(ann).size(), 1u);
  EXPECT_GT(a1.id, 0);

  for (int i = 0; i < 4; ++i)
    push().EnqueuePush(bob, "{\"n\":" + std::to_string(i) + "}", "high", 50 + i, 3);
  auto due = push().DuePushDeliveries(100, 10);
  ASSERT_EQ(due.size(), 3u);  // three kept per subscription
  EXPECT_EQ(due[0].payload, "{\"n\":1}");
  EXPECT_EQ(due[0].subscription.endpoint, "https://push.example/2");
  EXPECT_EQ(due[0].urgency, "high");
  push().ReschedulePushDelivery(due[0].id, 1, 500);
  EXPECT_EQ(push().DuePushDeliveries(100, 10).size(), 2u);
  EXPECT_EQ(push().DuePushDeliveries(500, 10).back().attempts, 1);
  push().DeletePushDelivery(due[1].id);
  EXPECT_EQ(push().DuePushDeliveries(500, 10).size(), 2u);
  push().EnqueuePush(NewUser("cat"), "{}", "normal", 60, 3);  // no subscription: nothing queued

  EXPECT_FALSE(push().DeletePushSubscription(ann, "https://push.example/2"));  // not hers
  EXPECT_TRUE(push().DeletePushSubscription(bob, "https://push.example/2"));
  EXPECT_TRUE(push().DuePushDeliveries(500, 10).empty());  // its deliveries went with it
  push().DeletePushSubscriptionById(push().ListPushSubscriptions(ann).at(0).id);
  EXPECT_TRUE(push().ListPushSubscriptions(ann).empty());
}

TEST_P(EngagementRepositoriesContract, AClaimedDeliveryIsNotClaimedAgainUntilItsLeaseLapses) {
  const Id ann = NewUser("ann");
  PushSubscription s;
  s.user_id = ann;
  s.endpoint = "https://push.example/a";
  s.p256dh = "key";
  s.auth = "auth";
  s.created_at = 10;
  push().SavePushSubscription(s, 5);
  for (int i = 0; i < 3; ++i) push().EnqueuePush(ann, "{}", "normal", 50 + i, 5);

  const auto first = push().ClaimDuePushDeliveries(100, 1000, 2);
  ASSERT_EQ(first.size(), 2u);
  const auto second = push().ClaimDuePushDeliveries(100, 1000, 10);
  ASSERT_EQ(second.size(), 1u) << "only the one nobody has claimed";
  EXPECT_NE(second[0].id, first[0].id);
  EXPECT_NE(second[0].id, first[1].id);
  EXPECT_TRUE(push().ClaimDuePushDeliveries(1099, 1000, 10).empty());
  // The sender that claimed them died: at the end of the lease they are due for anyone.
  const auto retried = push().ClaimDuePushDeliveries(1100, 1000, 10);
  EXPECT_EQ(retried.size(), 3u);
  EXPECT_EQ(retried[0].subscription.endpoint, "https://push.example/a");
  EXPECT_EQ(retried[0].attempts, 0) << "a claim is not an attempt";
}

TEST_P(EngagementRepositoriesContract, ReferralCodesReferralsAndRememberedDevices) {
  const Id ann = NewUser("ann");
  const Id bob = NewUser("bob");
  const Id cat = NewUser("cat");
  EXPECT_FALSE(referrals().FindReferralCode(ann).has_value());
  EXPECT_TRUE(referrals().SaveReferralCode(ann, "ANN123", 10));
  EXPECT_FALSE(referrals().SaveReferralCode(bob, "ANN123", 11));  // taken
  EXPECT_EQ(referrals().FindReferralCode(ann), "ANN123");
  EXPECT_EQ(referrals().FindUserByReferralCode("ANN123"), ann);
  EXPECT_FALSE(referrals().FindUserByReferralCode("NOPE").has_value());

  EXPECT_TRUE(referrals().RecordReferral(ann, bob, ReferralStatus::kCredited, "", 20));
  EXPECT_FALSE(referrals().RecordReferral(ann, bob, ReferralStatus::kCredited, "", 21));
  EXPECT_TRUE(referrals().RecordReferral(ann, cat, ReferralStatus::kRefused, "same_device", 22));
  EXPECT_EQ(referrals().CountCreditedReferrals(ann), 1);

  referrals().RememberDevice(ann, "dev-1", 10, 2);
  referrals().RememberDevice(ann, "dev-2", 20, 2);
  referrals().RememberDevice(ann, "dev-1", 30, 2);  // seen again: now the newest
  referrals().RememberDevice(ann, "dev-3", 40, 2);  // dev-2 is the oldest and goes
  EXPECT_TRUE(referrals().DeviceSeenFor(ann, "dev-1"));
  EXPECT_FALSE(referrals().DeviceSeenFor(ann, "dev-2"));
  EXPECT_FALSE(referrals().DeviceSeenFor(bob, "dev-1"));
}

TEST_P(EngagementRepositoriesContract, BroadcastsAreOncePerKeyAndWalkTheUsersInIdOrder) {
  const Id admin = NewUser("admin", 5);
  const Id ann = NewUser("ann", 10);
  const Id banned = NewUser("banned", 10);
  users().SetUserBanned(banned, true);
  NewUser("late", 500);
  Broadcast b{0, "announcement", "Hello", "Season 2 starts", "/story", "ann:1", admin, 100, 0,
              0, std::nullopt};
  const auto id = broadcasts().AppendBroadcast(b);
  ASSERT_TRUE(id.has_value());
  EXPECT_FALSE(broadcasts().AppendBroadcast(b).has_value());
  EXPECT_EQ(broadcasts().NextPendingBroadcast()->id, *id);
  // Those who were there when it was written, not banned, from the cursor on.
  EXPECT_EQ(broadcasts().UserIdsFrom(0, 100, 10), (std::vector<Id>{admin, ann}));
  EXPECT_EQ(broadcasts().UserIdsFrom(ann, 100, 10), (std::vector<Id>{ann}));
  broadcasts().AdvanceBroadcast(*id, ann + 1, 2, std::nullopt);
  EXPECT_EQ(broadcasts().NextPendingBroadcast()->next_user_id, ann + 1);
  broadcasts().AdvanceBroadcast(*id, ann + 1, 2, 150);
  EXPECT_FALSE(broadcasts().NextPendingBroadcast().has_value());
  const auto recent = broadcasts().RecentBroadcasts("announcement", 5);
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].delivered, 2);
  EXPECT_EQ(recent[0].finished_at, 150);
  EXPECT_EQ(recent[0].created_by, admin);
  EXPECT_TRUE(broadcasts().RecentBroadcasts("round_started", 5).empty());
}

TEST_P(EngagementRepositoriesContract, ContactMessagesAreFiledByStatusNewestFirst) {
  const Id ann = NewUser("ann");
  const auto first = contact().InsertContactMessage(
      ContactMessage{0, ann, "Ann", "ann@example.com", "Hi", "A question", "ignored", 10});
  EXPECT_EQ(first.status, "open");
  EXPECT_GT(first.id, 0);
  const auto second = contact().InsertContactMessage(
      ContactMessage{0, std::nullopt, "", "x@example.com", "Bug", "It broke", "open", 20});
  EXPECT_EQ(contact().CountContactMessages("open"), 2);
  const auto open = contact().ListContactMessages("open", std::nullopt, 10);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].id, second.id);
  EXPECT_FALSE(open[0].user_id.has_value());
  EXPECT_EQ(contact().ListContactMessages("open", second.id, 10).at(0).body, "A question");
  EXPECT_TRUE(contact().SetContactStatus(first.id, "archived"));
  EXPECT_FALSE(contact().SetContactStatus(first.id + 100, "archived"));
  EXPECT_EQ(contact().CountContactMessages("archived"), 1);
}

AIMOVIEZ_ON_EVERY_BACKEND(EngagementRepositoriesContract);

}  // namespace
}  // namespace aimoviez
