#include "storage/postgres/pg_films.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

Film PgFilmRepository::RequestFilm(Id season_id, EpochMs now) {
  // The first request creates the row; a later one queues a rebuild of the same row.
  return ReadFilm(
      db_.Exec("INSERT INTO films (season_id, status, created_at, updated_at) "
               "VALUES ($1, 'queued', $2, $2) ON CONFLICT (season_id) DO UPDATE SET "
               "status = 'queued', progress = 0, error = '', updated_at = $2 "
               "RETURNING id, season_id, status, progress, error, video_url, chapters_json, "
               "duration_ms, created_at, updated_at",
               Params(season_id, now)),
      0);
}

std::optional<Film> PgFilmRepository::FindFilm(Id season_id) {
  return ReadFirst<Film>(
      db_.Exec(std::string(kFilmColumns) + "WHERE season_id = $1", Params(season_id)), ReadFilm);
}

std::optional<Film> PgFilmRepository::NextFilmToBuild() {
  return ReadFirst<Film>(db_.Exec(std::string(kFilmColumns) +
                                  "WHERE status = 'queued' ORDER BY updated_at, id LIMIT 1"),
                         ReadFilm);
}

void PgFilmRepository::UpdateFilm(const Film& f) {
  db_.Exec(
      "UPDATE films SET status = $1, progress = $2, error = $3, video_url = $4, "
      "chapters_json = $5, duration_ms = $6, updated_at = " +
          std::string(kNowMs) + " WHERE id = $7",
      Params(ToString(f.status), f.progress, f.error, f.video_url, f.chapters_json, f.duration_ms,
             f.id));
}

std::vector<Id> PgFilmRepository::FinishedSeasonsWithoutFilm() {
  return ReadAll<Id>(db_.Exec("SELECT s.id FROM seasons s WHERE s.status = 'finished' AND NOT "
                              "EXISTS (SELECT 1 FROM films f WHERE f.season_id = s.id) "
                              "ORDER BY s.id"),
                     [](const Rows& r, int i) { return r.Int(i, 0); });
}

}  // namespace aimoviez::pg
