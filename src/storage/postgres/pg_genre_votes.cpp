#include "storage/postgres/pg_genre_votes.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

void PgGenreVoteRepository::UpsertGenreVote(Id round, std::string_view voter_key,
                                            std::string_view genre, EpochMs now) {
  db_.Exec(
      "INSERT INTO genre_votes (round, voter_key, genre, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $4) ON CONFLICT (round, voter_key) "
      "DO UPDATE SET genre = excluded.genre, updated_at = excluded.updated_at",
      Params(round, voter_key, genre, now));
}

bool PgGenreVoteRepository::DeleteGenreVote(Id round, std::string_view voter_key) {
  return db_.Exec("DELETE FROM genre_votes WHERE round = $1 AND voter_key = $2",
                  Params(round, voter_key))
             .Affected() > 0;
}

std::optional<std::string> PgGenreVoteRepository::FindGenreVote(Id round,
                                                                std::string_view voter_key) {
  return ReadFirst<std::string>(
      db_.Exec("SELECT genre FROM genre_votes WHERE round = $1 AND voter_key = $2",
               Params(round, voter_key)),
      [](const Rows& r, int i) { return r.Text(i, 0); });
}

std::vector<GenreTally> PgGenreVoteRepository::TallyGenreVotes(Id round) {
  return ReadAll<GenreTally>(
      db_.Exec("SELECT genre, COUNT(*) FROM genre_votes WHERE round = $1 GROUP BY genre "
               "ORDER BY genre",
               Params(round)),
      [](const Rows& r, int i) {
        return GenreTally{r.Text(i, 0), r.Int(i, 1)};
      });
}

Id PgGenreVoteRepository::LatestFinishedSeasonId() {
  return db_
      .Exec(
          "SELECT COALESCE(MAX(id), 0) FROM seasons WHERE status IN ('finished', "
          "'archived')")
      .Int(0, 0);
}

}  // namespace aimoviez::pg
