// Referral tiers and codes, the referral service's one-credit and self-referral rules with the
// progression job paying tiers, and broadcasts fanned out in batches exactly once.
#include <gtest/gtest.h>

#include "domain/broadcast_service.h"
#include "domain/progression_service.h"
#include "domain/referral_service.h"
#include "test_support.h"

namespace aimoviez {
namespace {

TEST(ReferralTiers, EachTierIsReachedOnItsExactCount) {
  const XpRules rules;
  EXPECT_FALSE(ReferralTierReachedAt(rules, 0));
  ASSERT_TRUE(ReferralTierReachedAt(rules, 1));
  EXPECT_EQ(ReferralTierReachedAt(rules, 1)->name, "Connector");
  EXPECT_EQ(ReferralTierReachedAt(rules, 1)->xp, 50);
  for (int n : {2, 4, 6, 9, 11, 24, 26, 99, 101})
    EXPECT_FALSE(ReferralTierReachedAt(rules, n)) << n;
  EXPECT_EQ(ReferralTierReachedAt(rules, 5)->xp, 100);
  EXPECT_EQ(ReferralTierReachedAt(rules, 10)->xp, 200);
  EXPECT_EQ(ReferralTierReachedAt(rules, 25)->xp, 500);
  EXPECT_EQ(ReferralTierReachedAt(rules, 100)->name, "Legend");
  EXPECT_EQ(ReferralTierReachedAt(rules, 100)->xp, 1000);
}

TEST(ReferralTiers, CurrentAndNextFollowTheTable) {
  XpRules rules;
  rules.referral_tier = {1, 2, 3, 4, 5};  // amounts come from configuration
  EXPECT_FALSE(CurrentReferralTier(rules, 0));
  EXPECT_EQ(NextReferralTier(rules, 0)->name, "Connector");
  EXPECT_EQ(CurrentReferralTier(rules, 7)->name, "Networker");
  EXPECT_EQ(CurrentReferralTier(rules, 7)->xp, 2);
  EXPECT_EQ(NextReferralTier(rules, 7)->name, "Influencer");
  EXPECT_EQ(NextReferralTier(rules, 7)->referrals, 10);
  EXPECT_EQ(CurrentReferralTier(rules, 250)->name, "Legend");
  EXPECT_FALSE(NextReferralTier(rules, 100));
}

TEST(ReferralCodes, ShapeAndNormalisation) {
  EXPECT_TRUE(IsReferralCodeShaped("ABCDEFGH"));
  EXPECT_TRUE(IsReferralCodeShaped("Z2345679"));
  EXPECT_FALSE(IsReferralCodeShaped("ABCDEFG"));    // short
  EXPECT_FALSE(IsReferralCodeShaped("ABCDEFGHJ"));  // long
  EXPECT_FALSE(IsReferralCodeShaped("ABCDEF0H"));   // 0 looks like O
  EXPECT_FALSE(IsReferralCodeShaped("ABCDEFIH"));   // I looks like 1
  EXPECT_FALSE(IsReferralCodeShaped("abcdefgh"));   // normalised first
  EXPECT_FALSE(IsReferralCodeShaped("ABC'; --"));
  EXPECT_EQ(NormalizeReferralCode("  abcdefgh \n"), "ABCDEFGH");
}

class ReferralServiceTest : public testing::StoreTest {
 protected:
  ReferralServiceTest()
      : flags_(*store_, clock_, 0),
        notifications_(*store_, clock_),
        progression_(*store_, clock_, notifications_, XpRules{}, 200),
        referrals_(*store_, clock_, flags_, XpRules{}, "https://movie.example") {
    store_->SetFlag("referral_system", true, clock_.NowMs());
    inviter_ = *store_->CreateUser("host@example.com", "host", clock_.NowMs());
  }

  User NewUser(const std::string& name) {
    return *store_->CreateUser(name + "@example.com", name, clock_.NowMs());
  }
  void Drain() {
    while (progression_.ApplyPending(3) > 0) {
    }
  }
  std::string Code() { return referrals_.Summary(inviter_)->code; }

