// VoteLedger on PostgreSQL: a node's batch is one call of the ledger_commit function (migration
// 8), so one round trip and one commit decide and store the whole batch; revocations, the kept
// tallies and their reconciliation are single statements.
#pragma once

#include "domain/vote_ledger.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgVoteLedger final : public VoteLedger {
 public:
  explicit PgVoteLedger(Database& db) : db_(db) {}

  std::vector<LedgerDecision> Commit(Id season_id, int slot_position,
                                     const std::vector<LedgerVote>& votes, EpochMs day_start,
                                     const LedgerRules& rules) override;
  std::optional<LedgerRemoval> Revoke(Id season_id, int slot_position, std::string_view voter_key,
                                      Id clip_id, EpochMs day_start) override;
  std::optional<LedgerRemoval> Invalidate(Id season_id, int slot_position, Id vote_id) override;
  std::int64_t RoundVersion() override;
  VoterStanding Standing(Id season_id, int slot_position, std::string_view voter_key,
                         EpochMs day_start) override;
  void RecordImpressions(const std::vector<ViewRecord>& views) override;
  std::size_t ForgetDaysBefore(EpochMs day_start) override;
  std::vector<ClipTally> Tallies(Id season_id, int slot_position) override;
  std::vector<TallyRepair> Reconcile(Id season_id, int slot_position) override;

 private:
  // Deletes the round's vote `vote_id` and takes it off its clip's tally; in the caller's
  // transaction, after the slot row is held. nullopt when the round holds no such vote.
  std::optional<LedgerRemoval> DeleteVote(Id season_id, int slot_position, Id vote_id);

  Database& db_;
};

}  // namespace aimoviez::pg
