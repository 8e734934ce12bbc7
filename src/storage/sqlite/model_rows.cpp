#include "storage/sqlite/model_rows.h"

namespace aimoviez::sqlite {

User ReadUser(const Statement& st) {
  User u;
  u.id = st.Int(0);
  u.email = st.Text(1);
  u.username = st.Text(2);
  u.avatar_url = st.Text(3);
  u.is_admin = st.Int(4) != 0;
  u.is_banned = st.Int(5) != 0;
  u.created_at = st.Int(6);
  return u;
}

Season ReadSeason(const Statement& st) {
  Season s;
  s.id = st.Int(0);
  s.label = st.Text(1);
  s.genre = st.Text(2);
  s.description = st.Text(3);
  s.status = ParseSeasonStatus(st.Text(4)).value_or(SeasonStatus::kDraft);
  s.total_slots = static_cast<int>(st.Int(5));
  s.voting_window_seconds = st.Int(6);
  s.created_at = st.Int(7);
  s.activated_at = st.OptInt(8);
  s.finished_at = st.OptInt(9);
  return s;
}

Slot ReadSlot(const Statement& st) {
  Slot s;
  s.id = st.Int(0);
  s.season_id = st.Int(1);
  s.position = static_cast<int>(st.Int(2));
  s.status = ParseSlotStatus(st.Text(3)).value_or(SlotStatus::kUpcoming);
  s.genre = st.Text(4);
  s.label = st.Text(5);
  s.winner_clip_id = st.OptInt(6);
  s.voting_started_at = st.OptInt(7);
  s.voting_ends_at = st.OptInt(8);
  s.locked_at = st.OptInt(9);
  return s;
}

Clip ReadClip(const Statement& st) {
  Clip c;
  c.id = st.Int(0);
  c.season_id = st.Int(1);
  c.slot_position = static_cast<int>(st.Int(2));
  c.user_id = st.OptInt(3);
  c.username = st.Text(4);
  c.avatar_url = st.Text(5);
  c.title = st.Text(6);
  c.description = st.Text(7);
  c.genre = st.Text(8);
  c.video_url = st.Text(9);
  c.thumbnail_url = st.Text(10);
  c.duration_ms = st.Int(11);
  c.status = ParseClipStatus(st.Text(12)).value_or(ClipStatus::kPending);
  c.vote_count = st.Int(13);
  c.weighted_score = st.Int(14);
  c.view_count = st.Int(15);
  c.created_at = st.Int(16);
  c.processing = ParseProcessingStatus(st.Text(17)).value_or(ProcessingStatus::kReady);
  c.processing_progress = static_cast<int>(st.Int(18));
  c.processing_error = st.Text(19);
  c.source_key = st.Text(20);
  return c;
}

Film ReadFilm(const Statement& st) {
  Film f;
  f.id = st.Int(0);
  f.season_id = st.Int(1);
  f.status = ParseFilmStatus(st.Text(2)).value_or(FilmStatus::kFailed);
  f.progress = static_cast<int>(st.Int(3));
  f.error = st.Text(4);
  f.video_url = st.Text(5);
  f.chapters_json = st.Text(6);
  f.duration_ms = st.Int(7);
  f.created_at = st.Int(8);
  f.updated_at = st.Int(9);
  return f;
}

Upload ReadUpload(const Statement& st) {
  Upload u;
  u.id = st.Int(0);
  u.object_key = st.Text(1);
  u.user_id = st.Int(2);
  u.declared_size = st.Int(3);
  u.content_type = st.Text(4);
  u.status = ParseUploadStatus(st.Text(5)).value_or(UploadStatus::kFailed);
  u.received_bytes = st.Int(6);
  u.clip_id = st.OptInt(7);
  u.expires_at = st.Int(8);
  u.created_at = st.Int(9);
  u.updated_at = st.Int(10);
  return u;
}

std::optional<Id> SeasonRef(Id season_id) {
  return season_id > 0 ? std::optional<Id>(season_id) : std::nullopt;
}

void BindClipFilter(Statement& st, const ClipQuery& q) {
  st.Bind(1, q.season_id);
  st.Bind(2, q.slot_position);
  if (q.status) {
    st.Bind(3, ToString(*q.status));
  } else {
    st.BindNull(3);
  }
  st.Bind(4, q.user_id);
}

}  // namespace aimoviez::sqlite