  FeatureFlags flags_;
  NotificationService notifications_;
  ProgressionService progression_;
  ReferralService referrals_;
  User inviter_;
};

TEST_F(ReferralServiceTest, SummaryMakesOneStableCodeAndLink) {
  auto first = referrals_.Summary(inviter_);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(IsReferralCodeShaped(first->code));
  EXPECT_EQ(first->link, "https://movie.example/join/" + first->code);
  EXPECT_EQ(referrals_.Summary(inviter_)->code, first->code);
  EXPECT_EQ(first->referrals, 0);
  EXPECT_FALSE(first->tier);
  EXPECT_EQ(first->next_tier->name, "Connector");
  EXPECT_EQ(referrals_.Inviter(first->code)->id, inviter_.id);
}

TEST_F(ReferralServiceTest, OneCreditPerAccountPaysTiersOnceThroughTheJob) {
  const std::string code = Code();
  for (int i = 1; i <= 5; ++i) {
    const User friend_user = NewUser("friend" + std::to_string(i));
    ASSERT_TRUE(referrals_.Claim(friend_user, code, "device_" + std::to_string(i)).ok());
    const auto again = referrals_.Claim(friend_user, code, "device_x");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "ALREADY_REFERRED");
  }
  Drain();
  Drain();
  const auto view = progression_.ViewOf(inviter_.id);
  EXPECT_EQ(view.counters.referrals, 5);
  // Connector 50 + Networker 100 + the Networker badge 25.
  EXPECT_EQ(view.xp, 175);
  auto summary = referrals_.Summary(inviter_);
  EXPECT_EQ(summary->referrals, 5);
  EXPECT_EQ(summary->tier->name, "Networker");
  const auto page = notifications_.List(inviter_.id, std::nullopt, 20);
  int invites = 0;
  for (const auto& n : page.items) invites += n.title == "Your invite worked";
  EXPECT_EQ(invites, 5);
}

TEST_F(ReferralServiceTest, SelfReferralByAccountOrDeviceIsRefused) {
  const std::string code = Code();
  const auto own = referrals_.Claim(inviter_, code, "");
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.error().code, "SELF_REFERRAL");

  referrals_.SignedInFrom(inviter_.id, "device_home");
  const User sock = NewUser("sock");
  const auto same_device = referrals_.Claim(sock, code, "device_home");
  ASSERT_FALSE(same_device.ok());
  EXPECT_EQ(same_device.error().code, "SELF_REFERRAL");
  // Final: the account's one referral was used by the refusal.
  EXPECT_EQ(referrals_.Claim(sock, code, "device_other").error().code, "ALREADY_REFERRED");
  Drain();
  EXPECT_EQ(progression_.ViewOf(inviter_.id).counters.referrals, 0);
}

TEST_F(ReferralServiceTest, DevicesRememberedAreBoundedPerAccount) {
  for (int i = 0; i < ReferralService::kDevicesKept + 5; ++i) {
    clock_.Advance(1000);
    referrals_.SignedInFrom(inviter_.id, "device_" + std::to_string(i));
  }
  EXPECT_FALSE(store_->DeviceSeenFor(inviter_.id, "device_0"));  // the oldest were dropped
  EXPECT_TRUE(store_->DeviceSeenFor(inviter_.id,
                                    "device_" + std::to_string(ReferralService::kDevicesKept + 4)));
}

TEST_F(ReferralServiceTest, LateAccountsUnknownCodesAndTheFlag) {
  const std::string code = Code();
  const User veteran = NewUser("veteran");
  clock_.Advance(ReferralService::kClaimWindowMs + 1);
  EXPECT_EQ(referrals_.Claim(veteran, code, "").error().code, "REFERRAL_WINDOW_CLOSED");
  const User fresh = NewUser("fresh");
  EXPECT_EQ(referrals_.Claim(fresh, "ZZZZZZZZ", "").error().code, "UNKNOWN_REFERRAL_CODE");
  EXPECT_EQ(referrals_.Claim(fresh, "nope", "").error().code, "UNKNOWN_REFERRAL_CODE");
  store_->SetFlag("referral_system", false, clock_.NowMs());
  EXPECT_EQ(referrals_.Claim(fresh, code, "").error().code, "FEATURE_DISABLED");
  EXPECT_EQ(referrals_.Summary(inviter_).error().code, "FEATURE_DISABLED");
}

