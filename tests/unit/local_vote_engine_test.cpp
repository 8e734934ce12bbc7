// The embedded engine against a real SQLite store: concurrent decisions, durability order,
// rebuild at load.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <thread>

#include "domain/season_service.h"
#include "engine/local/local_vote_engine.h"
#include "test_support.h"

namespace aimoviez {
namespace {

class LocalVoteEngineTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    SeasonService seasons(*store_, clock_, SeasonLimits{});
    const AuditActor admin{1, "admin@example.com"};
    auto s = seasons.CreateSeason(SeasonDraft{"Engine", "Action", "", 3, 3 * 86400}, admin);
    ASSERT_TRUE(s.ok());
    season_ = s->id;
    ASSERT_TRUE(seasons.ActivateSeason(season_, admin).ok());
    for (int i = 0; i < 10; ++i) {
      Clip c;
      c.title = "clip";
      c.status = ClipStatus::kPending;
      c.created_at = clock_.NowMs();
      const Id id = store_->InsertClip(c).id;
      ASSERT_TRUE(seasons.ApproveClip(id, admin).ok());
      clips_.push_back(id);
    }
  }

  std::unique_ptr<engine::LocalVoteEngine> MakeEngine(VotePolicy policy = Relaxed()) {
    auto e = std::make_unique<engine::LocalVoteEngine>(*store_, clock_, policy);
    e->Load();
    return e;
  }

  static VotePolicy Relaxed() {
    VotePolicy p;
    p.per_minute_limit = 1'000'000;
    p.per_ip_per_minute_limit = 1'000'000;
    return p;
  }

