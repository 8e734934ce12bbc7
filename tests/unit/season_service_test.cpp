// SeasonService against a real SQLite store: transitions, carry-forward with votes reset,
// season finish, overrides and the fenced auto-advance job.
#include <gtest/gtest.h>

#include "domain/catalog_service.h"
#include "domain/season_service.h"
#include "test_support.h"

namespace aimoviez {
namespace {

using testing::StoreTest;

class SeasonServiceTest : public StoreTest {
 protected:
  SeasonServiceTest() : seasons_(*store_, clock_, SeasonLimits{}) {}

  Id NewSeason(int slots, std::int64_t window = 3600) {
    auto s = seasons_.CreateSeason(SeasonDraft{"Test Season", "Action", "", slots, window}, admin_);
    EXPECT_TRUE(s.ok());
    return s->id;
  }

  Id PendingClip(const std::string& title) {
    Clip c;
    c.title = title;
    c.status = ClipStatus::kPending;
    c.created_at = clock_.NowMs();
    clock_.Advance(1);
    return store_->InsertClip(c).id;
  }

  Id ApprovedClip(const std::string& title) {
    const Id id = PendingClip(title);
    EXPECT_TRUE(seasons_.ApproveClip(id, admin_).ok());
    return id;
  }

  void Vote(Id clip_id, int count, int weight = 1) {
    const auto clip = *store_->FindClip(clip_id);
    std::vector<VoteRecord> votes;
    for (int i = 0; i < count; ++i) {
      VoteRecord v;
      v.clip_id = clip_id;
      v.voter_key = "voter_" + std::to_string(clip_id) + "_" + std::to_string(serial_++);
      v.weight = weight;
      v.vote_type = weight == 1 ? "standard" : weight == 3 ? "super" : "mega";
      v.slot_position = clip.slot_position;
      v.created_at = clock_.NowMs();
      votes.push_back(v);
    }
    store_->InsertVotes(votes);
  }

  Slot SlotAt(Id season, int pos) { return *store_->FindSlotAt(season, pos); }

  AuditActor admin_{1, "admin@example.com"};
  SeasonService seasons_;
  int serial_ = 0;
};

TEST_F(SeasonServiceTest, CreateMakesUpcomingSlotsAndActivateOpensSlotOne) {
  const Id season = NewSeason(5, 7200);
  auto slots = store_->ListSlots(season);
  ASSERT_EQ(slots.size(), 5u);
  for (const auto& s : slots) EXPECT_EQ(s.status, SlotStatus::kUpcoming);
  ASSERT_TRUE(seasons_.ActivateSeason(season, admin_).ok());
  const auto first = SlotAt(season, 1);
  EXPECT_EQ(first.status, SlotStatus::kVoting);
  EXPECT_EQ(*first.voting_ends_at, clock_.NowMs() + 7200 * 1000);
  EXPECT_EQ(store_->FindSeason(season)->status, SeasonStatus::kActive);
}

TEST_F(SeasonServiceTest, OnlyOneSeasonCanBeActive) {
  const Id a = NewSeason(2), b = NewSeason(2);
  ASSERT_TRUE(seasons_.ActivateSeason(a, admin_).ok());
  auto second = seasons_.ActivateSeason(b, admin_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "SEASON_ALREADY_ACTIVE");
  EXPECT_EQ(seasons_.ActivateSeason(a, admin_).error().code, "INVALID_TRANSITION");
}

TEST_F(SeasonServiceTest, WholeLifecycleCarriesLosersWithVotesResetAndFinishes) {
  const Id season = NewSeason(3);
  ASSERT_TRUE(seasons_.ActivateSeason(season, admin_).ok());
  const Id a = ApprovedClip("A"), b = ApprovedClip("B"), c = ApprovedClip("C");
  Vote(a, 2);
  Vote(b, 5);
  Vote(c, 1, 3);  // one super vote: weighted 3

  auto first = seasons_.AdvanceNow(SlotAt(season, 1).id, admin_);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->winner_clip_id, b);
  EXPECT_EQ(SlotAt(season, 1).status, SlotStatus::kLocked);
  EXPECT_EQ(SlotAt(season, 1).winner_clip_id, b);
  EXPECT_EQ(store_->FindClip(b)->status, ClipStatus::kLocked);
  EXPECT_EQ(store_->FindClip(b)->vote_count, 5);  // final counts snapshotted into the row
  // Losers moved to slot 2 with their counts reset; slot 2 is voting.
  for (Id id : {a, c}) {
    const auto clip = *store_->FindClip(id);
    EXPECT_EQ(clip.slot_position, 2);
    EXPECT_EQ(clip.status, ClipStatus::kActive);
    EXPECT_EQ(clip.vote_count, 0);
    EXPECT_EQ(clip.weighted_score, 0);
  }
  for (const auto& s : store_->SlotStandings(season, 2)) EXPECT_EQ(s.vote_count, 0);
  EXPECT_EQ(SlotAt(season, 2).status, SlotStatus::kVoting);

