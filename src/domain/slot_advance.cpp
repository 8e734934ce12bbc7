#include "domain/slot_advance.h"

#include <tuple>

namespace aimoviez {

namespace {
// True when a ranks strictly ahead of b under the documented winner rule.
bool RanksAhead(const ClipStanding& a, const ClipStanding& b) {
  return std::make_tuple(-a.weighted_score, -a.vote_count, a.created_at, a.clip_id) <
         std::make_tuple(-b.weighted_score, -b.vote_count, b.created_at, b.clip_id);
}
}  // namespace

std::optional<Id> PickWinner(const std::vector<ClipStanding>& standings) {
  if (standings.empty()) return std::nullopt;
  const ClipStanding* best = &standings.front();
  for (const auto& s : standings) {
    if (RanksAhead(s, *best)) best = &s;
  }
  return best->clip_id;
}

AdvancePlan PlanAdvance(const Season& season, const Slot& slot,
                        const std::vector<ClipStanding>& standings, EpochMs now,
                        std::optional<Id> forced_winner) {
  AdvancePlan plan;
  plan.slot_id = slot.id;
  plan.position = slot.position;
  if (standings.empty()) {
    plan.next = NextStep::kWaitForClips;
    return plan;
  }
  plan.winner_clip_id = forced_winner ? forced_winner : PickWinner(standings);
  const bool last_slot = slot.position >= season.total_slots;
  for (const auto& s : standings) {
    if (s.clip_id == *plan.winner_clip_id) continue;
    (last_slot ? plan.eliminated_clip_ids : plan.carried_clip_ids).push_back(s.clip_id);
  }
  if (last_slot) {
    plan.next = NextStep::kFinishSeason;
  } else if (plan.carried_clip_ids.empty()) {
    plan.next = NextStep::kNextSlotWaits;
  } else {
    plan.next = NextStep::kOpenNextSlot;
    plan.next_voting_ends_at = now + season.voting_window_seconds * 1000;
  }
  return plan;
}

}  // namespace aimoviez
