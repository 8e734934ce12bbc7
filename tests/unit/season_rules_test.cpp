#include <gtest/gtest.h>

#include "domain/season_rules.h"
#include "domain/slot_advance.h"

namespace aimoviez {
namespace {

TEST(SeasonStateMachine, FollowsDraftActiveFinishedArchived) {
  EXPECT_TRUE(CanTransition(SeasonStatus::kDraft, SeasonStatus::kActive));
  EXPECT_TRUE(CanTransition(SeasonStatus::kActive, SeasonStatus::kFinished));
  EXPECT_TRUE(CanTransition(SeasonStatus::kFinished, SeasonStatus::kArchived));
  EXPECT_FALSE(CanTransition(SeasonStatus::kDraft, SeasonStatus::kFinished));
  EXPECT_FALSE(CanTransition(SeasonStatus::kActive, SeasonStatus::kDraft));
  EXPECT_FALSE(CanTransition(SeasonStatus::kArchived, SeasonStatus::kActive));
  EXPECT_FALSE(CheckSeasonTransition(SeasonStatus::kDraft, SeasonStatus::kArchived).ok());
  EXPECT_EQ(CheckSeasonTransition(SeasonStatus::kDraft, SeasonStatus::kArchived).error().code,
            "INVALID_TRANSITION");
}

TEST(SlotStateMachine, AllowsOnlyDocumentedTransitions) {
  EXPECT_TRUE(CanTransition(SlotStatus::kUpcoming, SlotStatus::kVoting));
  EXPECT_TRUE(CanTransition(SlotStatus::kVoting, SlotStatus::kLocked));
  EXPECT_TRUE(CanTransition(SlotStatus::kVoting, SlotStatus::kWaitingForClips));
  EXPECT_TRUE(CanTransition(SlotStatus::kWaitingForClips, SlotStatus::kVoting));
  EXPECT_TRUE(CanTransition(SlotStatus::kLocked, SlotStatus::kVoting));  // admin unlock
  EXPECT_FALSE(CanTransition(SlotStatus::kUpcoming, SlotStatus::kLocked));
  EXPECT_FALSE(CanTransition(SlotStatus::kLocked, SlotStatus::kUpcoming));
  EXPECT_FALSE(CanTransition(SlotStatus::kVoting, SlotStatus::kUpcoming));
}

TEST(StatusNames, RoundTrip) {
  for (auto s : {SlotStatus::kUpcoming, SlotStatus::kVoting, SlotStatus::kWaitingForClips,
                 SlotStatus::kLocked}) {
    EXPECT_EQ(ParseSlotStatus(ToString(s)), s);
  }
  for (auto s : {ClipStatus::kPending, ClipStatus::kActive, ClipStatus::kLocked,
                 ClipStatus::kEliminated, ClipStatus::kRejected}) {
    EXPECT_EQ(ParseClipStatus(ToString(s)), s);
  }
  EXPECT_FALSE(ParseSeasonStatus("paused").has_value());
}

TEST(SeasonDraftValidation, RejectsBadInput) {
  EXPECT_FALSE(ValidateSeasonDraft({"", "Action", "", 75, 86400}, 200).ok());
  EXPECT_FALSE(ValidateSeasonDraft({"S", "Western", "", 75, 86400}, 200).ok());
  EXPECT_FALSE(ValidateSeasonDraft({"S", "Action", "", 0, 86400}, 200).ok());
  EXPECT_FALSE(ValidateSeasonDraft({"S", "Action", "", 201, 86400}, 200).ok());
  EXPECT_FALSE(ValidateSeasonDraft({"S", "Action", "", 75, 59}, 200).ok());
  auto ok = ValidateSeasonDraft({"  <b>Season</b> 3 ", "Action", "", 75, 86400}, 200);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->label, "Season 3");
}

TEST(WinnerRule, HighestWeightedScoreWins) {
  std::vector<ClipStanding> s = {{1, 10, 10, 100}, {2, 5, 15, 50}, {3, 12, 12, 10}};
  EXPECT_EQ(PickWinner(s), 2);
}

TEST(WinnerRule, TieOnScoreGoesToMoreVotesThenEarlierThenLowerId) {
  // Same weighted score: more distinct votes wins.
  EXPECT_EQ(PickWinner({{1, 3, 30, 10}, {2, 30, 30, 20}}), 2);
  // Same score and votes: the clip submitted first wins.
  EXPECT_EQ(PickWinner({{5, 4, 4, 200}, {6, 4, 4, 100}}), 6);
  // Everything equal: lowest id, whatever the input order.
  EXPECT_EQ(PickWinner({{9, 4, 4, 100}, {7, 4, 4, 100}, {8, 4, 4, 100}}), 7);
  EXPECT_EQ(PickWinner({}), std::nullopt);
}

Season MakeSeason(int slots) {
  Season s;
  s.id = 1;
  s.total_slots = slots;
  s.voting_window_seconds = 3600;
  s.status = SeasonStatus::kActive;
  return s;
}

Slot MakeSlot(int position) {
  Slot s;
  s.id = 100 + position;
  s.season_id = 1;
  s.position = position;
  s.status = SlotStatus::kVoting;
  return s;
}

TEST(PlanAdvance, LocksWinnerAndCarriesTheRest) {
  const auto plan =
      PlanAdvance(MakeSeason(3), MakeSlot(1), {{1, 2, 2, 0}, {2, 5, 5, 0}, {3, 1, 1, 0}}, 1000);
  EXPECT_EQ(plan.winner_clip_id, 2);
  EXPECT_EQ(plan.carried_clip_ids, (std::vector<Id>{1, 3}));
  EXPECT_TRUE(plan.eliminated_clip_ids.empty());
  EXPECT_EQ(plan.next, NextStep::kOpenNextSlot);
  EXPECT_EQ(plan.next_voting_ends_at, 1000 + 3600 * 1000);
}

TEST(PlanAdvance, SingleClipWinsAndNextSlotWaits) {
  const auto plan = PlanAdvance(MakeSeason(3), MakeSlot(2), {{7, 0, 0, 0}}, 0);
  EXPECT_EQ(plan.winner_clip_id, 7);
  EXPECT_EQ(plan.next, NextStep::kNextSlotWaits);
}

TEST(PlanAdvance, EmptySlotWaitsForClips) {
  const auto plan = PlanAdvance(MakeSeason(3), MakeSlot(2), {}, 0);
  EXPECT_FALSE(plan.winner_clip_id.has_value());
  EXPECT_EQ(plan.next, NextStep::kWaitForClips);
}

TEST(PlanAdvance, LastSlotFinishesSeasonAndEliminatesLosers) {
  const auto plan = PlanAdvance(MakeSeason(3), MakeSlot(3), {{1, 2, 2, 0}, {2, 1, 1, 0}}, 0);
  EXPECT_EQ(plan.winner_clip_id, 1);
  EXPECT_EQ(plan.next, NextStep::kFinishSeason);
  EXPECT_EQ(plan.eliminated_clip_ids, (std::vector<Id>{2}));
  EXPECT_TRUE(plan.carried_clip_ids.empty());
}

TEST(PlanAdvance, ForcedWinnerOverridesScores) {
  const auto plan = PlanAdvance(MakeSeason(3), MakeSlot(1), {{1, 9, 9, 0}, {2, 0, 0, 0}}, 0, Id{2});
  EXPECT_EQ(plan.winner_clip_id, 2);
  EXPECT_EQ(plan.carried_clip_ids, (std::vector<Id>{1}));
}

}  // namespace
}  // namespace aimoviez

