// Deciding how a voting slot closes (spec section 9, "Auto-Advance"): who wins, which clips
// carry over, what the next slot and the season become. Pure: the plan is computed from a
// snapshot and applied by SeasonService in a single transaction.
#pragma once

#include <optional>
#include <vector>

#include "domain/model.h"

namespace aimoviez {

// One active clip's exact standing in the closing round.
struct ClipStanding {
  Id clip_id = 0;
  std::int64_t vote_count = 0;
  std::int64_t weighted_score = 0;
  EpochMs created_at = 0;
};

// Winner rule, deterministic for any input order:
//   1. highest weighted_score;
//   2. then most distinct votes (breadth of support beats a few heavy votes);
//   3. then the clip submitted first (rewards uploading early, as the carry-forward rule does);
//   4. then the lowest clip id (a total order, so two runs can never disagree).
std::optional<Id> PickWinner(const std::vector<ClipStanding>& standings);

enum class NextStep {
  kOpenNextSlot,   // next slot opens for voting with the carried clips
  kNextSlotWaits,  // next slot exists but has no clips yet: waiting_for_clips
  kFinishSeason,   // that was the last slot: season finishes, genre voting opens
  kWaitForClips,   // the closing slot had no clips: it waits instead of locking
};

struct AdvancePlan {
  Id slot_id = 0;
  int position = 0;
  std::optional<Id> winner_clip_id;
  std::vector<Id> carried_clip_ids;     // move to position + 1 with votes reset
  std::vector<Id> eliminated_clip_ids;  // last slot: the losers leave the tournament
  NextStep next = NextStep::kWaitForClips;
  std::optional<EpochMs> next_voting_ends_at;
};

// `forced_winner` is an admin's choice; it must be one of the standings' clips.
AdvancePlan PlanAdvance(const Season& season, const Slot& slot,
                        const std::vector<ClipStanding>& standings, EpochMs now,
                        std::optional<Id> forced_winner = std::nullopt);

}  // namespace aimoviez