  // Casts and waits for the answer.
  static Result<VoteOutcome> CastSync(VoteEngine& e, const std::string& voter, Id clip) {
    std::promise<Result<VoteOutcome>> p;
    e.Cast(CastRequest{voter, std::nullopt, "127.0.0.1", clip, VoteType::kStandard, false},
           [&](Result<VoteOutcome> r, const RateLimitInfo&) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  // An anonymous vote from a network (tag), with or without the signed device cookie.
  static Result<VoteOutcome> CastFrom(VoteEngine& e, const std::string& voter, Id clip,
                                      std::uint64_t network, bool verified = true) {
    CastRequest request{voter, std::nullopt, "127.0.0.1", clip, VoteType::kStandard, false};
    request.network = network;
    request.device_verified = verified;
    std::promise<Result<VoteOutcome>> p;
    e.Cast(request,
           [&](Result<VoteOutcome> r, const RateLimitInfo&) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  std::int64_t StoredFor(Id clip) {
    std::int64_t n = 0;
    store_->ForEachVoteAt(season_, 1, [&](const StoredVote& v) { n += v.clip_id == clip; });
    return n;
  }

  Id season_ = 0;
  std::vector<Id> clips_;
};

TEST_F(LocalVoteEngineTest, ConcurrentDuplicateVotesStoreExactlyOne) {
  auto engine = MakeEngine();
  std::atomic<int> ok{0}, dup{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      auto r = CastSync(*engine, "device_same", clips_[0]);
      if (r.ok())
        ++ok;
      else if (r.error().code == "ALREADY_VOTED")
        ++dup;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(dup, 15);
  EXPECT_EQ(StoredFor(clips_[0]), 1);
  EXPECT_EQ(engine->Counts(clips_[0])->vote_count, 1);
}

TEST_F(LocalVoteEngineTest, DailyCapHoldsUnderConcurrency) {
  VotePolicy p = Relaxed();
  p.daily_limit = 3;
  auto engine = MakeEngine(p);
  std::atomic<int> ok{0}, capped{0};
  std::vector<std::thread> threads;
  for (Id clip : clips_) {
    threads.emplace_back([&, clip] {
      auto r = CastSync(*engine, "device_capped", clip);
      if (r.ok())
        ++ok;
      else if (r.error().code == "DAILY_LIMIT")
        ++capped;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(capped, 7);
}

TEST_F(LocalVoteEngineTest, AnswerComesAfterTheRowIsStored) {
  auto engine = MakeEngine();
  auto r = CastSync(*engine, "device_a", clips_[1]);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(StoredFor(clips_[1]), 1);  // visible in storage by the time the answer exists
}

TEST_F(LocalVoteEngineTest, ImpressionsAreRebuiltFromStorage) {
  std::vector<Id> shown_to_a;
  std::vector<Id> seen_by_a;
  {
    auto engine = MakeEngine();
    for (const auto& c : engine->Feed(FeedRequest{"device_a", {}, 4, true}).clips) {
      shown_to_a.push_back(c.clip->id);
    }
    ASSERT_EQ(shown_to_a.size(), 4u);
    engine->Feed(FeedRequest{"device_b", {}, 10, true});
    // A second page for a: unseen clips first, so four others.
    for (const auto& c : engine->Feed(FeedRequest{"device_a", {}, 4, true}).clips) {
      seen_by_a.push_back(c.clip->id);
    }
  }  // the engine commits its queued impressions before it stops
  auto engine = MakeEngine();
  std::int64_t total = 0;
  for (Id id : clips_) total += engine->Counts(id)->impressions;
  EXPECT_EQ(total, 4 + 10 + 4);  // each (voter, clip) once
  for (Id id : shown_to_a) EXPECT_EQ(engine->Counts(id)->impressions, 2);  // a and b
  // a has now seen eight of the ten clips: the two unseen come first.
  const auto feed = engine->Feed(FeedRequest{"device_a", {}, 2, false});
  ASSERT_EQ(feed.clips.size(), 2u);
  seen_by_a.insert(seen_by_a.end(), shown_to_a.begin(), shown_to_a.end());
  for (const auto& c : feed.clips) {
    EXPECT_EQ(std::count(seen_by_a.begin(), seen_by_a.end(), c.clip->id), 0);
  }
}

TEST_F(LocalVoteEngineTest, StateIsRebuiltFromStorage) {
  {
    auto engine = MakeEngine();
    ASSERT_TRUE(CastSync(*engine, "device_a", clips_[2]).ok());
    ASSERT_TRUE(CastSync(*engine, "device_b", clips_[2]).ok());
    ASSERT_TRUE(CastSync(*engine, "device_a", clips_[3]).ok());
  }
  auto engine = MakeEngine();
  EXPECT_EQ(engine->Counts(clips_[2])->vote_count, 2);
  EXPECT_EQ(CastSync(*engine, "device_a", clips_[2]).error().code, "ALREADY_VOTED");
  const auto feed = engine->Feed(FeedRequest{"device_a", {}, 20, false});
  EXPECT_EQ(feed.total_votes_today, 2);
  EXPECT_EQ(feed.voted_clip_ids.size(), 2u);
}

// Voters of every key form (issued device keys, user keys, anything else stored) keep their
// votes across a rebuild, and a key differing only in the case of its digits is someone else.
TEST_F(LocalVoteEngineTest, EveryVoterKeyFormSurvivesARebuild) {
  const std::string device = "device_00112233445566778899aabbccddeeff";
  const std::string device_upper = "device_00112233445566778899AABBCCDDEEFF";
  const std::vector<std::string> voters = {device, device_upper, "user_42", "user_042",
                                           "seeded voter 1"};
  {
    auto engine = MakeEngine();
    for (const auto& v : voters) ASSERT_TRUE(CastSync(*engine, v, clips_[4]).ok()) << v;
  }
  auto engine = MakeEngine();
  EXPECT_EQ(engine->Counts(clips_[4])->vote_count, static_cast<std::int64_t>(voters.size()));
  for (const auto& v : voters) {
    EXPECT_EQ(CastSync(*engine, v, clips_[4]).error().code, "ALREADY_VOTED") << v;
    EXPECT_EQ(engine->Feed(FeedRequest{v, {}, 20, false}).total_votes_today, 1) << v;
  }
  EXPECT_TRUE(CastSync(*engine, "device_00112233445566778899aabbccddeefe", clips_[4]).ok());
}

// Today's votes in other rounds count toward the daily cap at load. The store finds them by id
// when the open round's votes form an id range of their own, and by season and position when
// another round's vote lies inside that range; both must give the same answer.
TEST_F(LocalVoteEngineTest, TodaysVotesOfOtherRoundsAreFoundWithOrWithoutInterleaving) {
  const EpochMs today = UtcDayStart(clock_.NowMs());
  auto row = [&](Id id, int position, const std::string& voter, EpochMs at) {
    VoteWrite w;
    w.record = VoteRecord{id,    clips_[0], season_, voter, std::nullopt, 1, "standard", position,
                          false, at,        0,       ""};
    return w;
  };
  auto counts = [&](std::optional<std::pair<Id, int>> except) {
    std::map<std::string, int> out;
    store_->ForEachVoteSince(
        today, except, [&](std::string_view voter, std::int64_t) { ++out[std::string(voter)]; });
    return out;
  };
  using Counts = std::map<std::string, int>;
  // Round 1 holds ids 4-6 alone; round 2's votes come before and after it.
  store_->ApplyVoteBatch(
      {row(1, 2, "a", today + 5), row(2, 2, "a", today + 6), row(3, 2, "b", today - 1),
       row(4, 1, "a", today + 7), row(5, 1, "c", today + 8), row(6, 1, "c", today + 9),
       row(10, 2, "d", today + 10)},
      {}, {});
  EXPECT_EQ(counts(std::pair<Id, int>{season_, 1}), (Counts{{"a", 2}, {"d", 1}}));
  EXPECT_EQ(counts(std::pair<Id, int>{season_, 7}), (Counts{{"a", 3}, {"c", 2}, {"d", 1}}));
  EXPECT_EQ(counts(std::nullopt), (Counts{{"a", 3}, {"c", 2}, {"d", 1}}));
  // A vote of round 3 inside round 1's range (8 extends it past 7).
  store_->ApplyVoteBatch({row(7, 3, "c", today + 11), row(8, 1, "b", today + 12)}, {}, {});
  EXPECT_EQ(counts(std::pair<Id, int>{season_, 1}), (Counts{{"a", 2}, {"c", 1}, {"d", 1}}));
  EXPECT_EQ(counts(std::pair<Id, int>{season_, 2}), (Counts{{"a", 1}, {"b", 1}, {"c", 3}}));
}

TEST_F(LocalVoteEngineTest, DayBoundaryResetsTheCap) {
  VotePolicy p = Relaxed();
  p.daily_limit = 1;
  clock_.Set(UtcDayStart(clock_.NowMs()) + 86'400'000 - 1000);  // one second before midnight
  auto engine = MakeEngine(p);
  ASSERT_TRUE(CastSync(*engine, "device_d", clips_[4]).ok());
  EXPECT_EQ(CastSync(*engine, "device_d", clips_[5]).error().code, "DAILY_LIMIT");
  clock_.Advance(2000);
  EXPECT_TRUE(CastSync(*engine, "device_d", clips_[5]).ok());
}

TEST_F(LocalVoteEngineTest, ClockSteppedBackAcrossMidnightKeepsTheDaysCount) {
  VotePolicy p = Relaxed();
  p.daily_limit = 1;
  const EpochMs midnight = UtcDayStart(clock_.NowMs()) + 86'400'000;
  clock_.Set(midnight + 1000);  // one second into the new day
  auto engine = MakeEngine(p);
  ASSERT_TRUE(CastSync(*engine, "device_j", clips_[4]).ok());
  // An NTP correction steps the wall clock back to the previous day: no fresh allowance.
  clock_.Set(midnight - 2000);
  EXPECT_EQ(CastSync(*engine, "device_j", clips_[5]).error().code, "DAILY_LIMIT");
  clock_.Set(midnight + 86'400'000 + 1000);  // the day after: a new allowance
  EXPECT_TRUE(CastSync(*engine, "device_j", clips_[5]).ok());
}

TEST_F(LocalVoteEngineTest, ClockSteppedBackStillSnapshotsCounters) {
  auto engine = MakeEngine();
  ASSERT_TRUE(CastSync(*engine, "device_s1", clips_[6]).ok());
  EXPECT_EQ(store_->FindClip(clips_[6])->vote_count, 1);
  clock_.Advance(-3'600'000);  // an hour back
  ASSERT_TRUE(CastSync(*engine, "device_s2", clips_[6]).ok());
  // The counter snapshot rides the same batch: it was not held back until the clock caught up.
  EXPECT_EQ(store_->FindClip(clips_[6])->vote_count, 2);
}

TEST_F(LocalVoteEngineTest, RateLimitSlidesOverTheMinute) {
  VotePolicy p = Relaxed();
  p.per_minute_limit = 2;
  clock_.Set((clock_.NowMs() / 60'000) * 60'000);  // start of a minute
  auto engine = MakeEngine(p);
  ASSERT_TRUE(CastSync(*engine, "device_r", clips_[0]).ok());
  ASSERT_TRUE(CastSync(*engine, "device_r", clips_[1]).ok());
  std::promise<RateLimitInfo> info;
  engine->Cast(
      CastRequest{"device_r", std::nullopt, "127.0.0.1", clips_[2], VoteType::kStandard, false},
      [&](Result<VoteOutcome> r, const RateLimitInfo& rate) {
        EXPECT_EQ(r.error().code, "RATE_LIMITED");
        info.set_value(rate);
      });
  const auto rate = info.get_future().get();
  EXPECT_EQ(rate.limit, 2);
  EXPECT_GE(rate.retry_after_seconds, 1);
  clock_.Advance(120'000);
  EXPECT_TRUE(CastSync(*engine, "device_r", clips_[2]).ok());
}

TEST_F(LocalVoteEngineTest, RapidVotingIsFlaggedNotBlocked) {
  VotePolicy p = Relaxed();
  p.rapid_streak = 3;
  auto engine = MakeEngine(p);
  std::vector<bool> flags;
  for (int i = 0; i < 5; ++i) {
    auto r = CastSync(*engine, "device_bot", clips_[i]);
    ASSERT_TRUE(r.ok());
    flags.push_back(r->flagged);
    clock_.Advance(100);
  }
  EXPECT_EQ(flags, (std::vector<bool>{false, false, true, true, true}));
}

TEST_F(LocalVoteEngineTest, NetworkBudgetBoundsWhatOneNetworkAddsToAClip) {
  VotePolicy p = Relaxed();
  p.anon_per_clip_per_network = 4;
  p.unverified_per_clip_per_network = 2;
  p.anon_per_network_per_day = 7;
  auto engine = MakeEngine(p);
  constexpr std::uint64_t kHome = 11, kCampus = 22;
  // Fingerprint-only voters reach their smaller share first.
  EXPECT_TRUE(CastFrom(*engine, "device_u1", clips_[0], kHome, false).ok());
  EXPECT_TRUE(CastFrom(*engine, "device_u2", clips_[0], kHome, false).ok());
  auto refused = CastFrom(*engine, "device_u3", clips_[0], kHome, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "AUTH_REQUIRED");
  EXPECT_EQ(refused.error().details.at("reason").as_string(), "UNVERIFIED_DEVICE_BUDGET");
  // Devices with the cookie fill the rest of the clip's budget, then are asked to sign in too.
  EXPECT_TRUE(CastFrom(*engine, "device_v1", clips_[0], kHome).ok());
  EXPECT_TRUE(CastFrom(*engine, "device_v2", clips_[0], kHome).ok());
  refused = CastFrom(*engine, "device_v3", clips_[0], kHome);
  EXPECT_EQ(refused.error().details.at("reason").as_string(), "NETWORK_CLIP_BUDGET");
  // Another network and signed-in voters are not touched by it.
  EXPECT_TRUE(CastFrom(*engine, "device_c1", clips_[0], kCampus).ok());
  EXPECT_TRUE(CastSync(*engine, "user_5", clips_[0]).ok());
  // Over all clips the network has 7 a day: 4 used, 3 more, then none.
  EXPECT_TRUE(CastFrom(*engine, "device_v1", clips_[1], kHome).ok());
  EXPECT_TRUE(CastFrom(*engine, "device_v1", clips_[2], kHome).ok());
  EXPECT_TRUE(CastFrom(*engine, "device_v1", clips_[3], kHome).ok());
  refused = CastFrom(*engine, "device_v1", clips_[4], kHome);
  EXPECT_EQ(refused.error().details.at("reason").as_string(), "NETWORK_DAILY_BUDGET");
  EXPECT_EQ(StoredFor(clips_[0]), 6);

  // The counts are rebuilt from the stored votes: a restart gives nothing back.
  engine.reset();
  engine = MakeEngine(p);
  EXPECT_EQ(
      CastFrom(*engine, "device_v9", clips_[0], kHome).error().details.at("reason").as_string(),
      "NETWORK_DAILY_BUDGET");
  EXPECT_TRUE(CastFrom(*engine, "device_c2", clips_[0], kCampus).ok());
  // The next UTC day starts afresh.
  clock_.Set(NextUtcDayStart(clock_.NowMs()) + 1000);
  EXPECT_TRUE(CastFrom(*engine, "device_v9", clips_[0], kHome).ok());
}

TEST_F(LocalVoteEngineTest, SuspiciousAnonymousVotesAreStoredWithTheirReasons) {
  VotePolicy p = Relaxed();
  p.anon_per_clip_per_network = 4;
  auto engine = MakeEngine(p);
  ASSERT_TRUE(CastFrom(*engine, "device_f1", clips_[0], 5, false).ok());
  ASSERT_TRUE(CastFrom(*engine, "device_f2", clips_[0], 5).ok());
  ASSERT_TRUE(CastFrom(*engine, "device_f3", clips_[0], 5).ok());  // 3 of 4: a busy network
  ASSERT_TRUE(CastSync(*engine, "user_9", clips_[0]).ok());
  engine->Shutdown();
  std::map<std::string, std::string> reasons;
  std::map<std::string, std::int64_t> networks;
  store_->ForEachVoteAt(season_, 1, [&](const StoredVote& v) {
    networks[v.voter_key] = v.network;
    reasons[v.voter_key] = v.unverified_device ? "unverified" : "";
  });
  EXPECT_EQ(networks["device_f1"], 5);
  EXPECT_EQ(networks["user_9"], 0);  // signed-in votes keep no network
  EXPECT_EQ(reasons["device_f1"], "unverified");
  EXPECT_EQ(reasons["device_f2"], "");
  const auto flagged = store_->ListFlaggedVotes(season_, 1, 10);
  ASSERT_EQ(flagged.size(), 2U);
}

TEST_F(LocalVoteEngineTest, ReadersLeaveStateOnlyWithinTheirNetworksAllowance) {
  VotePolicy p = Relaxed();
  p.new_readers_per_network_per_day = 3;
  auto engine = MakeEngine(p);
  auto total_impressions = [&] {
    std::int64_t n = 0;
    for (Id id : clips_) n += engine->Counts(id)->impressions;
    return n;
  };
  auto read = [&](const std::string& voter, bool recorded, std::uint64_t network) {
    FeedRequest r;
    r.voter_key = voter;
    r.limit = 4;
    r.record_impressions = recorded;
    r.network = network;
    EXPECT_EQ(engine->Feed(r).clips.size(), 4U);  // everyone is served
  };
  const auto voters_before = engine->Stats().voters;
  // Fingerprint-only readers: a feed each, and nothing kept.
  for (int i = 0; i < 10; ++i) read("device_fp" + std::to_string(i), false, 7);
  EXPECT_EQ(total_impressions(), 0);
  EXPECT_EQ(engine->Stats().voters, voters_before);
  // Readers with the signed cookie: three a day from one network are remembered.
  for (int i = 0; i < 10; ++i) read("device_rd" + std::to_string(i), true, 7);
  EXPECT_EQ(total_impressions(), 3 * 4);
  EXPECT_EQ(engine->Stats().voters, voters_before + 3);
  // A remembered reader keeps being remembered; another network has its own allowance;
  // signed-in readers (no network) are always remembered.
  read("device_rd0", true, 7);
  read("device_other", true, 8);
  read("user_77", true, 0);
  EXPECT_EQ(engine->Stats().voters, voters_before + 5);
  // Voting is not a read: a voter beyond the allowance is still counted.
  EXPECT_TRUE(CastFrom(*engine, "device_rd9", clips_[0], 7).ok());
}

TEST_F(LocalVoteEngineTest, ExclusiveWaitsForQueuedVotesAndReloads) {
  auto engine = MakeEngine();
  std::atomic<int> answered{0};
  for (int i = 0; i < 50; ++i) {
    engine->Cast(CastRequest{"device_q" + std::to_string(i), std::nullopt, "ip", clips_[6],
                             VoteType::kStandard, false},
                 [&](Result<VoteOutcome> r, const RateLimitInfo&) { answered += r.ok(); });
  }
  std::int64_t seen_inside = -1;
  engine->Exclusive([&] { seen_inside = StoredFor(clips_[6]); });
  EXPECT_EQ(seen_inside, 50);  // all accepted votes were durable before the round work ran
  EXPECT_EQ(engine->Counts(clips_[6])->vote_count, 50);
}

// An admin's invalidation withdraws exactly the named vote; the voter keeps their other votes,
// can still withdraw them, and gets neither the daily allowance nor the power vote back.
TEST_F(LocalVoteEngineTest, InvalidationWithdrawsTheNamedVoteAndGivesNothingBack) {
  auto engine = MakeEngine();
  auto cast = [&](VoteType type, bool multi) {
    std::promise<Result<VoteOutcome>> p;
    engine->Cast(CastRequest{"device_a", std::nullopt, "127.0.0.1", clips_[0], type, multi},
                 [&](Result<VoteOutcome> r, const RateLimitInfo&) { p.set_value(std::move(r)); });
    return p.get_future().get();
  };
  auto revoke = [&](Id row_id) {
    std::promise<Result<VoteOutcome>> p;
    engine->Revoke(RevokeRequest{"device_a", "127.0.0.1", clips_[0], row_id},
                   [&](Result<VoteOutcome> r, const RateLimitInfo&) { p.set_value(std::move(r)); });
    return p.get_future().get();
  };
  ASSERT_TRUE(cast(VoteType::kSuper, false).ok());
  ASSERT_TRUE(cast(VoteType::kStandard, true).ok());
  std::vector<Id> rows;
  store_->ForEachVoteAt(season_, 1, [&](const StoredVote& v) { rows.push_back(v.id); });
  std::sort(rows.begin(), rows.end());
  ASSERT_EQ(rows.size(), 2U);

  // The first (super) vote goes; the extra one stays and takes its place.
  auto invalidated = revoke(rows[0]);
  ASSERT_TRUE(invalidated.ok()) << invalidated.error().code;
  EXPECT_EQ(invalidated->vote_count, 1);
  EXPECT_EQ(invalidated->weighted_score, 1);
  EXPECT_EQ(invalidated->total_votes_today, 2) << "an invalidated vote still counts for the day";
  EXPECT_EQ(invalidated->power_used, 1) << "nor is the super vote given back";
  EXPECT_EQ(StoredFor(clips_[0]), 1);

  auto again = revoke(rows[0]);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "VOTE_NOT_FOUND");

  // The voter's own withdrawal still finds the remaining vote, and refunds it.
  auto own = revoke(0);
  ASSERT_TRUE(own.ok()) << own.error().code;
  EXPECT_EQ(own->vote_count, 0);
  EXPECT_EQ(own->total_votes_today, 1);
  EXPECT_EQ(StoredFor(clips_[0]), 0);

  // Counts rebuilt from storage agree with memory.
  engine.reset();
  auto rebuilt = MakeEngine();
  EXPECT_EQ(rebuilt->Counts(clips_[0])->vote_count, 0);
}

}  // namespace
}  // namespace aimoviez
