// The genre vote between seasons on SQLite.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

void SqliteStore::UpsertGenreVote(Id round, std::string_view voter_key, std::string_view genre,
                                  EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO genre_votes (round, voter_key, genre, created_at, updated_at) "
         "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (round, voter_key) "
         "DO UPDATE SET genre = excluded.genre, updated_at = excluded.updated_at")
      .BindAll(round, voter_key, genre, now)
      .Run();
}

bool SqliteStore::DeleteGenreVote(Id round, std::string_view voter_key) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM genre_votes WHERE round = ? AND voter_key = ?")
      .BindAll(round, voter_key)
      .Run();
  return db_.Changes() > 0;
}

std::optional<std::string> SqliteStore::FindGenreVote(Id round, std::string_view voter_key) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT genre FROM genre_votes WHERE round = ? AND voter_key = ?");
  st.BindAll(round, voter_key);
  return One<std::string>(st, [](const Statement& s) { return s.Text(0); });
}

std::vector<GenreTally> SqliteStore::TallyGenreVotes(Id round) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT genre, COUNT(*) FROM genre_votes WHERE round = ? GROUP BY genre ORDER BY genre");
  st.BindAll(round);
  return All<GenreTally>(st, [](const Statement& s) { return GenreTally{s.Text(0), s.Int(1)}; });
}

Id SqliteStore::LatestFinishedSeasonId() {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT COALESCE(MAX(id), 0) FROM seasons WHERE status IN ('finished', 'archived')");
  st.Step();
  const Id id = st.Int(0);
  st.Reset();
  return id;
}

}  // namespace aimoviez::sqlite
