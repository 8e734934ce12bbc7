// Cluster mode's vote engine: two engines, each with its own PostgreSQL connections as two nodes
// would have, on one real PostgreSQL schema. Votes raced over both nodes are decided exactly once
// (one vote per voter and clip, the daily cap, power votes), counts converge on the stored rows,
// exposure is shared, and with the shared limits unreachable a vote is refused, never let by.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <set>
#include <thread>

#include "cluster/redis_client.h"
#include "cluster/redis_rate_windows.h"
#include "domain/season_service.h"
#include "engine/cluster/cluster_vote_engine.h"
#include "postgres_support.h"
#include "storage/postgres/pg_vote_ledger.h"
#include "storage/postgres/postgres_store.h"
#include "test_support.h"

namespace aimoviez {
namespace {

// A node: its own store and connections, its own engine.
struct Node {
  std::unique_ptr<pg::PostgresStore> store;
  std::unique_ptr<pg::PgVoteLedger> ledger;
  std::unique_ptr<engine::ClusterVoteEngine> engine;
};

Result<VoteOutcome> Wait(const std::function<void(VoteCallback)>& call) {
  std::promise<Result<VoteOutcome>> answer;
  call([&](Result<VoteOutcome> r, const RateLimitInfo&) { answer.set_value(std::move(r)); });
  return answer.get_future().get();
}

class ClusterVoteEngineTest : public testing::MigratedPostgresTest {
 protected:
  void SetUp() override {
    MigratedPostgresTest::SetUp();
    if (!store_) return;
    SeasonService seasons(*store_, clock_, SeasonLimits{});
    const AuditActor admin{1, "admin@example.com"};
    auto s = seasons.CreateSeason(SeasonDraft{"Cluster", "Action", "", 3, 3 * 86400}, admin);
    ASSERT_TRUE(s.ok());
    season_ = s->id;
    ASSERT_TRUE(seasons.ActivateSeason(season_, admin).ok());
    for (int i = 0; i < 3; ++i) {
      Clip c;
      c.title = "clip " + std::to_string(i);
      c.status = ClipStatus::kPending;
      c.created_at = clock_.NowMs();
      const Id id = store_->InsertClip(c).id;
      ASSERT_TRUE(seasons.ApproveClip(id, admin).ok());
      clips_.push_back(id);
    }
  }

  static VotePolicy Policy() {
    VotePolicy p;
    p.per_minute_limit = 1'000'000;
    p.per_ip_per_minute_limit = 1'000'000;
    return p;
  }

  Node MakeNode(RateWindows& windows, VotePolicy policy = Policy(), int tally_interval_ms = 50) {
    Node n;
    n.store = std::make_unique<pg::PostgresStore>(schema_->url(), pg::PoolOptions{4});
    n.ledger = std::make_unique<pg::PgVoteLedger>(n.store->database());
    n.engine = std::make_unique<engine::ClusterVoteEngine>(
        *n.store, *n.ledger, windows, clock_, policy,
        engine::ClusterEngineOptions{tally_interval_ms});
    n.engine->Load();
    return n;
  }

  static CastRequest Cast(const std::string& voter, Id clip, VoteType type = VoteType::kStandard,
                          bool multi = false) {
    CastRequest r;
    r.voter_key = voter;
    r.ip = "203.0.113.7";
    r.clip_id = clip;
    r.type = type;
    r.multi_vote = multi;
    return r;
  }

  static Result<VoteOutcome> CastOn(Node& node, const CastRequest& req) {
    return Wait([&](VoteCallback done) { node.engine->Cast(req, std::move(done)); });
  }