  // Slot 2: c wins on weighted score (one mega vote) against a's two standard votes.
  Vote(a, 2);
  Vote(c, 1, 10);
  ASSERT_EQ(seasons_.AdvanceNow(SlotAt(season, 2).id, admin_)->winner_clip_id, c);
  // Slot 3 (last): a alone; the season finishes.
  auto last = seasons_.AdvanceNow(SlotAt(season, 3).id, admin_);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->winner_clip_id, a);
  EXPECT_TRUE(last->season_finished);
  EXPECT_EQ(store_->FindSeason(season)->status, SeasonStatus::kFinished);

  // Genre voting opens once no season is active.
  CatalogService catalog(*store_, clock_);
  Actor voter;
  voter.device_key = "device_x";
  EXPECT_TRUE(catalog.GenreVotes(voter).voting_open);
  ASSERT_TRUE(catalog.CastGenreVote(voter, "Horror").ok());
  ASSERT_TRUE(catalog.CastGenreVote(voter, "Comedy").ok());  // changeable, still one vote
  const auto view = catalog.GenreVotes(voter);
  EXPECT_EQ(view.total_votes, 1);
  EXPECT_EQ(view.my_vote, "Comedy");
  EXPECT_EQ(catalog.CastGenreVote(voter, "Western").error().code, "INVALID_GENRE");

  // Every transition left an audit entry.
  EXPECT_GE(store_->ListAudit(std::nullopt, 100).entries.size(), 3u + 3u + 2u);
}

TEST_F(SeasonServiceTest, LastSlotLosersAreEliminated) {
  const Id season = NewSeason(1);
  ASSERT_TRUE(seasons_.ActivateSeason(season, admin_).ok());
  const Id a = ApprovedClip("A"), b = ApprovedClip("B");
  Vote(b, 1);
  ASSERT_TRUE(seasons_.AdvanceNow(SlotAt(season, 1).id, admin_).ok());
  EXPECT_EQ(store_->FindClip(a)->status, ClipStatus::kEliminated);
  EXPECT_EQ(store_->FindClip(b)->status, ClipStatus::kLocked);
}

