#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

Season ReadSeason(const Rows& r, int i) {
  Season s;
  s.id = r.Int(i, 0);
  s.label = r.Text(i, 1);
  s.genre = r.Text(i, 2);
  s.description = r.Text(i, 3);
  s.status = ParseSeasonStatus(r.TextView(i, 4)).value_or(SeasonStatus::kDraft);
  s.total_slots = static_cast<int>(r.Int(i, 5));
  s.voting_window_seconds = r.Int(i, 6);
  s.created_at = r.Int(i, 7);
  s.activated_at = r.OptInt(i, 8);
  s.finished_at = r.OptInt(i, 9);
  return s;
}

Slot ReadSlot(const Rows& r, int i) {
  Slot s;
  s.id = r.Int(i, 0);
  s.season_id = r.Int(i, 1);
  s.position = static_cast<int>(r.Int(i, 2));
  s.status = ParseSlotStatus(r.TextView(i, 3)).value_or(SlotStatus::kUpcoming);
  s.genre = r.Text(i, 4);
  s.label = r.Text(i, 5);
  s.winner_clip_id = r.OptInt(i, 6);
  s.voting_started_at = r.OptInt(i, 7);
  s.voting_ends_at = r.OptInt(i, 8);
  s.locked_at = r.OptInt(i, 9);
  return s;
}

Clip ReadClip(const Rows& r, int i) {
  Clip c;
  c.id = r.Int(i, 0);
  c.season_id = r.Int(i, 1);
  c.slot_position = static_cast<int>(r.Int(i, 2));
  c.user_id = r.OptInt(i, 3);
  c.username = r.Text(i, 4);
  c.avatar_url = r.Text(i, 5);
  c.title = r.Text(i, 6);
  c.description = r.Text(i, 7);
  c.genre = r.Text(i, 8);
  c.video_url = r.Text(i, 9);
  c.thumbnail_url = r.Text(i, 10);
  c.duration_ms = r.Int(i, 11);
  c.status = ParseClipStatus(r.TextView(i, 12)).value_or(ClipStatus::kPending);
  c.vote_count = r.Int(i, 13);
  c.weighted_score = r.Int(i, 14);
  c.view_count = r.Int(i, 15);
  c.created_at = r.Int(i, 16);
  c.processing = ParseProcessingStatus(r.TextView(i, 17)).value_or(ProcessingStatus::kReady);
  c.processing_progress = static_cast<int>(r.Int(i, 18));
  c.processing_error = r.Text(i, 19);
  c.source_key = r.Text(i, 20);
  return c;
}

Film ReadFilm(const Rows& r, int i) {
  Film f;
  f.id = r.Int(i, 0);
  f.season_id = r.Int(i, 1);
  f.status = ParseFilmStatus(r.TextView(i, 2)).value_or(FilmStatus::kFailed);
  f.progress = static_cast<int>(r.Int(i, 3));
  f.error = r.Text(i, 4);
  f.video_url = r.Text(i, 5);
  f.chapters_json = r.Text(i, 6);
  f.duration_ms = r.Int(i, 7);
  f.created_at = r.Int(i, 8);
  f.updated_at = r.Int(i, 9);
  return f;
}

}  // namespace aimoviez::pg