  // Sends every request at once, alternating between the nodes; the answers in request order.
  static std::vector<Result<VoteOutcome>> Race(Node& a, Node& b,
                                               const std::vector<CastRequest>& requests) {
    std::vector<std::promise<Result<VoteOutcome>>> answers(requests.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      threads.emplace_back([&, i] {
        Node& node = i % 2 == 0 ? a : b;
        node.engine->Cast(requests[i], [&answers, i](Result<VoteOutcome> r, const RateLimitInfo&) {
          answers[i].set_value(std::move(r));
        });
      });
    }
    for (auto& t : threads) t.join();
    std::vector<Result<VoteOutcome>> out;
    for (auto& p : answers) out.push_back(p.get_future().get());
    return out;
  }

  // A clip approved through this test's own store: another node, as the engines see it.
  Id ApproveNewClip(const std::string& title) {
    SeasonService seasons(*store_, clock_, SeasonLimits{});
    Clip c;
    c.title = title;
    c.status = ClipStatus::kPending;
    c.created_at = clock_.NowMs();
    const Id id = store_->InsertClip(c).id;
    EXPECT_TRUE(seasons.ApproveClip(id, AuditActor{1, "admin@example.com"}).ok());
    return id;
  }

  // Another node (this test's store) closes round 1: clip 0 wins, the others go on to round 2.
  void CloseRoundOneElsewhere() {
    SeasonService seasons(*store_, clock_, SeasonLimits{});
    const auto slot = store_->FindOpenSlot(season_);
    ASSERT_TRUE(slot);
    auto closed = seasons.AssignWinner(slot->id, clips_[0], AuditActor{1, "admin@example.com"});
    ASSERT_TRUE(closed.ok()) << closed.error().code;
    ASSERT_EQ(closed->winner_clip_id, clips_[0]);
  }

  std::int64_t StoredRows(Id clip) {
    return store_->database()
        .Exec("SELECT COUNT(*) FROM votes WHERE clip_id = $1", pg::Params(clip))
        .Int(0, 0);
  }

  testing::ManualClock clock_{1'795'000'000'000};
  Id season_ = 0;
  std::vector<Id> clips_;
  LocalRateWindows shared_windows_;  // the one set of windows both nodes count in
};

int Accepted(const std::vector<Result<VoteOutcome>>& answers) {
  int n = 0;
  for (const auto& a : answers) n += a.ok() ? 1 : 0;
  return n;
}

TEST_F(ClusterVoteEngineTest, SixtyFourVotersOnOneClipOverTwoNodesAreSixtyFourVotes) {
  Node a = MakeNode(shared_windows_);
  Node b = MakeNode(shared_windows_);
  std::vector<CastRequest> requests;
  for (int i = 0; i < 64; ++i) requests.push_back(Cast("voter-" + std::to_string(i), clips_[0]));
  auto answers = Race(a, b, requests);
  EXPECT_EQ(Accepted(answers), 64);
  EXPECT_EQ(StoredRows(clips_[0]), 64);
  // Each answer counts the votes committed up to it on either node: 1 to 64, each once.
  std::vector<std::int64_t> counts;
  for (auto& r : answers) counts.push_back(r.ok() ? r->vote_count : -1);
  std::sort(counts.begin(), counts.end());
  for (int i = 0; i < 64; ++i) EXPECT_EQ(counts[i], i + 1);
  // Both nodes show every vote after a refresh.
  a.engine->Refresh();
  b.engine->Refresh();
  EXPECT_EQ(a.engine->Counts(clips_[0])->vote_count, 64);
  EXPECT_EQ(b.engine->Counts(clips_[0])->vote_count, 64);
}

TEST_F(ClusterVoteEngineTest, OneVoterSixtyFourParallelVotesOverTwoNodesIsOneVote) {
  Node a = MakeNode(shared_windows_);
  Node b = MakeNode(shared_windows_);
  auto answers = Race(a, b, std::vector<CastRequest>(64, Cast("ann", clips_[1])));
  EXPECT_EQ(Accepted(answers), 1);
  for (auto& r : answers) {
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, "ALREADY_VOTED");
    }
  }
  EXPECT_EQ(StoredRows(clips_[1]), 1);
}

