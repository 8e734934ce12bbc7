// Films (a finished season assembled into one video) on SQLite.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

Film SqliteStore::RequestFilm(Id season_id, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO films (season_id, status, created_at, updated_at) VALUES (?1, 'queued', ?2, "
         "?2) "
         "ON CONFLICT(season_id) DO UPDATE SET status = 'queued', progress = 0, error = '', "
         "updated_at = ?2")
      .BindAll(season_id, now)
      .Run();
  return *FindFilm(season_id);
}

std::optional<Film> SqliteStore::FindFilm(Id season_id) {
  Guard g(db_.lock());
  return One<Film>(db_.Prepare(Sql(kFilmColumns, "WHERE season_id = ?")).BindAll(season_id),
                   ReadFilm);
}

std::optional<Film> SqliteStore::NextFilmToBuild() {
  Guard g(db_.lock());
  return One<Film>(
      db_.Prepare(Sql(kFilmColumns, "WHERE status = 'queued' ORDER BY updated_at LIMIT 1")),
      ReadFilm);
}

void SqliteStore::UpdateFilm(const Film& f) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE films SET status = ?, progress = ?, error = ?, video_url = ?, chapters_json = ?, "
         "duration_ms = ?, updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE id = ?")
      .BindAll(ToString(f.status), f.progress, f.error, f.video_url, f.chapters_json, f.duration_ms,
               f.id)
      .Run();
}

std::vector<Id> SqliteStore::FinishedSeasonsWithoutFilm() {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT s.id FROM seasons s WHERE s.status = 'finished' AND NOT EXISTS "
      "(SELECT 1 FROM films f WHERE f.season_id = s.id) ORDER BY s.id");
  std::vector<Id> ids;
  while (st.Step()) ids.push_back(st.Int(0));
  st.Reset();
  return ids;
}

}  // namespace aimoviez::sqlite
