// Season and slot state machines (spec section 9). Pure functions: they say whether a transition
// is allowed; services apply them inside one storage transaction.
#pragma once

#include "domain/errors.h"
#include "domain/model.h"

namespace aimoviez {

// draft → active → finished → archived (and archived → finished to restore).
bool CanTransition(SeasonStatus from, SeasonStatus to);
// upcoming → voting | waiting_for_clips; voting → locked | waiting_for_clips;
// waiting_for_clips → voting | locked; locked → voting (admin unlock).
bool CanTransition(SlotStatus from, SlotStatus to);

Status CheckSeasonTransition(SeasonStatus from, SeasonStatus to);
Status CheckSlotTransition(SlotStatus from, SlotStatus to);

struct SeasonDraft {
  std::string label;
  std::string genre;
  std::string description;
  int total_slots = 75;
  std::int64_t voting_window_seconds = 86'400;
};

// Validates and normalises admin input for a new or edited season.
Result<SeasonDraft> ValidateSeasonDraft(SeasonDraft draft, int max_slots);

}  // namespace aimoviez
