// The background jobs with several nodes on one PostgreSQL, each node with its own connections as
// in cluster mode: progression reads votes in commit order and one pass at a time, a broadcast's
// batch and a push delivery are taken by one node, and a job lease passes to another node when
// its holder stops renewing it (a killed node), after which the old holder's writes are refused;
// and two nodes running auto-advance round after round lock one winner per slot.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "domain/broadcast_service.h"
#include "domain/job_lease.h"
#include "domain/notification_service.h"
#include "domain/progression_service.h"
#include "domain/season_service.h"
#include "postgres_support.h"
#include "storage/postgres/postgres_store.h"
#include "test_support.h"

namespace aimoviez {
namespace {

// A node: its own store (connection pool) and the services its job runner drives.
struct JobNode {
  JobNode(const std::string& url, const Clock& clock)
      : store(url, pg::PoolOptions{2}),
        notifications(store, clock),
        progression(store, clock, notifications, XpRules{}, /*daily_goal=*/1000),
        broadcasts(store, clock, notifications),
        seasons(store, clock, SeasonLimits{}) {}
  pg::PostgresStore store;
  NotificationService notifications;
  ProgressionService progression;
  BroadcastService broadcasts;
  SeasonService seasons;
};

class ClusterJobsTest : public testing::MigratedPostgresTest {
 protected:
  void SetUp() override {
    MigratedPostgresTest::SetUp();
    if (!store_) return;
    user_ = store_->CreateUser("ana@example.com", "ana", clock_.NowMs())->id;
  }

  std::unique_ptr<JobNode> MakeNode() { return std::make_unique<JobNode>(schema_->url(), clock_); }

  // A signed-in vote as the vote ledger stores it (an id from the shared sequence), on a
  // connection of its own so the test decides when its transaction ends. Each on its own clip.
  void InsertVote(pg::Connection& c) {
    c.Exec(
        "INSERT INTO votes (id, clip_id, voter_key, user_id, season_id, slot_position, "
        "created_at) VALUES (nextval('vote_ids'), $1, $2, $3, 1, 1, $4)",
        pg::Params(++next_clip_, "user_" + std::to_string(user_), user_, clock_.NowMs()));
  }

  std::int64_t VotesCast() { return store_->LoadProgress(user_).counters.votes_cast; }

