// GenreVoteRepository on PostgreSQL: the genre vote between seasons.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgGenreVoteRepository : public virtual GenreVoteRepository {
 public:
  explicit PgGenreVoteRepository(Database& db) : db_(db) {}
  void UpsertGenreVote(Id round, std::string_view voter_key, std::string_view genre,
                       EpochMs now) override;
  bool DeleteGenreVote(Id round, std::string_view voter_key) override;
  std::optional<std::string> FindGenreVote(Id round, std::string_view voter_key) override;
  std::vector<GenreTally> TallyGenreVotes(Id round) override;
  Id LatestFinishedSeasonId() override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
