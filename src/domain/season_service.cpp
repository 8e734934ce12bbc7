#include "domain/season_service.h"

#include <spdlog/spdlog.h>

#include "common/text.h"
#include "domain/broadcast_service.h"
#include "domain/slot_advance.h"
#include "domain/transaction.h"

namespace aimoviez {

namespace {
constexpr std::string_view kAutoAdvanceLock = "auto_advance";
// Long enough for a full pass over every expired slot; a crashed holder frees it by expiry.
constexpr EpochMs kAutoAdvanceLockTtlMs = 55'000;

AuditActor SystemActor() {
  return AuditActor{std::nullopt, "system:auto-advance"};
}

boost::json::array IdArray(const std::vector<Id>& ids) {
  boost::json::array out;
  for (Id id : ids) out.push_back(id);
  return out;
}
}  // namespace

void SeasonService::Audit(const AuditActor& actor, std::string_view action,
                          std::string_view resource_type, std::string resource_id,
                          boost::json::object details) {
  audit_.Record(actor, action, resource_type, std::move(resource_id), details);
}

std::optional<SeasonWithSlots> SeasonService::LoadSeason(Id season_id) {
  auto season = store_.FindSeason(season_id);
  if (!season) return std::nullopt;
  return SeasonWithSlots{*season, store_.ListSlots(season_id)};
}

Result<Slot> SeasonService::OpenSlot() {
  auto active = store_.FindActiveSeason();
  auto open = active ? store_.FindOpenSlot(active->id) : std::nullopt;
  if (!open) return Error::Conflict("NO_ACTIVE_SLOT", "There is no open slot");
  return *open;
}

Result<Season> SeasonService::CreateSeason(SeasonDraft draft, const AuditActor& actor) {
  auto valid = ValidateSeasonDraft(std::move(draft), limits_.max_slots);
  if (!valid) return valid.error();
  return InTransaction(store_, [&]() -> Result<Season> {
    Season s;
    s.label = valid->label;
    s.genre = valid->genre;
    s.description = valid->description;
    s.total_slots = valid->total_slots;
    s.voting_window_seconds = valid->voting_window_seconds;
    s.status = SeasonStatus::kDraft;
    s.created_at = clock_.NowMs();
    Season created = store_.CreateSeason(s);
    Audit(actor, "create_season", "season", std::to_string(created.id),
          {{"label", created.label}, {"total_slots", created.total_slots}});
    return created;
  });
}

Result<Season> SeasonService::EditSeason(Id season_id, const std::optional<std::string>& label,
                                         const std::optional<std::string>& genre,
                                         const std::optional<std::string>& description,
                                         std::optional<std::int64_t> voting_window_seconds,
                                         const AuditActor& actor) {
  return InTransaction(store_, [&]() -> Result<Season> {
    auto season = store_.FindSeason(season_id);
    if (!season) return Error::NotFound("Season");
    SeasonDraft draft{label.value_or(season->label), genre.value_or(season->genre),
                      description.value_or(season->description), season->total_slots,
                      voting_window_seconds.value_or(season->voting_window_seconds)};
    auto valid = ValidateSeasonDraft(std::move(draft), limits_.max_slots);
    if (!valid) return valid.error();
    season->label = valid->label;
    season->genre = valid->genre;
    season->description = valid->description;
    season->voting_window_seconds = valid->voting_window_seconds;
    store_.UpdateSeason(*season);
    boost::json::object details{{"label", season->label}};
    if (voting_window_seconds) details["voting_window_seconds"] = *voting_window_seconds;
    Audit(actor, "edit_season", "season", std::to_string(season_id), std::move(details));
    return *season;
  });
}

Result<Season> SeasonService::ActivateSeason(Id season_id, const AuditActor& actor) {
  auto result = GatedTransaction([&]() -> Result<Season> {
    auto season = store_.FindSeason(season_id);
    if (!season) return Error::NotFound("Season");
    if (auto st = CheckSeasonTransition(season->status, SeasonStatus::kActive); !st) {
      return st.error();
    }
    if (auto active = store_.FindActiveSeason()) {
      return Error::Conflict("SEASON_ALREADY_ACTIVE", "Another season is already active")
          .With("activeSeasonId", active->id);
    }
    const EpochMs now = clock_.NowMs();
    season->status = SeasonStatus::kActive;
    season->activated_at = now;
    store_.UpdateSeason(*season);
    auto first = store_.FindSlotAt(season_id, 1);
    if (!first) return Error::Internal("Season has no slots");
    first->status = SlotStatus::kVoting;
    first->voting_started_at = now;
    first->voting_ends_at = now + season->voting_window_seconds * 1000;
    store_.UpdateSlot(*first);
    store_.AppendBroadcast(RoundStartedBroadcast(*season, *first, now));
    Audit(actor, "activate_season", "season", std::to_string(season_id),
          {{"label", season->label}, {"voting_ends_at", *first->voting_ends_at}});
    return *season;
  });
  if (result) {
    if (auto open = store_.FindOpenSlot(season_id)) live_->SlotOpened(*open);
  }
  return result;
}

Result<Season> SeasonService::ArchiveSeason(Id season_id, const AuditActor& actor) {
  return InTransaction(store_, [&]() -> Result<Season> {
    auto season = store_.FindSeason(season_id);
    if (!season) return Error::NotFound("Season");
    if (auto st = CheckSeasonTransition(season->status, SeasonStatus::kArchived); !st) {
      return st.error();
    }
    season->status = SeasonStatus::kArchived;
    store_.UpdateSeason(*season);
    Audit(actor, "archive_season", "season", std::to_string(season_id), {{"label", season->label}});
    return *season;
  });
}

Status SeasonService::DeleteSeason(Id season_id, std::string_view confirm_label,
                                   const AuditActor& actor) {
  auto result = GatedTransaction([&]() -> Status {
    auto season = store_.FindSeason(season_id);
    if (!season) return Error::NotFound("Season");
    if (confirm_label != season->label) {
      return Error::InvalidInput("Type the season's label in `confirm` to delete it",
                                 "CONFIRMATION_REQUIRED")
          .With("field", "confirm");
    }
    store_.DeleteSeason(season_id);
    Audit(actor, "delete_season", "season", std::to_string(season_id),
          {{"label", season->label}, {"status", ToString(season->status)}});
    return Ok{};
  });
  if (result) live_->SeasonReset(season_id, "deleted");
  return result;
}

Result<AdvanceOutcome> SeasonService::Advance(Id slot_id, std::optional<Id> forced_winner,
                                              bool require_expired,
                                              const std::optional<Fence>& fence,
                                              const AuditActor& actor, std::string_view action) {
  auto result = GatedTransaction([&]() -> Result<AdvanceOutcome> {
    const EpochMs now = clock_.NowMs();
    // Fencing: a holder whose lock expired (and was taken over) must not write anything.
    if (fence && !store_.IsLockTokenCurrent(fence->lock_name, fence->token, now)) {
      return Error::Conflict("STALE_LOCK", "The job lock was lost before the advance");
    }
    auto slot = store_.FindSlotForChange(slot_id);
    if (!slot) return Error::NotFound("Slot");
    auto season = store_.FindSeason(slot->season_id);
    if (!season) return Error::NotFound("Season");
    if (season->status != SeasonStatus::kActive) {
      return Error::Conflict("SEASON_NOT_ACTIVE", "The slot's season is not active");
    }
    if (slot->status != SlotStatus::kVoting && slot->status != SlotStatus::kWaitingForClips) {
      return Error::Conflict("SLOT_NOT_OPEN", "Only the open slot can be advanced")
          .With("status", boost::json::string(ToString(slot->status)));
    }
    // The job re-checks inside the transaction: another node may have advanced it already.
    if (require_expired && (slot->status != SlotStatus::kVoting || !slot->voting_ends_at ||
                            *slot->voting_ends_at > now)) {
      return Error::Conflict("SLOT_NOT_EXPIRED", "The slot's voting window is still open");
    }
    const auto standings = store_.SlotStandings(season->id, slot->position);
    if (forced_winner) {
      const bool found = std::any_of(standings.begin(), standings.end(),
                                     [&](const auto& s) { return s.clip_id == *forced_winner; });
      if (!found) {
        return Error::Conflict("CLIP_NOT_IN_SLOT", "That clip is not an active clip of this slot");
      }
    }
    const AdvancePlan plan = PlanAdvance(*season, *slot, standings, now, forced_winner);

    AdvanceOutcome outcome;
    if (plan.next == NextStep::kWaitForClips) {
      if (slot->status == SlotStatus::kVoting) {
        slot->status = SlotStatus::kWaitingForClips;
        store_.UpdateSlot(*slot);
      }
      outcome.slot = *slot;
      Audit(actor, action, "slot", std::to_string(slot->id),
            {{"position", slot->position}, {"result", "waiting_for_clips"}});
      return outcome;
    }

    store_.SnapshotCounters(standings);
    store_.SetClipsStatus({*plan.winner_clip_id}, ClipStatus::kLocked);
    if (auto winner = store_.FindClip(*plan.winner_clip_id); winner && winner->user_id) {
      store_.AppendEngagementEvent(kEventClipWon, *winner->user_id, winner->id, winner->title, now);
    }
    slot->status = SlotStatus::kLocked;
    slot->winner_clip_id = plan.winner_clip_id;
    slot->locked_at = now;
    store_.UpdateSlot(*slot);
    outcome.slot = *slot;
    outcome.winner_clip_id = plan.winner_clip_id;
    outcome.carried_clip_ids = plan.carried_clip_ids;
    outcome.standings = standings;
    outcome.winner_assigned = forced_winner.has_value();

    if (plan.next == NextStep::kFinishSeason) {
      store_.SetClipsStatus(plan.eliminated_clip_ids, ClipStatus::kEliminated);
      season->status = SeasonStatus::kFinished;
      season->finished_at = now;
      store_.UpdateSeason(*season);
      outcome.season_finished = true;
    } else {
      store_.CarryClips(plan.carried_clip_ids, slot->position + 1);
      auto next = store_.FindSlotAt(season->id, slot->position + 1);
      if (!next) return Error::Internal("Next slot missing");
      if (plan.next == NextStep::kOpenNextSlot) {
        next->status = SlotStatus::kVoting;
        next->voting_started_at = now;
        next->voting_ends_at = plan.next_voting_ends_at;
      } else {
        next->status = SlotStatus::kWaitingForClips;
      }
      store_.UpdateSlot(*next);
      if (next->status == SlotStatus::kVoting) {
        outcome.opened_slot = *next;
        store_.AppendBroadcast(RoundStartedBroadcast(*season, *next, now));
      }
    }
    Audit(actor, action, "slot", std::to_string(slot->id),
          {{"position", slot->position},
           {"winner_clip_id", *plan.winner_clip_id},
           {"carried_clip_ids", IdArray(plan.carried_clip_ids)},
           {"season_finished", outcome.season_finished}});
    return outcome;
  });
  if (result) {
    PublishRoundLog(*result);
    AnnounceAdvance(*result);
  }
  return result;
}

// After the commit: the round is locked whatever happens here, so a failure to publish is an
// error in the log (the round stays without a published log), never a failed advance.
void SeasonService::PublishRoundLog(const AdvanceOutcome& outcome) {
  if (!round_logs_ || !outcome.winner_clip_id) return;
  try {
    round_logs_->Publish(outcome.slot.season_id, outcome.slot.position, outcome.standings,
                         outcome.winner_clip_id, outcome.winner_assigned);
  } catch (const std::exception& e) {
    spdlog::error(R"({{"msg":"round log not published","season":{},"slot":{},"error":"{}"}})",
                  outcome.slot.season_id, outcome.slot.position, e.what());
  }
}

void SeasonService::AnnounceAdvance(const AdvanceOutcome& outcome) {
  if (!outcome.winner_clip_id) return;
  live_->WinnerSelected(outcome.slot, *outcome.winner_clip_id);
  AnnounceClip(*outcome.winner_clip_id);
  if (outcome.opened_slot) live_->SlotOpened(*outcome.opened_slot);
  if (outcome.season_finished) live_->SeasonFinished(outcome.slot.season_id);
}

void SeasonService::AnnounceClip(Id clip_id) {
  if (auto clip = store_.FindClip(clip_id)) live_->ClipStatusChanged(*clip);
}

Result<AdvanceOutcome> SeasonService::AdvanceNow(Id slot_id, const AuditActor& actor) {
  return Advance(slot_id, std::nullopt, false, std::nullopt, actor, "advance_slot");
}

Result<AdvanceOutcome> SeasonService::AssignWinner(Id slot_id, Id clip_id,
                                                   const AuditActor& actor) {
  return Advance(slot_id, clip_id, false, std::nullopt, actor, "assign_winner");
}

Result<Slot> SeasonService::UnlockSlot(Id slot_id, const AuditActor& actor) {
  auto result = GatedTransaction([&]() -> Result<Slot> {
    const EpochMs now = clock_.NowMs();
    auto slot = store_.FindSlot(slot_id);
    if (!slot) return Error::NotFound("Slot");
    auto season = store_.FindSeason(slot->season_id);
    if (!season) return Error::NotFound("Season");
    if (auto st = CheckSlotTransition(slot->status, SlotStatus::kVoting); !st) return st.error();
    auto next = store_.FindSlotAt(season->id, slot->position + 1);
    // Only the most recently locked slot can be reopened; later rounds depend on it.
    if (next && next->status == SlotStatus::kLocked) {
      return Error::Conflict("UNLOCK_NOT_LATEST",
                             "Only the most recently locked slot can be unlocked");
    }
    std::int64_t discarded_votes = 0;
    if (next) {
      // The next round is undone: its clips come back and the votes cast in it are discarded.
      auto carried = store_.ListClips(
          ClipQuery{season->id, next->position, ClipStatus::kActive, std::nullopt, 100000, 0});
      std::vector<Id> ids;
      for (const auto& c : carried) ids.push_back(c.id);
      discarded_votes = store_.DeleteVotesAt(season->id, next->position);
      store_.CarryClips(ids, slot->position);
      next->status = SlotStatus::kUpcoming;
      next->voting_started_at.reset();
      next->voting_ends_at.reset();
      store_.UpdateSlot(*next);
    }
    if (season->status == SeasonStatus::kFinished) {
      auto eliminated = store_.ListClips(
          ClipQuery{season->id, slot->position, ClipStatus::kEliminated, std::nullopt, 100000, 0});
      std::vector<Id> ids;
      for (const auto& c : eliminated) ids.push_back(c.id);
      store_.SetClipsStatus(ids, ClipStatus::kActive);
      season->status = SeasonStatus::kActive;
      season->finished_at.reset();
      store_.UpdateSeason(*season);
    } else if (season->status != SeasonStatus::kActive) {
      return Error::Conflict("SEASON_NOT_ACTIVE", "The slot's season is not active");
    }
    const auto previous_winner = slot->winner_clip_id;
    if (previous_winner) store_.SetClipsStatus({*previous_winner}, ClipStatus::kActive);
    slot->status = SlotStatus::kVoting;
    slot->winner_clip_id.reset();
    slot->locked_at.reset();
    slot->voting_started_at = now;
    slot->voting_ends_at = now + season->voting_window_seconds * 1000;
    store_.UpdateSlot(*slot);
    store_.AppendBroadcast(RoundStartedBroadcast(*season, *slot, now));
    store_.SnapshotCounters(store_.SlotStandings(season->id, slot->position));
    boost::json::object details{{"position", slot->position},
                                {"discarded_next_round_votes", discarded_votes}};
    if (previous_winner) details["previous_winner_clip_id"] = *previous_winner;
    Audit(actor, "unlock_slot", "slot", std::to_string(slot->id), std::move(details));
    return *slot;
  });
  if (result) {
    live_->SeasonReset(result->season_id, "unlocked");
    live_->SlotOpened(*result);
  }
  return result;
}

Result<std::int64_t> SeasonService::ResetVotes(Id slot_id, const AuditActor& actor) {
  auto result = GatedTransaction([&]() -> Result<std::int64_t> {
    auto slot = store_.FindSlotForChange(slot_id);
    if (!slot) return Error::NotFound("Slot");
    if (slot->status != SlotStatus::kVoting && slot->status != SlotStatus::kWaitingForClips) {
      return Error::Conflict("SLOT_NOT_OPEN", "Votes can only be reset in the open slot");
    }
    const auto removed = store_.DeleteVotesAt(slot->season_id, slot->position);
    store_.SnapshotCounters(store_.SlotStandings(slot->season_id, slot->position));
    Audit(actor, "reset_votes", "slot", std::to_string(slot->id),
          {{"position", slot->position}, {"votes_removed", removed}});
    return removed;
  });
  if (result) {
    if (auto slot = store_.FindSlot(slot_id)) live_->SeasonReset(slot->season_id, "votes_reset");
  }
  return result;
}

Result<Clip> SeasonService::ApproveClip(Id clip_id, const AuditActor& actor) {
  auto result = GatedTransaction([&]() -> Result<Clip> {
    auto clip = store_.FindClip(clip_id);
    if (!clip) return Error::NotFound("Clip");
    if (clip->status != ClipStatus::kPending) {
      return Error::Conflict("INVALID_TRANSITION", "Only pending clips can be approved")
          .With("status", boost::json::string(ToString(clip->status)));
    }
    if (clip->processing != ProcessingStatus::kReady) {
      return Error::Conflict("CLIP_NOT_READY", "The clip's media is still being processed")
          .With("processingStatus", boost::json::string(ToString(clip->processing)));
    }
    auto season = store_.FindActiveSeason();
    if (!season) return Error::Conflict("NO_ACTIVE_SLOT", "There is no active season to join");
    auto slot = store_.FindOpenSlot(season->id);
    if (!slot) return Error::Conflict("NO_ACTIVE_SLOT", "The active season has no open slot");
    clip->season_id = season->id;
    clip->slot_position = slot->position;
    clip->status = ClipStatus::kActive;
    store_.UpdateClip(*clip);
    if (clip->user_id) {
      store_.AppendEngagementEvent(kEventClipApproved, *clip->user_id, clip_id, clip->title,
                                   clock_.NowMs());
    }
    if (slot->status == SlotStatus::kWaitingForClips) {
      // The first clip to arrive restarts the round with a full window.
      const EpochMs now = clock_.NowMs();
      slot->status = SlotStatus::kVoting;
      slot->voting_started_at = now;
      slot->voting_ends_at = now + season->voting_window_seconds * 1000;
      store_.UpdateSlot(*slot);
      store_.AppendBroadcast(RoundStartedBroadcast(*season, *slot, now));
    }
    Audit(actor, "approve_clip", "clip", std::to_string(clip_id),
          {{"season_id", season->id}, {"slot_position", slot->position}});
    return *store_.FindClip(clip_id);
  });
  if (result) live_->ClipStatusChanged(*result);
  return result;
}

Result<Clip> SeasonService::RejectClip(Id clip_id, const std::string& reason,
                                       const AuditActor& actor) {
  auto result = GatedTransaction([&]() -> Result<Clip> {
    auto clip = store_.FindClip(clip_id);
    if (!clip) return Error::NotFound("Clip");
    if (clip->status != ClipStatus::kPending && clip->status != ClipStatus::kActive) {
      return Error::Conflict("INVALID_TRANSITION", "Only pending or active clips can be rejected")
          .With("status", boost::json::string(ToString(clip->status)));
    }
    clip->status = ClipStatus::kRejected;
    store_.UpdateClip(*clip);
    if (clip->user_id) {
      store_.AppendEngagementEvent(kEventClipRejected, *clip->user_id, clip_id, clip->title,
                                   clock_.NowMs());
    }
    Audit(actor, "reject_clip", "clip", std::to_string(clip_id),
          {{"reason", text::Sanitize(reason).substr(0, 500)}});
    return *store_.FindClip(clip_id);
  });
  if (result) live_->ClipStatusChanged(*result);
  return result;
}

int SeasonService::RunAutoAdvance(std::string_view holder) {
  const EpochMs now = clock_.NowMs();
  const auto token = store_.TryAcquireLock(kAutoAdvanceLock, holder, now, kAutoAdvanceLockTtlMs);
  if (!token) return 0;
  int advanced = 0;
  try {
    for (const auto& slot : store_.ListVotingSlotsEndingBefore(now)) {
      auto outcome = Advance(slot.id, std::nullopt, true, Fence{kAutoAdvanceLock, *token},
                             SystemActor(), "auto_advance");
      if (outcome) ++advanced;
    }
  } catch (...) {
    store_.ReleaseLock(kAutoAdvanceLock, *token);
    throw;
  }
  store_.ReleaseLock(kAutoAdvanceLock, *token);
  return advanced;
}

}  // namespace aimoviez
