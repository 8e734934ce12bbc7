// VoteRepository on PostgreSQL: the vote engine's batched log writes, a round's rows for
// recounts, the day's voters, what each voter was shown, and the admin's review of flagged votes.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgVoteRepository : public virtual VoteRepository {
 public:
  explicit PgVoteRepository(Database& db) : db_(db) {}

  void InsertVotes(const std::vector<VoteRecord>& votes) override;
  std::int64_t DeleteVotesAt(Id season_id, int position) override;
  void ApplyVoteBatch(const std::vector<VoteWrite>& writes, const std::vector<ViewRecord>& views,
                      const std::vector<ClipCounterSnapshot>& counters) override;
  Id MaxVoteId() override;
  void ForEachVoteAt(Id season_id, int position,
                     const std::function<void(const StoredVote&)>& visit) override;
  void ForEachVoteSince(
      EpochMs since, std::optional<std::pair<Id, int>> except_round,
      const std::function<void(std::string_view voter, std::int64_t network)>& visit) override;
  void ForEachViewAt(Id season_id, int position,
                     const std::function<void(Id clip_id, std::string_view voter)>& visit) override;
  std::vector<FlaggedVoteGroup> ListFlaggedVotes(Id season_id, int position, int limit) override;
  std::vector<FlaggedVoteRow> ListFlaggedVoteRows(Id season_id, int position, Id clip_id,
                                                  std::int64_t network, std::string_view reasons,
                                                  int limit) override;

 private:
  void InsertVoteRows(const std::vector<const VoteRecord*>& rows);

  Database& db_;
};

}  // namespace aimoviez::pg