class BroadcastServiceTest : public testing::StoreTest {
 protected:
  BroadcastServiceTest()
      : notifications_(*store_, clock_), broadcasts_(*store_, clock_, notifications_) {}

  std::int64_t Count(Id user, std::string_view type) {
    std::int64_t n = 0;
    for (const auto& item : notifications_.List(user, std::nullopt, 50).items)
      n += item.type == type;
    return n;
  }

  NotificationService notifications_;
  BroadcastService broadcasts_;
  AuditActor admin_{std::nullopt, "admin@example.com"};
};

TEST_F(BroadcastServiceTest, FansOutInBatchesToThoseWhoWereThereOnceEach) {
  std::vector<Id> users;
  for (int i = 0; i < 7; ++i) {
    users.push_back(store_
                        ->CreateUser("u" + std::to_string(i) + "@example.com",
                                     "user" + std::to_string(i), clock_.NowMs())
                        ->id);
  }
  store_->SetNotificationMuted(users[1], "announcement", true);
  store_->SetUserBanned(users[2], true);
  const auto sent = broadcasts_.Announce(admin_, {"Hello", "Body", "/story"});
  ASSERT_TRUE(sent.ok());
  clock_.Advance(1);
  const Id late = store_->CreateUser("late@example.com", "late", clock_.NowMs())->id;

  EXPECT_EQ(broadcasts_.DeliverPending(3), 3);
  EXPECT_EQ(broadcasts_.DeliverPending(3), 3);
  EXPECT_EQ(broadcasts_.DeliverPending(3), 0);  // the short batch finished it
  EXPECT_EQ(broadcasts_.DeliverPending(3), 0);  // nothing pending
  for (Id u : users) {
    const bool told = u != users[1] && u != users[2];
    EXPECT_EQ(Count(u, "announcement"), told ? 1 : 0) << u;
  }
  EXPECT_EQ(Count(late, "announcement"), 0);
  const auto recent = broadcasts_.Recent(5);
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].delivered, 5);
  EXPECT_TRUE(recent[0].finished_at);

  // A batch replayed after a crash (the cursor rolled back) stores nothing twice.
  store_->AdvanceBroadcast(recent[0].id, 0, 0, std::nullopt);
  while (broadcasts_.DeliverPending(3) == 3) {
  }
  for (Id u : users) EXPECT_LE(Count(u, "announcement"), 1) << u;
}

TEST_F(BroadcastServiceTest, AnnouncementsAreValidated) {
  auto field = [&](AnnouncementDraft d) {
    auto r = broadcasts_.Announce(admin_, std::move(d));
    return r.ok() ? std::string("ok")
                  : std::string(r.error().details.at("field").as_string().c_str());
  };
  EXPECT_EQ(field({"", "b", ""}), "title");
  EXPECT_EQ(field({"<b></b>", "b", ""}), "title");  // nothing left once markup is stripped
  EXPECT_EQ(field({std::string(81, 'x'), "b", ""}), "title");
  EXPECT_EQ(field({"t", "", ""}), "body");
  EXPECT_EQ(field({"t", std::string(501, 'y'), ""}), "body");
  EXPECT_EQ(field({"t", "b", "https://elsewhere.example"}), "link");
  EXPECT_EQ(field({"t", "b", "//elsewhere.example"}), "link");
  EXPECT_EQ(field({"t", "b", "/\\elsewhere.example"}), "link");
  EXPECT_EQ(field({"t", "b", "/story"}), "ok");
  EXPECT_EQ(field({"t", "b", ""}), "ok");
}

TEST(RoundStarted, EachOpeningOfASlotIsItsOwnBroadcast) {
  Season season;
  season.id = 4;
  season.label = "Summer";
  season.total_slots = 75;
  Slot slot;
  slot.position = 12;
  slot.voting_started_at = 1000;
  const auto first = RoundStartedBroadcast(season, slot, 1000);
  EXPECT_EQ(first.type, "round_started");
  EXPECT_EQ(first.title, "Slot 12 is open for votes");
  EXPECT_NE(first.body.find("Summer: the clips for scene 12 of 75"), std::string::npos);
  slot.voting_started_at = 5000;  // reopened by an admin
  EXPECT_NE(RoundStartedBroadcast(season, slot, 5000).dedupe_key, first.dedupe_key);
}

}  // namespace
}  // namespace aimoviez