TEST_F(ClusterVoteEngineTest, AVoterAt199SendingFiftyOverTwoNodesEndsAtExactly200) {
  Node a = MakeNode(shared_windows_);
  Node b = MakeNode(shared_windows_);
  // 199 votes today already (from earlier rounds, say): the ledger's day row says so.
  store_->database().Exec(
      "INSERT INTO voter_days (voter_key, day_start, votes) VALUES ('bea', $1, 199)",
      pg::Params(UtcDayStart(clock_.NowMs())));
  // Multi-vote, so each of the 50 could be a further vote on the same clip.
  auto answers =
      Race(a, b, std::vector<CastRequest>(50, Cast("bea", clips_[2], VoteType::kStandard, true)));
  EXPECT_EQ(Accepted(answers), 1);
  for (auto& r : answers) {
    if (r.ok()) {
      EXPECT_EQ(r->total_votes_today, 200);
      EXPECT_EQ(r->remaining_today, 0);
    } else {
      EXPECT_EQ(r.error().code, "DAILY_LIMIT");
    }
  }
  EXPECT_EQ(
      store_->database().Exec("SELECT votes FROM voter_days WHERE voter_key = 'bea'").Int(0, 0),
      200);
}

TEST_F(ClusterVoteEngineTest, ASuperVoteIsSpentOnceAcrossNodes) {
  Node a = MakeNode(shared_windows_);
  Node b = MakeNode(shared_windows_);
  auto answers =
      Race(a, b,
           {Cast("cid", clips_[0], VoteType::kSuper), Cast("cid", clips_[1], VoteType::kSuper),
            Cast("cid", clips_[2], VoteType::kSuper)});
  EXPECT_EQ(Accepted(answers), 1);
  for (auto& r : answers) {
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, "POWER_VOTE_USED");
    }
  }
  // A mega vote is another allowance.
  EXPECT_TRUE(CastOn(b, Cast("cid", clips_[0], VoteType::kMega, true)).ok());
}

// What one network adds by anonymous votes is counted by the ledger, so two nodes together allow
// exactly the budget, not twice it.
TEST_F(ClusterVoteEngineTest, AnonymousVotesFromOneNetworkOverTwoNodesStopAtItsBudgets) {
  VotePolicy policy = Policy();
  policy.anon_per_clip_per_network = 6;
  policy.unverified_per_clip_per_network = 3;
  policy.anon_per_network_per_day = 10;
  Node a = MakeNode(shared_windows_, policy);
  Node b = MakeNode(shared_windows_, policy);
  const auto anonymous = [](const std::string& voter, Id clip, bool verified) {
    CastRequest r = Cast(voter, clip);
    r.network = 77;
    r.device_verified = verified;
    return r;
  };
  const auto reasons = [](const std::vector<Result<VoteOutcome>>& answers) {
    std::set<std::string> out;
    for (const auto& r : answers) {
      if (r.ok()) continue;
      EXPECT_EQ(r.error().code, "AUTH_REQUIRED");
      out.insert(std::string(r.error().details.at("reason").as_string()));
    }
    return out;
  };
  std::vector<CastRequest> on_clip;
  for (int i = 0; i < 20; ++i)
    on_clip.push_back(anonymous("net-" + std::to_string(i), clips_[0], true));
  auto answers = Race(a, b, on_clip);
  EXPECT_EQ(Accepted(answers), 6);
  EXPECT_EQ(reasons(answers), std::set<std::string>{"NETWORK_CLIP_BUDGET"});
  EXPECT_EQ(StoredRows(clips_[0]), 6);
  // Past half the clip budget (the 4th to 6th vote) the network's votes are flagged for review.
  EXPECT_EQ(store_->database()
                .Exec("SELECT COUNT(*) FROM votes WHERE clip_id = $1 AND flagged AND "
                      "flag_reason = 'busy_network'",
                      pg::Params(clips_[0]))
                .Int(0, 0),
            3);

  std::vector<CastRequest> unverified;
  for (int i = 0; i < 10; ++i) {
    unverified.push_back(anonymous("fp-" + std::to_string(i), clips_[1], false));
  }
  answers = Race(a, b, unverified);
  EXPECT_EQ(Accepted(answers), 3);
  EXPECT_EQ(reasons(answers), std::set<std::string>{"UNVERIFIED_DEVICE_BUDGET"});

  // 9 of the day's 10 are spent: one more, on any clip, then the day's budget.
  std::vector<CastRequest> more;
  for (int i = 0; i < 6; ++i)
    more.push_back(anonymous("day-" + std::to_string(i), clips_[2], true));
  answers = Race(a, b, more);
  EXPECT_EQ(Accepted(answers), 1);
  EXPECT_EQ(reasons(answers), std::set<std::string>{"NETWORK_DAILY_BUDGET"});
  // A signed-in voter on the same network is not counted against it.
  EXPECT_TRUE(CastOn(b, Cast("signed-in", clips_[0])).ok());
}