TEST_F(SeasonServiceTest, EmptySlotWaitsAndFirstApprovalRestartsTheWindow) {
  const Id season = NewSeason(2, 600);
  ASSERT_TRUE(seasons_.ActivateSeason(season, admin_).ok());
  clock_.Advance(601'000);
  EXPECT_EQ(seasons_.RunAutoAdvance("node-a"), 1);
  EXPECT_EQ(SlotAt(season, 1).status, SlotStatus::kWaitingForClips);
  ApprovedClip("late");
  const auto slot = SlotAt(season, 1);
  EXPECT_EQ(slot.status, SlotStatus::kVoting);
  EXPECT_EQ(*slot.voting_ends_at, clock_.NowMs() + 600'000);
}

TEST_F(SeasonServiceTest, AutoAdvanceOnlyClosesExpiredSlots) {
  const Id season = NewSeason(3, 3600);
  ASSERT_TRUE(seasons_.ActivateSeason(season, admin_).ok());
  ApprovedClip("A");
  EXPECT_EQ(seasons_.RunAutoAdvance("node-a"), 0);
  clock_.Advance(3600 * 1000);
  EXPECT_EQ(seasons_.RunAutoAdvance("node-a"), 1);
  EXPECT_EQ(SlotAt(season, 1).status, SlotStatus::kLocked);
  EXPECT_EQ(seasons_.RunAutoAdvance("node-a"), 0);  // slot 2 waits for clips: nothing to do
}

TEST_F(SeasonServiceTest, JobLockIsExclusiveAndFencingTokensGrow) {
  const auto t1 = store_->TryAcquireLock("job", "a", clock_.NowMs(), 1000);
  ASSERT_TRUE(t1.has_value());
  EXPECT_FALSE(store_->TryAcquireLock("job", "b", clock_.NowMs(), 1000).has_value());
  clock_.Advance(1001);  // a's lease expired: b takes over with a larger token
  const auto t2 = store_->TryAcquireLock("job", "b", clock_.NowMs(), 1000);
  ASSERT_TRUE(t2.has_value());
  EXPECT_GT(*t2, *t1);
  EXPECT_FALSE(store_->IsLockTokenCurrent("job", *t1, clock_.NowMs()));
  EXPECT_TRUE(store_->IsLockTokenCurrent("job", *t2, clock_.NowMs()));
  store_->ReleaseLock("job", *t1);  // a stale release must not free b's lock
  EXPECT_FALSE(store_->TryAcquireLock("job", "c", clock_.NowMs(), 1000).has_value());
  store_->ReleaseLock("job", *t2);
  EXPECT_TRUE(store_->TryAcquireLock("job", "c", clock_.NowMs(), 1000).has_value());
}

TEST_F(SeasonServiceTest, AssignWinnerRequiresAClipOfTheSlot) {
  const Id season = NewSeason(2);
  ASSERT_TRUE(seasons_.ActivateSeason(season, admin_).ok());
  const Id a = ApprovedClip("A"), b = ApprovedClip("B");
  Vote(a, 10);
  EXPECT_EQ(seasons_.AssignWinner(SlotAt(season, 1).id, 9999, admin_).error().code,
            "CLIP_NOT_IN_SLOT");
  auto r = seasons_.AssignWinner(SlotAt(season, 1).id, b, admin_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->winner_clip_id, b);
  EXPECT_EQ(store_->FindClip(a)->slot_position, 2);
}

TEST_F(SeasonServiceTest, UnlockReopensTheLatestLockedSlotAndRestoresItsVotes) {
  const Id season = NewSeason(3);
  ASSERT_TRUE(seasons_.ActivateSeason(season, admin_).ok());
  const Id a = ApprovedClip("A"), b = ApprovedClip("B");
  Vote(a, 3);
  Vote(b, 1);
  ASSERT_TRUE(seasons_.AdvanceNow(SlotAt(season, 1).id, admin_).ok());
  Vote(b, 4);  // votes in round 2, discarded by the unlock
  auto unlocked = seasons_.UnlockSlot(SlotAt(season, 1).id, admin_);
  ASSERT_TRUE(unlocked.ok());
  EXPECT_EQ(unlocked->status, SlotStatus::kVoting);
  EXPECT_EQ(SlotAt(season, 2).status, SlotStatus::kUpcoming);
  EXPECT_EQ(store_->FindClip(a)->status, ClipStatus::kActive);
  EXPECT_EQ(store_->FindClip(b)->slot_position, 1);
  EXPECT_EQ(store_->FindClip(a)->vote_count, 3);
  EXPECT_EQ(store_->FindClip(b)->vote_count, 1);
  // Unlocking a slot that is not the latest locked one is refused.
  ASSERT_TRUE(seasons_.AdvanceNow(SlotAt(season, 1).id, admin_).ok());
  ApprovedClip("C");
  ASSERT_TRUE(seasons_.AdvanceNow(SlotAt(season, 2).id, admin_).ok());
  EXPECT_EQ(seasons_.UnlockSlot(SlotAt(season, 1).id, admin_).error().code, "UNLOCK_NOT_LATEST");
}

TEST_F(SeasonServiceTest, ResetVotesClearsTheOpenRound) {
  const Id season = NewSeason(2);
  ASSERT_TRUE(seasons_.ActivateSeason(season, admin_).ok());
  const Id a = ApprovedClip("A");
  Vote(a, 7);
  auto removed = seasons_.ResetVotes(SlotAt(season, 1).id, admin_);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 7);
  EXPECT_EQ(store_->SlotStandings(season, 1).front().vote_count, 0);
}

TEST_F(SeasonServiceTest, DeleteNeedsTheLabelAsConfirmation) {
  const Id season = NewSeason(2);
  EXPECT_EQ(seasons_.DeleteSeason(season, "wrong", admin_).error().code, "CONFIRMATION_REQUIRED");
  EXPECT_TRUE(store_->FindSeason(season).has_value());
  EXPECT_TRUE(seasons_.DeleteSeason(season, "Test Season", admin_).ok());
  EXPECT_FALSE(store_->FindSeason(season).has_value());
}

TEST_F(SeasonServiceTest, ApproveNeedsAnOpenSlotAndAPendingClip) {
  const Id clip = PendingClip("X");
  EXPECT_EQ(seasons_.ApproveClip(clip, admin_).error().code, "NO_ACTIVE_SLOT");
  const Id season = NewSeason(2);
  ASSERT_TRUE(seasons_.ActivateSeason(season, admin_).ok());
  ASSERT_TRUE(seasons_.ApproveClip(clip, admin_).ok());
  EXPECT_EQ(seasons_.ApproveClip(clip, admin_).error().code, "INVALID_TRANSITION");
}

}  // namespace
}  // namespace aimoviez