  // Progression applies votes of transactions older than the oldest one still open anywhere on
  // the PostgreSQL server, and the unit tests beside this one (ctest -j2) share that server: a
  // pass may find nothing until their open transactions end. So these tests apply until
  // `wanted` votes are applied in all (or 10 s pass), then check the totals. Returns what this
  // caller's passes applied.
  static int ApplyUntil(JobNode& node, int batch, std::atomic<int>& applied_total, int wanted) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int applied = 0;
    while (applied_total.load() < wanted && std::chrono::steady_clock::now() < deadline) {
      const int n = node.progression.ApplyPending(batch);
      applied += n;
      applied_total += n;
      if (n == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return applied;
  }

  testing::ManualClock clock_{1'795'000'000'000};
  Id user_ = 0;
  Id next_clip_ = 1000;
};

TEST_F(ClusterJobsTest, ProgressionWaitsForAnEarlierVoteStillBeingCommitted) {
  pg::Connection slow(schema_->url());
  pg::Connection fast(schema_->url());
  slow.ExecScript("BEGIN");
  InsertVote(slow);  // the smaller id, still in flight (a node's batch mid-commit)
  InsertVote(fast);  // a larger id, committed first by another node
  auto node = MakeNode();
  EXPECT_EQ(node->progression.ApplyPending(100), 0)
      << "a vote committed after an earlier one still in flight waits for it";
  slow.ExecScript("COMMIT");
  std::atomic<int> applied{0};
  ApplyUntil(*node, 100, applied, 2);
  EXPECT_EQ(applied.load(), 2);
  EXPECT_EQ(VotesCast(), 2) << "with an id cursor the in-flight vote would be skipped for ever";
  EXPECT_EQ(node->progression.ApplyPending(100), 0);
}

TEST_F(ClusterJobsTest, TwoNodesApplyingProgressionAtOnceCountEachVoteOnce) {
  pg::Connection c(schema_->url());
  constexpr int kVotes = 300;
  for (int i = 0; i < kVotes; ++i) InsertVote(c);
  auto a = MakeNode();
  auto b = MakeNode();
  std::atomic<int> applied{0};
  auto on_a = std::async(std::launch::async, [&] { return ApplyUntil(*a, 7, applied, kVotes); });
  auto on_b = std::async(std::launch::async, [&] { return ApplyUntil(*b, 7, applied, kVotes); });
  EXPECT_EQ(on_a.get() + on_b.get(), kVotes) << "each vote applied by one node";
  EXPECT_EQ(VotesCast(), kVotes) << "no pass overwrote another's totals";
}

TEST_F(ClusterJobsTest, TwoNodesDeliverABroadcastToEveryAccountOnce) {
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(store_
                    ->CreateUser("u" + std::to_string(i) + "@example.com", "u" + std::to_string(i),
                                 clock_.NowMs())
                    .ok());
  }
  Broadcast b;
  b.type = "announcement";
  b.title = "Hello";
  b.body = "Everyone";
  b.link = "/story";
  b.dedupe_key = "hello";
  b.created_at = clock_.NowMs() + 1;
  ASSERT_TRUE(store_->AppendBroadcast(b).has_value());
  auto a = MakeNode();
  auto other = MakeNode();
  auto drain = [](JobNode& n) {
    while (n.broadcasts.DeliverPending(3) > 0) {
    }
  };
  auto on_a = std::async(std::launch::async, [&] { drain(*a); });
  auto on_b = std::async(std::launch::async, [&] { drain(*other); });
  on_a.get();
  on_b.get();
  const auto per_user = store_->database().Exec(
      "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM notifications WHERE type = 'announcement'");
  EXPECT_EQ(per_user.Int(0, 0), 41) << "every account told";
  EXPECT_EQ(per_user.Int(0, 1), 41) << "and none twice";
}

TEST_F(ClusterJobsTest, TwoNodesClaimDifferentPushDeliveries) {
  store_->SavePushSubscription(
      PushSubscription{0, user_, "https://push.example/a", "key", "auth", 1}, 5);
  auto a = MakeNode();
  auto b = MakeNode();
  constexpr int kDeliveries = 60;
  for (int i = 0; i < kDeliveries; ++i) {
    store_->EnqueuePush(user_, "{}", "normal", clock_.NowMs(), kDeliveries);
  }
  auto claim_all = [this](JobNode& n) {
    std::vector<Id> ids;
    for (;;) {
      const auto got = n.store.ClaimDuePushDeliveries(clock_.NowMs(), 60'000, 4);
      if (got.empty()) return ids;
      for (const auto& d : got) ids.push_back(d.id);
    }
  };
  auto on_a = std::async(std::launch::async, [&] { return claim_all(*a); });
  auto on_b = std::async(std::launch::async, [&] { return claim_all(*b); });
  auto ids = on_a.get();
  const auto more = on_b.get();
  ids.insert(ids.end(), more.begin(), more.end());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kDeliveries));
  EXPECT_EQ(std::set<Id>(ids.begin(), ids.end()).size(), ids.size()) << "none sent twice";
}

TEST_F(ClusterJobsTest, ALeaseLeftByAKilledNodePassesToAnotherAndFencesTheOldHolder) {
  auto a = MakeNode();
  auto b = MakeNode();
  constexpr EpochMs kTtl = 60'000;
  auto held = JobLease::TryTake(a->store, clock_, "media", "node-a", kTtl);
  ASSERT_TRUE(held.has_value());
  EXPECT_FALSE(JobLease::TryTake(b->store, clock_, "media", "node-b", kTtl).has_value());
  clock_.Advance(kTtl / 2);
  EXPECT_TRUE(held->Renew()) << "a live holder keeps it";
  clock_.Advance(kTtl - 1);
  EXPECT_FALSE(JobLease::TryTake(b->store, clock_, "media", "node-b", kTtl).has_value());

  // Node A stops renewing (killed, or paused): at the end of its lease node B takes over.
  clock_.Advance(1);
  auto taken = JobLease::TryTake(b->store, clock_, "media", "node-b", kTtl);
  ASSERT_TRUE(taken.has_value());
  EXPECT_GT(taken->token(), held->token());
  bool stale_wrote = false;
  a->store.Transaction([&] { stale_wrote = held->IsCurrent(); });
  EXPECT_FALSE(stale_wrote) << "the old holder's result is not written";
  EXPECT_FALSE(held->Renew());
  b->store.Transaction([&] { EXPECT_TRUE(taken->IsCurrent()); });
}

TEST_F(ClusterJobsTest, TwoNodesRunningAutoAdvanceFor200RoundsLockOneWinnerPerSlot) {
  constexpr int kRounds = 200;
  constexpr std::int64_t kWindowSeconds = 60;
  const AuditActor admin{1, "admin@example.com"};
  auto a = MakeNode();
  auto b = MakeNode();
  auto season = a->seasons.CreateSeason(
      SeasonDraft{"Two nodes", "Action", "", kRounds, kWindowSeconds}, admin);
  ASSERT_TRUE(season.ok());
  ASSERT_TRUE(a->seasons.ActivateSeason(season->id, admin).ok());
  // One clip more than there are slots: each round locks one, the losers carry on.
  for (int i = 0; i <= kRounds; ++i) {
    Clip c;
    c.title = "clip " + std::to_string(i);
    c.status = ClipStatus::kPending;
    c.created_at = clock_.NowMs();
    ASSERT_TRUE(a->seasons.ApproveClip(store_->InsertClip(c).id, admin).ok());
  }
  for (int round = 1; round <= kRounds; ++round) {
    clock_.Advance((kWindowSeconds + 1) * 1000);
    // Both nodes' job runners wake at the same moment.
    std::promise<void> go;
    std::shared_future<void> start = go.get_future().share();
    auto run = [&](JobNode& n, const char* holder) {
      return std::async(std::launch::async, [&n, start, holder] {
        start.wait();
        return n.seasons.RunAutoAdvance(holder);
      });
    };
    auto on_a = run(*a, "node-a");
    auto on_b = run(*b, "node-b");
    go.set_value();
    const int advanced = on_a.get() + on_b.get();
    ASSERT_EQ(advanced, 1) << "round " << round;
  }
  EXPECT_EQ(store_->FindSeason(season->id)->status, SeasonStatus::kFinished);
  std::set<Id> winners;
  for (int position = 1; position <= kRounds; ++position) {
    const auto slot = store_->FindSlotAt(season->id, position);
    ASSERT_TRUE(slot.has_value());
    EXPECT_EQ(slot->status, SlotStatus::kLocked) << "slot " << position;
    ASSERT_TRUE(slot->winner_clip_id.has_value()) << "slot " << position;
    winners.insert(*slot->winner_clip_id);
  }
  EXPECT_EQ(winners.size(), static_cast<std::size_t>(kRounds)) << "a clip won two slots";
}

}  // namespace
}  // namespace aimoviez