// An admin's invalidation gives nothing back, on any node; a voter's own withdrawal does.
TEST_F(ClusterVoteEngineTest, AnInvalidatedPowerVoteStaysSpentAWithdrawnOneDoesNot) {
  Node a = MakeNode(shared_windows_);
  Node b = MakeNode(shared_windows_);
  auto super = CastOn(a, Cast("gus", clips_[0], VoteType::kSuper));
  ASSERT_TRUE(super.ok());
  auto invalidated = Wait([&](VoteCallback done) {
    a.engine->Revoke(RevokeRequest{"gus", "", clips_[0], super->row_id}, std::move(done));
  });
  ASSERT_TRUE(invalidated.ok());
  EXPECT_EQ(StoredRows(clips_[0]), 0);
  auto again = CastOn(b, Cast("gus", clips_[1], VoteType::kSuper));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "POWER_VOTE_USED");
  EXPECT_EQ(StoredRows(clips_[1]), 0);

  auto mega = CastOn(b, Cast("gus", clips_[0], VoteType::kMega));
  ASSERT_TRUE(mega.ok());
  auto withdrawn = Wait([&](VoteCallback done) {
    a.engine->Revoke(RevokeRequest{"gus", "", clips_[0], 0}, std::move(done));
  });
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_TRUE(CastOn(a, Cast("gus", clips_[1], VoteType::kMega)).ok());
}

TEST_F(ClusterVoteEngineTest, EachInvalidationAnswersTheClipsCountAfterIt) {
  Node a = MakeNode(shared_windows_);
  Node b = MakeNode(shared_windows_);
  std::vector<Id> rows;
  for (int i = 0; i < 4; ++i) {
    auto r = CastOn(i % 2 == 0 ? a : b, Cast("inv-" + std::to_string(i), clips_[1]));
    ASSERT_TRUE(r.ok());
    rows.push_back(r->row_id);
  }
  for (int i = 0; i < 4; ++i) {
    auto removed = Wait([&](VoteCallback done) {
      a.engine->Revoke(RevokeRequest{"inv-" + std::to_string(i), "", clips_[1], rows[i]},
                       std::move(done));
    });
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(removed->vote_count, 3 - i);
  }
}

