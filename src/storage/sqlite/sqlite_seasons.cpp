// Seasons and their story slots on SQLite.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

std::vector<Season> SqliteStore::ListSeasons() {
  Guard g(db_.lock());
  return All<Season>(db_.Prepare(Sql(kSeasonColumns, "ORDER BY id")), ReadSeason);
}

std::optional<Season> SqliteStore::FindSeason(Id id) {
  Guard g(db_.lock());
  return One<Season>(db_.Prepare(Sql(kSeasonColumns, "WHERE id = ?")).BindAll(id), ReadSeason);
}

std::optional<Season> SqliteStore::FindActiveSeason() {
  Guard g(db_.lock());
  return One<Season>(db_.Prepare(Sql(kSeasonColumns, "WHERE status = 'active'")), ReadSeason);
}

Season SqliteStore::CreateSeason(const Season& season) {
  Guard g(db_.lock());
  Season created = season;
  Transaction([&] {
    db_.Prepare(
           "INSERT INTO seasons (label, genre, description, status, total_slots, "
           "voting_window_seconds, created_at) VALUES (?,?,?,?,?,?,?)")
        .BindAll(season.label, season.genre, season.description, ToString(season.status),
                 season.total_slots, season.voting_window_seconds, season.created_at)
        .Run();
    created.id = db_.LastInsertId();
    auto& slot = db_.Prepare(
        "INSERT INTO story_slots (season_id, slot_position, status, genre, label) "
        "VALUES (?, ?, 'upcoming', ?, ?)");
    for (int pos = 1; pos <= season.total_slots; ++pos) {
      slot.Reset();
      slot.BindAll(created.id, pos, season.genre, "Slot " + std::to_string(pos)).Run();
    }
  });
  return created;
}

void SqliteStore::UpdateSeason(const Season& s) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE seasons SET label = ?, genre = ?, description = ?, status = ?, "
         "voting_window_seconds = ?, activated_at = ?, finished_at = ? WHERE id = ?")
      .BindAll(s.label, s.genre, s.description, ToString(s.status), s.voting_window_seconds,
               s.activated_at, s.finished_at, s.id)
      .Run();
}

void SqliteStore::DeleteSeason(Id id) {
  Guard g(db_.lock());
  Transaction([&] {
    // Votes carry no foreign key (see migration 8), so the season's votes go by round first.
    db_.Prepare("DELETE FROM votes WHERE season_id = ?").BindAll(id).Run();
    db_.Prepare("DELETE FROM feed_impressions WHERE season_id = ?").BindAll(id).Run();
    db_.Prepare("UPDATE story_slots SET winner_clip_id = NULL WHERE season_id = ?")
        .BindAll(id)
        .Run();
    db_.Prepare("DELETE FROM seasons WHERE id = ?").BindAll(id).Run();
  });
}

std::vector<Slot> SqliteStore::ListSlots(Id season_id) {
  Guard g(db_.lock());
  return All<Slot>(db_.Prepare(Sql(kSlotColumns, "WHERE season_id = ? ORDER BY slot_position"))
                       .BindAll(season_id),
                   ReadSlot);
}

std::optional<Slot> SqliteStore::FindSlot(Id slot_id) {
  Guard g(db_.lock());
  return One<Slot>(db_.Prepare(Sql(kSlotColumns, "WHERE id = ?")).BindAll(slot_id), ReadSlot);
}

std::optional<Slot> SqliteStore::FindSlotAt(Id season_id, int position) {
  Guard g(db_.lock());
  return One<Slot>(db_.Prepare(Sql(kSlotColumns, "WHERE season_id = ? AND slot_position = ?"))
                       .BindAll(season_id, position),
                   ReadSlot);
}

std::optional<Slot> SqliteStore::FindOpenSlot(Id season_id) {
  Guard g(db_.lock());
  return One<Slot>(
      db_.Prepare(Sql(kSlotColumns,
                      "WHERE season_id = ? AND status IN ('voting', 'waiting_for_clips') "
                      "ORDER BY slot_position LIMIT 1"))
          .BindAll(season_id),
      ReadSlot);
}

std::vector<Slot> SqliteStore::ListVotingSlotsEndingBefore(EpochMs cutoff) {
  Guard g(db_.lock());
  return All<Slot>(db_.Prepare(Sql(kSlotColumns,
                                   "WHERE status = 'voting' AND voting_ends_at <= ? "
                                   "ORDER BY voting_ends_at"))
                       .BindAll(cutoff),
                   ReadSlot);
}

void SqliteStore::UpdateSlot(const Slot& s) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE story_slots SET status = ?, genre = ?, label = ?, winner_clip_id = ?, "
         "voting_started_at = ?, voting_ends_at = ?, locked_at = ? WHERE id = ?")
      .BindAll(ToString(s.status), s.genre, s.label, s.winner_clip_id, s.voting_started_at,
               s.voting_ends_at, s.locked_at, s.id)
      .Run();
}

}  // namespace aimoviez::sqlite
