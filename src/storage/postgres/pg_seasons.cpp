#include "storage/postgres/pg_seasons.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

std::string SeasonsWhere(std::string_view rest) {
  return std::string(kSeasonColumns) + std::string(rest);
}

std::string SlotsWhere(std::string_view rest) {
  return std::string(kSlotColumns) + std::string(rest);
}

}  // namespace

std::vector<Season> PgSeasonRepository::ListSeasons() {
  return ReadAll<Season>(db_.Exec(SeasonsWhere("ORDER BY id")), ReadSeason);
}

std::optional<Season> PgSeasonRepository::FindSeason(Id id) {
  return ReadFirst<Season>(db_.Exec(SeasonsWhere("WHERE id = $1"), Params(id)), ReadSeason);
}

std::optional<Season> PgSeasonRepository::FindActiveSeason() {
  return ReadFirst<Season>(db_.Exec(SeasonsWhere("WHERE status = 'active'")), ReadSeason);
}

Season PgSeasonRepository::CreateSeason(const Season& season) {
  Season created = season;
  db_.Transaction([&] {
    created.id =
        db_.Exec(
               "INSERT INTO seasons (label, genre, description, status, total_slots, "
               "voting_window_seconds, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
               "RETURNING id",
               Params(season.label, season.genre, season.description, ToString(season.status),
                      season.total_slots, season.voting_window_seconds, season.created_at))
            .Int(0, 0);
    // Every slot in one statement: positions 1..N, all upcoming, labelled "Slot N".
    db_.Exec(
        "INSERT INTO story_slots (season_id, slot_position, status, genre, label) "
        "SELECT $1, pos, 'upcoming', $2, 'Slot ' || pos FROM generate_series(1, $3::int) AS pos",
        Params(created.id, season.genre, season.total_slots));
  });
  return created;
}

void PgSeasonRepository::UpdateSeason(const Season& s) {
  db_.Exec(
      "UPDATE seasons SET label = $1, genre = $2, description = $3, status = $4, "
      "voting_window_seconds = $5, activated_at = $6, finished_at = $7 WHERE id = $8",
      Params(s.label, s.genre, s.description, ToString(s.status), s.voting_window_seconds,
             s.activated_at, s.finished_at, s.id));
}

void PgSeasonRepository::DeleteSeason(Id id) {
  db_.Transaction([&] {
    // Votes and impressions carry no foreign key (they are keyed by round), so they go first.
    db_.Exec("DELETE FROM votes WHERE season_id = $1", Params(id));
    db_.Exec("DELETE FROM feed_impressions WHERE season_id = $1", Params(id));
    db_.Exec("DELETE FROM round_tallies WHERE season_id = $1", Params(id));
    db_.Exec("DELETE FROM round_impressions WHERE season_id = $1", Params(id));
    db_.Exec("DELETE FROM spent_power_votes WHERE season_id = $1", Params(id));
    db_.Exec("UPDATE story_slots SET winner_clip_id = NULL WHERE season_id = $1", Params(id));
    db_.Exec("DELETE FROM seasons WHERE id = $1", Params(id));
  });
}

std::vector<Slot> PgSeasonRepository::ListSlots(Id season_id) {
  return ReadAll<Slot>(
      db_.Exec(SlotsWhere("WHERE season_id = $1 ORDER BY slot_position"), Params(season_id)),
      ReadSlot);
}

std::optional<Slot> PgSeasonRepository::FindSlot(Id slot_id) {
  return ReadFirst<Slot>(db_.Exec(SlotsWhere("WHERE id = $1"), Params(slot_id)), ReadSlot);
}

std::optional<Slot> PgSeasonRepository::FindSlotForChange(Id slot_id) {
  return ReadFirst<Slot>(db_.Exec(SlotsWhere("WHERE id = $1 FOR UPDATE"), Params(slot_id)),
                         ReadSlot);
}

std::optional<Slot> PgSeasonRepository::FindSlotAt(Id season_id, int position) {
  return ReadFirst<Slot>(db_.Exec(SlotsWhere("WHERE season_id = $1 AND slot_position = $2"),
                                  Params(season_id, position)),
                         ReadSlot);
}

std::optional<Slot> PgSeasonRepository::FindOpenSlot(Id season_id) {
  return ReadFirst<Slot>(
      db_.Exec(SlotsWhere("WHERE season_id = $1 AND status IN ('voting', 'waiting_for_clips') "
                          "ORDER BY slot_position LIMIT 1"),
               Params(season_id)),
      ReadSlot);
}

std::vector<Slot> PgSeasonRepository::ListVotingSlotsEndingBefore(EpochMs cutoff) {
  return ReadAll<Slot>(db_.Exec(SlotsWhere("WHERE status = 'voting' AND voting_ends_at <= $1 "
                                           "ORDER BY voting_ends_at, id"),
                                Params(cutoff)),
                       ReadSlot);
}

void PgSeasonRepository::UpdateSlot(const Slot& s) {
  db_.Exec(
      "UPDATE story_slots SET status = $1, genre = $2, label = $3, winner_clip_id = $4, "
      "voting_started_at = $5, voting_ends_at = $6, locked_at = $7 WHERE id = $8",
      Params(ToString(s.status), s.genre, s.label, s.winner_clip_id, s.voting_started_at,
             s.voting_ends_at, s.locked_at, s.id));
}

}  // namespace aimoviez::pg