TEST_F(ClusterVoteEngineTest, VoteAndRevokeRacesLeaveCountsEqualToRows) {
  Node a = MakeNode(shared_windows_);
  Node b = MakeNode(shared_windows_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Node& node = t % 2 == 0 ? a : b;
      for (int i = 0; i < 10; ++i) {
        const std::string voter = "dee-" + std::to_string(i % 4);
        (void)CastOn(node, Cast(voter, clips_[0]));
        (void)Wait([&](VoteCallback done) {
          node.engine->Revoke(RevokeRequest{voter, "203.0.113.7", clips_[0], 0}, std::move(done));
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  a.engine->Refresh();
  b.engine->Refresh();
  EXPECT_EQ(a.engine->Counts(clips_[0])->vote_count, StoredRows(clips_[0]));
  EXPECT_EQ(b.engine->Counts(clips_[0])->vote_count, StoredRows(clips_[0]));
  EXPECT_TRUE(a.ledger->Reconcile(season_, 1).empty());
}

TEST_F(ClusterVoteEngineTest, AWithdrawnVoteGivesTheDayBackOnEitherNode) {
  Node a = MakeNode(shared_windows_);
  Node b = MakeNode(shared_windows_);
  ASSERT_TRUE(CastOn(a, Cast("eve", clips_[0])).ok());
  auto withdrawn = Wait([&](VoteCallback done) {
    b.engine->Revoke(RevokeRequest{"eve", "203.0.113.7", clips_[0], 0}, std::move(done));
  });
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_TRUE(withdrawn->withdrawn);
  EXPECT_EQ(withdrawn->total_votes_today, 0);
  EXPECT_EQ(StoredRows(clips_[0]), 0);
  const auto again = Wait([&](VoteCallback done) {
    a.engine->Revoke(RevokeRequest{"eve", "203.0.113.7", clips_[0], 0}, std::move(done));
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "VOTE_NOT_FOUND");
}

TEST_F(ClusterVoteEngineTest, WhatOneNodeShowsAVoterTheOtherKnows) {
  Node a = MakeNode(shared_windows_);
  Node b = MakeNode(shared_windows_);
  FeedRequest req;
  req.voter_key = "fay";
  req.limit = 2;
  const VoterFeed first = a.engine->Feed(req);
  ASSERT_EQ(first.clips.size(), 2U);
  // Impressions reach the ledger with node A's next tick (every 50 ms here).
  VoterStanding standing;
  for (int i = 0; i < 200 && standing.seen_clip_ids.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    standing = b.ledger->Standing(season_, 1, "fay", UtcDayStart(clock_.NowMs()));
  }
  ASSERT_EQ(standing.seen_clip_ids.size(), 2U);
  // Node B ranks the clip fay has not seen first, and counts each clip's exposure once.
  b.engine->Refresh();
  const VoterFeed second = b.engine->Feed(req);
  ASSERT_FALSE(second.clips.empty());
  const Id unseen = second.clips[0].clip->id;
  EXPECT_EQ(std::count(standing.seen_clip_ids.begin(), standing.seen_clip_ids.end(), unseen), 0);
  EXPECT_EQ(b.engine->Counts(first.clips[0].clip->id)->impressions, 1);
  EXPECT_EQ(b.engine->Counts(unseen)->impressions, 0);
}

TEST_F(ClusterVoteEngineTest, ANetworksNewReadersAreOneAllowanceOverTwoNodes) {
  VotePolicy policy = Policy();
  policy.new_readers_per_network_per_day = 3;
  Node a = MakeNode(shared_windows_, policy);
  Node b = MakeNode(shared_windows_, policy);
  auto read = [&](Node& node, const std::string& voter, std::uint64_t network) {
    FeedRequest r;
    r.voter_key = voter;
    r.limit = 2;
    r.network = network;
    EXPECT_EQ(node.engine->Feed(r).clips.size(), 2U);  // everyone is served
  };
  for (int i = 0; i < 10; ++i) read(i % 2 == 0 ? a : b, "device_new" + std::to_string(i), 7);
  read(b, "device_elsewhere", 8);  // another network has an allowance of its own
  read(a, "user_5", 0);            // a signed-in reader has no network and is always remembered
  const auto remembered = [&] {
    return store_->database()
        .Exec("SELECT COUNT(DISTINCT voter_key) FROM round_impressions WHERE season_id = $1",
              pg::Params(season_))
        .Int(0, 0);
  };
  for (int i = 0; i < 200 && remembered() < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // four more ticks of each node
  EXPECT_EQ(remembered(), 3 + 1 + 1);
}

TEST_F(ClusterVoteEngineTest, TheReconcilerSetsADriftedTallyToTheStoredRowsAndCountsIt) {
  Node a = MakeNode(shared_windows_);
  ASSERT_TRUE(CastOn(a, Cast("ida", clips_[0])).ok());
  ASSERT_TRUE(CastOn(a, Cast("jon", clips_[0], VoteType::kSuper)).ok());
  EXPECT_EQ(a.engine->Reconcile(), 0U);
  // Drift, as a bug or a hand edit would leave it.
  store_->database().Exec("UPDATE round_tallies SET votes = 7, score = 9 WHERE clip_id = $1",
                          pg::Params(clips_[0]));
  a.engine->Refresh();
  EXPECT_EQ(a.engine->Counts(clips_[0])->vote_count, 7);
  EXPECT_EQ(a.engine->Reconcile(), 1U);
  EXPECT_EQ(a.engine->Stats().tally_repairs, 1U);
  a.engine->Refresh();
  EXPECT_EQ(a.engine->Counts(clips_[0])->vote_count, 2);
  EXPECT_EQ(a.engine->Counts(clips_[0])->weighted_score, 4);
}

TEST_F(ClusterVoteEngineTest, WithTheSharedLimitsUnreachableAVoteIsRefusedNotLetThrough) {
  // A Redis address nothing listens on: the windows cannot be asked.
  redis::Pool pool(redis::Endpoint::Parse("redis://127.0.0.1:1"), 1,
                   std::chrono::milliseconds(200));
  cluster::RedisRateWindows unreachable(pool);
  Node a = MakeNode(unreachable);
  const auto r = CastOn(a, Cast("gus", clips_[0]));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "LIMITS_UNAVAILABLE");
  EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(StoredRows(clips_[0]), 0);
}

TEST_F(ClusterVoteEngineTest, AVoteOnARoundAnotherNodeClosedIsRefusedByTheLedger) {
  Node a = MakeNode(shared_windows_);
  // Another node locks the slot; this node's cache still says voting.
  store_->database().Exec(
      "UPDATE story_slots SET status = 'locked' WHERE season_id = $1 AND slot_position = 1",
      pg::Params(season_));
  const auto r = CastOn(a, Cast("hal", clips_[0]));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "CLIP_NOT_VOTABLE");
  EXPECT_EQ(StoredRows(clips_[0]), 0);
}

TEST_F(ClusterVoteEngineTest, AVoteForACarriedClipJustAfterAnotherNodesAdvanceCountsInTheNewRound) {
  // The tally interval is an hour: this node still serves round 1 when the vote arrives.
  Node a = MakeNode(shared_windows_, Policy(), /*tally_interval_ms=*/3'600'000);
  ASSERT_TRUE(CastOn(a, Cast("kim", clips_[0])).ok());
  ASSERT_NO_FATAL_FAILURE(CloseRoundOneElsewhere());

  // As in embedded mode, a vote for a clip still competing goes into the round it competes in.
  auto r = CastOn(a, Cast("lou", clips_[1]));
  ASSERT_TRUE(r.ok()) << r.error().code << " " << r.error().message;
  EXPECT_EQ(r->slot, 2);
  EXPECT_EQ(r->vote_count, 1);
  EXPECT_EQ(
      store_->database().Exec("SELECT slot_position FROM votes WHERE voter_key = 'lou'").Int(0, 0),
      2);
  // The winner is locked: a vote for it is still refused, and stores nothing.
  const auto locked = CastOn(a, Cast("lou", clips_[0]));
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, "CLIP_NOT_VOTABLE");
  EXPECT_EQ(StoredRows(clips_[0]), 1);
}

TEST_F(ClusterVoteEngineTest, AnUndoOnANodeThatHasNotSeenTheNewRoundWithdrawsTheVoteCastInIt) {
  // Both nodes read rounds only when told: the tally interval is an hour.
  Node a = MakeNode(shared_windows_, Policy(), /*tally_interval_ms=*/3'600'000);
  Node b = MakeNode(shared_windows_, Policy(), /*tally_interval_ms=*/3'600'000);
  ASSERT_NO_FATAL_FAILURE(CloseRoundOneElsewhere());

  // The vote lands on one node (which learns of round 2 from the ledger), the undo on the other.
  ASSERT_TRUE(CastOn(a, Cast("max", clips_[1])).ok());
  ASSERT_EQ(StoredRows(clips_[1]), 1);
  auto undo = Wait([&](VoteCallback done) {
    b.engine->Revoke(RevokeRequest{"max", "", clips_[1], 0}, std::move(done));
  });
  ASSERT_TRUE(undo.ok()) << undo.error().code;
  EXPECT_TRUE(undo->withdrawn);
  EXPECT_EQ(undo->slot, 2);
  EXPECT_EQ(undo->vote_count, 0);
  EXPECT_EQ(StoredRows(clips_[1]), 0);
  // An undo of a vote nobody cast is still "not found".
  auto none = Wait([&](VoteCallback done) {
    b.engine->Revoke(RevokeRequest{"max", "", clips_[2], 0}, std::move(done));
  });
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "VOTE_NOT_FOUND");
}

TEST_F(ClusterVoteEngineTest, AClipAnotherNodeJustApprovedTakesVotesAtOnce) {
  // The tally interval is an hour: only the read a refused vote causes can find the new clip.
  Node a = MakeNode(shared_windows_, Policy(), /*tally_interval_ms=*/3'600'000);
  // Another node (this test's store) approves a clip.
  const Id fresh = ApproveNewClip("approved elsewhere");

  auto r = CastOn(a, Cast("ida", fresh));
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r->vote_count, 1);
  EXPECT_EQ(StoredRows(fresh), 1);
  // A clip no node knows is still refused, after one more read.
  const auto before = a.engine->Stats().demand_refreshes;
  const auto unknown = CastOn(a, Cast("ida", 999'999));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "CLIP_NOT_VOTABLE");
  EXPECT_EQ(a.engine->Stats().demand_refreshes, before + 1);
}

TEST_F(ClusterVoteEngineTest, AFeedShowsTheRoundAsAnotherNodeJustChangedIt) {
  // The tally interval is an hour: only the round version can tell the node its round is old.
  Node a = MakeNode(shared_windows_, Policy(), /*tally_interval_ms=*/3'600'000);
  FeedRequest request;
  request.voter_key = "jo";
  request.limit = 20;
  EXPECT_EQ(a.engine->Feed(request).total_clips, 3U);
  const auto refreshes = a.engine->Stats().refreshes;
  EXPECT_EQ(a.engine->Feed(request).total_clips, 3U);
  EXPECT_EQ(a.engine->Stats().refreshes, refreshes) << "an unchanged round is not read again";

  const Id fresh = ApproveNewClip("approved elsewhere");
  const VoterFeed feed = a.engine->Feed(request);
  EXPECT_EQ(feed.total_clips, 4U);
  EXPECT_EQ(a.engine->Stats().refreshes, refreshes + 1);
  // Votes move counters, not the round: no further reads.
  ASSERT_TRUE(CastOn(a, Cast("jo", fresh)).ok());
  EXPECT_EQ(a.engine->Feed(request).total_clips, 4U);
  EXPECT_EQ(a.engine->Stats().refreshes, refreshes + 1);

  // A burst of feeds that all find the round old shares the reads of it.
  ApproveNewClip("approved elsewhere too");
  const auto burst_before = a.engine->Stats().refreshes;
  std::vector<std::thread> readers;
  std::atomic<int> saw_new_clip{0};
  for (int i = 0; i < 16; ++i) {
    readers.emplace_back([&, i] {
      FeedRequest r = request;
      r.voter_key = "burst" + std::to_string(i);
      if (a.engine->Feed(r).total_clips == 5U) ++saw_new_clip;
    });
  }
  for (auto& t : readers) t.join();
  EXPECT_EQ(saw_new_clip.load(), 16);
  EXPECT_LE(a.engine->Stats().refreshes, burst_before + 2);
}

}  // namespace
}  // namespace aimoviez
