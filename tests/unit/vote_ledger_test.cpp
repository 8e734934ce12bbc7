// The cluster vote ledger on a real PostgreSQL: every decision the nodes share (one vote per
// voter, clip and round; the daily cap; an open round; the kept tallies) holds when batches from
// several connections, standing for several nodes, race each other.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "postgres_support.h"
#include "storage/postgres/pg_vote_ledger.h"
#include "storage/postgres/postgres_store.h"

namespace aimoviez {
namespace {

constexpr EpochMs kDay = 1'795'000'000'000 - 1'795'000'000'000 % 86'400'000;

class VoteLedgerTest : public testing::MigratedPostgresTest {
 protected:
  void SetUp() override {
    MigratedPostgresTest::SetUp();
    if (!store_) return;
    Season s;
    s.label = "S";
    s.total_slots = 3;
    s.voting_window_seconds = 3600;
    season_ = store_->CreateSeason(s).id;
    for (int i = 0; i < 3; ++i) {
      Clip c;
      c.season_id = season_;
      c.slot_position = 1;
      c.title = "clip " + std::to_string(i);
      c.status = ClipStatus::kActive;
      c.created_at = 1;
      clips_.push_back(store_->InsertClip(c).id);
    }
    SetSlot(1, SlotStatus::kVoting);
  }

  void SetSlot(int position, SlotStatus status) {
    auto slot = *store_->FindSlotAt(season_, position);
    slot.status = status;
    store_->UpdateSlot(slot);
  }

  // A node: its own connections, as another process would have.
  std::unique_ptr<pg::Database> Node() {
    return std::make_unique<pg::Database>(schema_->url(), pg::PoolOptions{4});
  }

  LedgerVote Vote(const std::string& voter, Id clip, int weight = 1, bool repeat = false) {
    LedgerVote v;
    v.record.voter_key = voter;
    v.record.clip_id = clip;
    v.record.weight = weight;
    v.record.vote_type = weight == 1 ? "standard" : weight == 3 ? "super" : "mega";
    v.record.created_at = kDay + 1000;
    v.repeat_allowed = repeat;
    return v;
  }

  std::int64_t StoredRows(Id clip) {
    return store_->database()
        .Exec("SELECT COUNT(*) FROM votes WHERE clip_id = $1", pg::Params(clip))
        .Int(0, 0);
  }

