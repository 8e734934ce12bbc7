// Clips on SQLite: the catalogue, a slot's standings, carrying clips to the next slot, and the
// media processing queue.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

std::optional<Clip> SqliteStore::FindClip(Id id) {
  Guard g(db_.lock());
  return One<Clip>(db_.Prepare(Sql(kClipColumns, "WHERE c.id = ?")).BindAll(id), ReadClip);
}

std::vector<Clip> SqliteStore::ListClips(const ClipQuery& q) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(Sql(kClipColumns, kClipFilter),
                             "ORDER BY c.slot_position, c.created_at, c.id LIMIT ?5 OFFSET ?6"));
  BindClipFilter(st, q);
  st.Bind(5, q.limit).Bind(6, q.offset);
  return All<Clip>(st, ReadClip);
}

std::int64_t SqliteStore::CountClips(const ClipQuery& q) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql("SELECT COUNT(*) FROM tournament_clips c ", kClipFilter));
  BindClipFilter(st, q);
  st.Step();
  const auto n = st.Int(0);
  st.Reset();
  return n;
}

Clip SqliteStore::InsertClip(const Clip& c) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO tournament_clips (season_id, slot_position, user_id, title, description, "
         "genre, video_url, thumbnail_url, duration_ms, status, vote_count, weighted_score, "
         "view_count, created_at, updated_at, processing_status, processing_progress, "
         "processing_error, source_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
      .BindAll(SeasonRef(c.season_id), c.slot_position, c.user_id, c.title, c.description, c.genre,
               c.video_url, c.thumbnail_url, c.duration_ms, ToString(c.status), c.vote_count,
               c.weighted_score, c.view_count, c.created_at, c.created_at, ToString(c.processing),
               c.processing_progress, c.processing_error, c.source_key)
      .Run();
  return *FindClip(db_.LastInsertId());
}

void SqliteStore::UpdateClip(const Clip& c) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE tournament_clips SET season_id = ?, slot_position = ?, title = ?, "
         "description = ?, genre = ?, video_url = ?, thumbnail_url = ?, status = ?, "
         "updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE id = ?")
      .BindAll(SeasonRef(c.season_id), c.slot_position, c.title, c.description, c.genre,
               c.video_url, c.thumbnail_url, ToString(c.status), c.id)
      .Run();
}

std::vector<ClipStanding> SqliteStore::SlotStandings(Id season_id, int position) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT c.id, COALESCE(t.n, 0), COALESCE(t.score, 0), c.created_at "
      "FROM tournament_clips c LEFT JOIN "
      "(SELECT clip_id, COUNT(*) AS n, SUM(vote_weight) AS score FROM votes "
      " WHERE season_id = ?1 AND slot_position = ?2 GROUP BY clip_id) t ON t.clip_id = c.id "
      "WHERE c.season_id = ?1 AND c.slot_position = ?2 AND c.status = 'active' ORDER BY c.id");
  st.BindAll(season_id, position);
  return All<ClipStanding>(st, [](const Statement& s) {
    return ClipStanding{s.Int(0), s.Int(1), s.Int(2), s.Int(3)};
  });
}

void SqliteStore::CarryClips(const std::vector<Id>& clip_ids, int new_position) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "UPDATE tournament_clips SET slot_position = ?, status = 'active', vote_count = 0, "
      "weighted_score = 0 WHERE id = ?");
  for (Id id : clip_ids) {
    st.Reset();
    st.BindAll(new_position, id).Run();
  }
}

void SqliteStore::SetClipsStatus(const std::vector<Id>& clip_ids, ClipStatus status) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("UPDATE tournament_clips SET status = ? WHERE id = ?");
  for (Id id : clip_ids) {
    st.Reset();
    st.BindAll(ToString(status), id).Run();
  }
}

void SqliteStore::SnapshotCounters(const std::vector<ClipStanding>& standings) {
  Guard g(db_.lock());
  auto& st =
      db_.Prepare("UPDATE tournament_clips SET vote_count = ?, weighted_score = ? WHERE id = ?");
  for (const auto& s : standings) {
    st.Reset();
    st.BindAll(s.vote_count, s.weighted_score, s.clip_id).Run();
  }
}

void SqliteStore::SetProcessing(Id clip_id, ProcessingStatus status, int progress,
                                std::string_view error) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE tournament_clips SET processing_status = ?, processing_progress = ?, "
         "processing_error = ?, updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 "
         "WHERE id = ?")
      .BindAll(ToString(status), progress, error, clip_id)
      .Run();
}

void SqliteStore::FinishProcessing(Id clip_id, std::string_view video_url,
                                   std::string_view thumbnail_url, std::int64_t duration_ms) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE tournament_clips SET video_url = ?, thumbnail_url = ?, duration_ms = ?, "
         "processing_status = 'ready', processing_progress = 100, processing_error = '', "
         "source_key = '', updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE id = ?")
      .BindAll(video_url, thumbnail_url, duration_ms, clip_id)
      .Run();
}

std::optional<Clip> SqliteStore::NextClipToProcess() {
  Guard g(db_.lock());
  return One<Clip>(
      db_.Prepare(Sql(kClipColumns, "WHERE c.processing_status = 'queued' ORDER BY c.id LIMIT 1")),
      ReadClip);
}

void SqliteStore::RequeueInterruptedProcessing() {
  Guard g(db_.lock());
  db_.Exec(
      "UPDATE tournament_clips SET processing_status = 'queued', processing_progress = 0 "
      "WHERE processing_status = 'processing'");
  db_.Exec("UPDATE films SET status = 'queued', progress = 0 WHERE status = 'building'");
}

}  // namespace aimoviez::sqlite
