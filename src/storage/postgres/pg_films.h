// FilmRepository on PostgreSQL: a finished season assembled into one video, as a job queue.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgFilmRepository : public virtual FilmRepository {
 public:
  explicit PgFilmRepository(Database& db) : db_(db) {}

  Film RequestFilm(Id season_id, EpochMs now) override;
  std::optional<Film> FindFilm(Id season_id) override;
  std::optional<Film> NextFilmToBuild() override;
  void UpdateFilm(const Film& film) override;
  std::vector<Id> FinishedSeasonsWithoutFilm() override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