  Id season_ = 0;
  std::vector<Id> clips_;
};

TEST_F(VoteLedgerTest, DecidesEachVoteOfABatchInItsPlace) {
  auto node = Node();
  pg::PgVoteLedger ledger(*node);
  const auto decisions =
      ledger.Commit(season_, 1,
                    {Vote("ann", clips_[0]), Vote("bob", clips_[0], 3), Vote("ann", clips_[0]),
                     Vote("ann", clips_[1]), Vote("cat", 999'999)},
                    kDay, 200);
  ASSERT_EQ(decisions.size(), 5u);
  EXPECT_EQ(decisions[0].verdict, LedgerVerdict::kAccepted);
  EXPECT_EQ(decisions[1].verdict, LedgerVerdict::kAccepted);
  EXPECT_EQ(decisions[2].verdict, LedgerVerdict::kAlreadyVoted);
  EXPECT_EQ(decisions[3].verdict, LedgerVerdict::kAccepted);
  EXPECT_EQ(decisions[4].verdict, LedgerVerdict::kRoundClosed) << "not a clip of the round";
  EXPECT_EQ(decisions[3].votes_today, 2);
  EXPECT_EQ(decisions[2].votes_today, 1) << "a refused vote does not count toward the day";
  EXPECT_NE(decisions[0].vote_id, decisions[1].vote_id);
  EXPECT_EQ(ledger.Tallies(season_, 1),
            (std::vector<ClipTally>{{clips_[0], 2, 4}, {clips_[1], 1, 1}}));
  // Each accepted vote carries its clip's tally counting it: numbered in the batch's order.
  EXPECT_EQ(decisions[0].tally, (ClipTally{clips_[0], 1, 1}));
  EXPECT_EQ(decisions[1].tally, (ClipTally{clips_[0], 2, 4}));
  EXPECT_EQ(decisions[3].tally, (ClipTally{clips_[1], 1, 1}));
  // Multi-vote: the same clip again is a further vote; another node's batch counts on from
  // what every batch before it committed.
  auto other_node = Node();
  pg::PgVoteLedger other(*other_node);
  const auto again = other.Commit(season_, 1, {Vote("ann", clips_[0], 1, true)}, kDay, 200);
  EXPECT_EQ(again[0].verdict, LedgerVerdict::kAccepted);
  EXPECT_EQ(again[0].tally, (ClipTally{clips_[0], 3, 5}));
  EXPECT_EQ(StoredRows(clips_[0]), 3);
}

TEST_F(VoteLedgerTest, ARunOfRapidVotesOverTwoNodesIsFlaggedFromItsEighthVote) {
  auto node_a = Node();
  auto node_b = Node();
  pg::PgVoteLedger a(*node_a);
  pg::PgVoteLedger b(*node_b);
  LedgerRules rules(200);  // a run of 8, each within 1.5 s of the one before
  std::vector<bool> flagged;
  for (int i = 0; i < 10; ++i) {
    LedgerVote v = Vote("quick", clips_[i % 3], 1, /*repeat=*/true);
    v.record.created_at = kDay + 1000 + i * 400;
    if (i == 3) v.record.flag_reason = "unverified_device";
    if (i == 3) v.record.flagged = true;
    const auto d = (i % 2 == 0 ? a : b).Commit(season_, 1, {v}, kDay, rules);
    ASSERT_EQ(d[0].verdict, LedgerVerdict::kAccepted);
    flagged.push_back(d[0].flagged);
  }
  EXPECT_EQ(flagged,
            (std::vector<bool>{false, false, false, true, false, false, false, true, true, true}));
  const auto reasons = store_->database().Exec(
      "SELECT COALESCE(flag_reason, '') FROM votes WHERE voter_key = 'quick' ORDER BY id");
  EXPECT_EQ(reasons.Text(3, 0), "unverified_device");
  EXPECT_EQ(reasons.Text(7, 0), "rapid");
  // A pause longer than the gap ends the run.
  LedgerVote later = Vote("quick", clips_[0], 1, true);
  later.record.created_at = kDay + 1000 + 9 * 400 + 1501;
  EXPECT_FALSE(a.Commit(season_, 1, {later}, kDay, rules)[0].flagged);
}

TEST_F(VoteLedgerTest, AClosedRoundRefusesEveryVote) {
  auto node = Node();
  pg::PgVoteLedger ledger(*node);
  SetSlot(1, SlotStatus::kLocked);
  const auto decisions = ledger.Commit(season_, 1, {Vote("ann", clips_[0])}, kDay, 200);
  EXPECT_EQ(decisions[0].verdict, LedgerVerdict::kRoundClosed);
  EXPECT_EQ(StoredRows(clips_[0]), 0);
  EXPECT_FALSE(ledger.Revoke(season_, 1, "ann", clips_[0], kDay).has_value());
}

// The cross-node races, at the ledger: each thread is a node with its own connections,
// committing one-vote batches as fast as it can.
TEST_F(VoteLedgerTest, SixtyFourVotersOnOneClipAcrossNodesCountSixtyFour) {
  auto a = Node(), b = Node();
  pg::PgVoteLedger node_a(*a), node_b(*b);
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto& ledger = t % 2 ? node_b : node_a;
      for (int i = 0; i < 8; ++i) {
        const auto d = ledger.Commit(season_, 1, {Vote("v" + std::to_string(t * 8 + i), clips_[0])},
                                     kDay, 200);
        if (d[0].verdict == LedgerVerdict::kAccepted) ++accepted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 64);
  EXPECT_EQ(StoredRows(clips_[0]), 64);
  EXPECT_EQ(node_b.Tallies(season_, 1), (std::vector<ClipTally>{{clips_[0], 64, 64}}));
}

TEST_F(VoteLedgerTest, OneVoterSixtyFourParallelVotesAcrossNodesCountOnce) {
  auto a = Node(), b = Node();
  pg::PgVoteLedger node_a(*a), node_b(*b);
  std::atomic<int> accepted{0}, duplicate{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto& ledger = t % 2 ? node_b : node_a;
      for (int i = 0; i < 8; ++i) {
        const auto d = ledger.Commit(season_, 1, {Vote("same", clips_[1])}, kDay, 200);
        if (d[0].verdict == LedgerVerdict::kAccepted) ++accepted;
        if (d[0].verdict == LedgerVerdict::kAlreadyVoted) ++duplicate;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(duplicate.load(), 63);
  EXPECT_EQ(StoredRows(clips_[1]), 1);
  const auto day = store_->database().Exec(
      "SELECT votes FROM voter_days WHERE voter_key = 'same' AND day_start = $1", pg::Params(kDay));
  EXPECT_EQ(day.Int(0, 0), 1) << "refused duplicates gave their count back";
}

TEST_F(VoteLedgerTest, AVoterAt199SendingFiftyParallelVotesEndsAtExactly200) {
  // 199 votes today already, in earlier rounds' clips (multi-vote rows keep them apart here).
  auto a = Node(), b = Node();
  pg::PgVoteLedger node_a(*a), node_b(*b);
  std::vector<LedgerVote> earlier;
  for (int i = 0; i < 199; ++i) earlier.push_back(Vote("busy", clips_[2], 1, true));
  const auto first = node_a.Commit(season_, 1, earlier, kDay, 200);
  ASSERT_EQ(first.back().votes_today, 199);
  std::atomic<int> accepted{0}, capped{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&, t] {
      auto& ledger = t % 2 ? node_b : node_a;
      for (int i = 0; i < 5; ++i) {
        const auto d = ledger.Commit(season_, 1, {Vote("busy", clips_[2], 1, true)}, kDay, 200);
        if (d[0].verdict == LedgerVerdict::kAccepted) ++accepted;
        if (d[0].verdict == LedgerVerdict::kDailyLimit) ++capped;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(capped.load(), 49);
  EXPECT_EQ(StoredRows(clips_[2]), 200);
  // The next day starts afresh.
  EXPECT_EQ(node_b.Commit(season_, 1, {Vote("busy", clips_[0])}, kDay + 86'400'000, 200)[0].verdict,
            LedgerVerdict::kAccepted);
}

TEST_F(VoteLedgerTest, VoteAndRevokeRacesLeaveTalliesEqualToRows) {
  auto a = Node(), b = Node();
  pg::PgVoteLedger node_a(*a), node_b(*b);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto& casting = t % 2 ? node_b : node_a;
      auto& revoking = t % 2 ? node_a : node_b;
      for (int i = 0; i < 20; ++i) {
        const std::string voter = "flip" + std::to_string(i % 5);
        casting.Commit(season_, 1, {Vote(voter, clips_[i % 3], 1 + 2 * (i % 2))}, kDay, 200);
        if (i % 3 == 0) revoking.Revoke(season_, 1, voter, clips_[i % 3], kDay);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(node_a.Reconcile(season_, 1).empty()) << "the kept tallies drifted";
  for (const auto& tally : node_a.Tallies(season_, 1)) {
    EXPECT_EQ(tally.votes, StoredRows(tally.clip_id));
  }
}

TEST_F(VoteLedgerTest, RevokingGivesTheDayBackAndTheReconcilerRepairsDrift) {
  auto node = Node();
  pg::PgVoteLedger ledger(*node);
  ASSERT_EQ(ledger.Commit(season_, 1, {Vote("ann", clips_[0], 3)}, kDay, 1)[0].verdict,
            LedgerVerdict::kAccepted);
  EXPECT_EQ(ledger.Commit(season_, 1, {Vote("ann", clips_[1])}, kDay, 1)[0].verdict,
            LedgerVerdict::kDailyLimit);
  const auto removed = ledger.Revoke(season_, 1, "ann", clips_[0], kDay);
  ASSERT_TRUE(removed.has_value());
  EXPECT_EQ(removed->vote.weight, 3);
  EXPECT_EQ(removed->tally, (ClipTally{clips_[0], 0, 0}));
  EXPECT_FALSE(ledger.Revoke(season_, 1, "ann", clips_[0], kDay).has_value());
  EXPECT_EQ(ledger.Commit(season_, 1, {Vote("ann", clips_[1])}, kDay, 1)[0].verdict,
            LedgerVerdict::kAccepted)
      << "the withdrawn vote gave its place in the day back";
  EXPECT_EQ(ledger.Tallies(season_, 1),
            (std::vector<ClipTally>{{clips_[0], 0, 0}, {clips_[1], 1, 1}}));

  // A row removed behind the ledger's back (an erasure, an invalidation): the reconciler finds
  // the kept tally wrong and sets it to the recount.
  store_->database().Exec("DELETE FROM votes WHERE clip_id = $1", pg::Params(clips_[1]));
  const auto repairs = ledger.Reconcile(season_, 1);
  ASSERT_EQ(repairs.size(), 1u);
  EXPECT_EQ(repairs[0].kept, (ClipTally{clips_[1], 1, 1}));
  EXPECT_EQ(repairs[0].counted, (ClipTally{clips_[1], 0, 0}));
  EXPECT_TRUE(ledger.Reconcile(season_, 1).empty());
}

TEST_F(VoteLedgerTest, SeededVotesAreNumberedSoTheLedgerNeverReusesAnId) {
  VoteRecord seeded;
  seeded.clip_id = clips_[0];
  seeded.voter_key = "seed";
  seeded.slot_position = 1;
  seeded.created_at = kDay;
  store_->InsertVotes({seeded, seeded});  // a multi-vote pair: repeat numbers 0 and 1
  auto node = Node();
  pg::PgVoteLedger ledger(*node);
  const auto d =
      ledger.Commit(season_, 1, {Vote("seed", clips_[0]), Vote("new", clips_[0])}, kDay, 200);
  EXPECT_EQ(d[0].verdict, LedgerVerdict::kAlreadyVoted);
  EXPECT_EQ(d[1].verdict, LedgerVerdict::kAccepted);
  EXPECT_GT(d[1].vote_id, store_->MaxVoteId() - 1);
  EXPECT_EQ(StoredRows(clips_[0]), 3);
}

TEST_F(VoteLedgerTest, OldDaysAreForgottenAndTodaysKept) {
  auto node = Node();
  pg::PgVoteLedger ledger(*node);
  constexpr EpochMs kOneDay = 86'400'000;
  ASSERT_EQ(ledger.Commit(season_, 1, {Vote("ann", clips_[0])}, kDay - 2 * kOneDay, 200)[0].verdict,
            LedgerVerdict::kAccepted);
  ASSERT_EQ(ledger.Commit(season_, 1, {Vote("ann", clips_[1])}, kDay, 200)[0].verdict,
            LedgerVerdict::kAccepted);
  EXPECT_EQ(ledger.ForgetDaysBefore(kDay - kOneDay), 1U);
  const auto left = store_->database().Exec("SELECT day_start FROM voter_days");
  ASSERT_EQ(left.size(), 1);
  EXPECT_EQ(left.Int(0, 0), kDay);
  EXPECT_EQ(ledger.ForgetDaysBefore(kDay - kOneDay), 0U);
}

}  // namespace
}  // namespace aimoviez
