// Season and slot lifecycle (spec section 9): creation, activation, the auto-advance job, and the
// admin overrides (advance now, assign winner, unlock, reset votes). Every transition runs in one
// storage transaction together with its audit entry.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "domain/actor.h"
#include "domain/audit_trail.h"
#include "domain/errors.h"
#include "domain/live_events.h"
#include "domain/ports.h"
#include "domain/round_log_service.h"
#include "domain/season_rules.h"
#include "domain/transaction.h"
#include "domain/vote_engine.h"

namespace aimoviez {

struct AdvanceOutcome {
  Slot slot;  // the slot after the transition
  std::optional<Id> winner_clip_id;
  std::vector<Id> carried_clip_ids;
  std::optional<Slot> opened_slot;  // the next slot, when its voting started
  bool season_finished = false;
  std::vector<ClipStanding> standings;  // the closed round's clips as they closed
  bool winner_assigned = false;         // by an admin, not the winner rule
};

struct SeasonWithSlots {
  Season season;
  std::vector<Slot> slots;
};

struct SeasonLimits {
  int max_slots = 200;
  int default_slots = 75;
  std::int64_t default_voting_window_seconds = 86'400;
};

class SeasonService {
 public:
  SeasonService(Store& store, const Clock& clock, SeasonLimits limits)
      : store_(store), clock_(clock), limits_(limits), audit_(store, clock) {}

  // Round-changing work runs through the vote engine's gate (see vote_engine.h).
  void SetRoundGate(RoundGate& gate) { gate_ = &gate; }
  // Committed transitions are announced here (winners, opened slots, resets, clip statuses).
  void SetLiveEvents(LiveEvents& live) { live_ = &live; }
  // Every round that locks a winner gets its public log (verifiable rounds).
  void SetRoundLogs(RoundLogService& logs) { round_logs_ = &logs; }

  Result<Season> CreateSeason(SeasonDraft draft, const AuditActor& actor);
  Result<Season> EditSeason(Id season_id, const std::optional<std::string>& label,
                            const std::optional<std::string>& genre,
                            const std::optional<std::string>& description,
                            std::optional<std::int64_t> voting_window_seconds,
                            const AuditActor& actor);
  Result<Season> ActivateSeason(Id season_id, const AuditActor& actor);
  Result<Season> ArchiveSeason(Id season_id, const AuditActor& actor);
  // `confirm_label` must equal the season's label: deleting is irreversible.
  Status DeleteSeason(Id season_id, std::string_view confirm_label, const AuditActor& actor);

  Result<AdvanceOutcome> AdvanceNow(Id slot_id, const AuditActor& actor);
  Result<AdvanceOutcome> AssignWinner(Id slot_id, Id clip_id, const AuditActor& actor);
  Result<Slot> UnlockSlot(Id slot_id, const AuditActor& actor);
  Result<std::int64_t> ResetVotes(Id slot_id, const AuditActor& actor);

  // Moves a pending clip into the active season's open slot; a slot waiting for clips starts
  // its voting window.
  Result<Clip> ApproveClip(Id clip_id, const AuditActor& actor);
  Result<Clip> RejectClip(Id clip_id, const std::string& reason, const AuditActor& actor);

  // The auto-advance job: under the named job lock (with fencing), closes every voting slot whose
  // window has ended. Returns how many slots advanced; 0 also when another holder has the lock.
  int RunAutoAdvance(std::string_view holder);

  std::optional<SeasonWithSlots> LoadSeason(Id season_id);
  // The active season's slot that is voting or waiting for clips (NO_ACTIVE_SLOT otherwise).
  Result<Slot> OpenSlot();

 private:
  struct Fence {
    std::string_view lock_name;
    std::int64_t token;
  };
  Result<AdvanceOutcome> Advance(Id slot_id, std::optional<Id> forced_winner, bool require_expired,
                                 const std::optional<Fence>& fence, const AuditActor& actor,
                                 std::string_view action);
  void AnnounceAdvance(const AdvanceOutcome& outcome);
  void PublishRoundLog(const AdvanceOutcome& outcome);
  void AnnounceClip(Id clip_id);
  void Audit(const AuditActor& actor, std::string_view action, std::string_view resource_type,
             std::string resource_id, boost::json::object details);
  // One transaction, run while the vote engine holds votes back and reloads afterwards.
  template <typename Work>
  auto GatedTransaction(Work&& work) -> decltype(work()) {
    std::optional<decltype(work())> out;
    gate_->Exclusive([&] { out.emplace(InTransaction(store_, work)); });
    return std::move(*out);
  }

  Store& store_;
  const Clock& clock_;
  SeasonLimits limits_;
  AuditTrail audit_;
  NoRoundGate no_gate_;
  RoundGate* gate_ = &no_gate_;
  NoLiveEvents no_live_;
  LiveEvents* live_ = &no_live_;
  RoundLogService* round_logs_ = nullptr;
};

}  // namespace aimoviez