#include "domain/community_service.h"

namespace aimoviez {
namespace {

TEST(Streak, CountsConsecutiveDaysEndingTodayOrYesterday) {
  EXPECT_EQ(CommunityService::StreakFromDays({}, 100), 0);
  EXPECT_EQ(CommunityService::StreakFromDays({100, 99, 98, 96}, 100), 3);
  EXPECT_EQ(CommunityService::StreakFromDays({99, 98}, 100), 2);  // today not voted yet
  EXPECT_EQ(CommunityService::StreakFromDays({97, 96}, 100), 0);  // broken
}

TEST(Period, Parses) {
  EXPECT_EQ(ParsePeriod("day"), Period::kDay);
  EXPECT_EQ(ParsePeriod("week"), Period::kWeek);
  EXPECT_EQ(ParsePeriod("all"), Period::kAll);
  EXPECT_FALSE(ParsePeriod("century").has_value());
}

}  // namespace
}  // namespace aimoviez

namespace aimoviez {
namespace {

TEST(Trend, ComparesWithThePreviousRank) {
  EXPECT_EQ(CommunityService::Trend(3, std::nullopt), "new");
  EXPECT_EQ(CommunityService::Trend(2, 5), "up");
  EXPECT_EQ(CommunityService::Trend(5, 2), "down");
  EXPECT_EQ(CommunityService::Trend(4, 4), "same");
}

}  // namespace
}  // namespace aimoviez
