#include "storage/postgres/pg_clips.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

// Each filter is optional: a NULL parameter matches every row.
constexpr std::string_view kClipFilter =
    "WHERE ($1::bigint IS NULL OR c.season_id = $1) AND ($2::int IS NULL OR c.slot_position = $2) "
    "AND ($3::text IS NULL OR c.status = $3) AND ($4::bigint IS NULL OR c.user_id = $4) ";

Params FilterParams(const ClipQuery& q) {
  Params p;
  p.Add(q.season_id).Add(q.slot_position);
  if (q.status) {
    p.Add(ToString(*q.status));
  } else {
    p.AddNull();
  }
  p.Add(q.user_id);
  return p;
}

// A clip outside any season is stored with a NULL season, not 0.
std::optional<Id> SeasonRef(Id season_id) {
  if (season_id == 0) return std::nullopt;
  return season_id;
}

}  // namespace

std::optional<Clip> PgClipRepository::FindClip(Id id) {
  return ReadFirst<Clip>(db_.Exec(std::string(kClipColumns) + "WHERE c.id = $1", Params(id)),
                         ReadClip);
}

std::vector<Clip> PgClipRepository::ListClips(const ClipQuery& q) {
  auto params = FilterParams(q);
  params.Add(q.limit).Add(q.offset);
  return ReadAll<Clip>(
      db_.Exec(std::string(kClipColumns) + std::string(kClipFilter) +
                   "ORDER BY c.slot_position, c.created_at, c.id LIMIT $5 OFFSET $6",
               params),
      ReadClip);
}

std::int64_t PgClipRepository::CountClips(const ClipQuery& q) {
  return db_
      .Exec("SELECT COUNT(*) FROM tournament_clips c " + std::string(kClipFilter), FilterParams(q))
      .Int(0, 0);
}

Clip PgClipRepository::InsertClip(const Clip& c) {
  const auto id =
      db_.Exec(
             "INSERT INTO tournament_clips (season_id, slot_position, user_id, title, "
             "description, genre, video_url, thumbnail_url, duration_ms, status, vote_count, "
             "weighted_score, view_count, created_at, updated_at, processing_status, "
             "processing_progress, processing_error, source_key) VALUES ($1, $2, $3, $4, $5, "
             "$6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $17, $18) RETURNING id",
             Params(SeasonRef(c.season_id), c.slot_position, c.user_id, c.title, c.description,
                    c.genre, c.video_url, c.thumbnail_url, c.duration_ms, ToString(c.status),
                    c.vote_count, c.weighted_score, c.view_count, c.created_at,
                    ToString(c.processing), c.processing_progress, c.processing_error,
                    c.source_key))
          .Int(0, 0);
  return *FindClip(id);
}

void PgClipRepository::UpdateClip(const Clip& c) {
  db_.Exec(
      "UPDATE tournament_clips SET season_id = $1, slot_position = $2, title = $3, "
      "description = $4, genre = $5, video_url = $6, thumbnail_url = $7, status = $8, "
      "updated_at = " +
          std::string(kNowMs) + " WHERE id = $9",
      Params(SeasonRef(c.season_id), c.slot_position, c.title, c.description, c.genre, c.video_url,
             c.thumbnail_url, ToString(c.status), c.id));
}

std::vector<ClipStanding> PgClipRepository::SlotStandings(Id season_id, int position) {
  const auto rows = db_.Exec(
      "SELECT c.id, COALESCE(t.n, 0), COALESCE(t.score, 0), c.created_at "
      "FROM tournament_clips c LEFT JOIN "
      "(SELECT clip_id, COUNT(*) AS n, SUM(vote_weight) AS score FROM votes "
      " WHERE season_id = $1 AND slot_position = $2 GROUP BY clip_id) t ON t.clip_id = c.id "
      "WHERE c.season_id = $1 AND c.slot_position = $2 AND c.status = 'active' ORDER BY c.id",
      Params(season_id, position));
  return ReadAll<ClipStanding>(rows, [](const Rows& r, int i) {
    return ClipStanding{r.Int(i, 0), r.Int(i, 1), r.Int(i, 2), r.Int(i, 3)};
  });
}

void PgClipRepository::CarryClips(const std::vector<Id>& clip_ids, int new_position) {
  db_.Exec(
      "UPDATE tournament_clips SET slot_position = $1, status = 'active', vote_count = 0, "
      "weighted_score = 0 WHERE id = ANY($2::bigint[])",
      Params(new_position, clip_ids));
}

void PgClipRepository::SetClipsStatus(const std::vector<Id>& clip_ids, ClipStatus status) {
  db_.Exec("UPDATE tournament_clips SET status = $1 WHERE id = ANY($2::bigint[])",
           Params(ToString(status), clip_ids));
}

void PgClipRepository::SnapshotCounters(const std::vector<ClipStanding>& standings) {
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> counts;
  std::vector<std::int64_t> scores;
  for (const auto& s : standings) {
    ids.push_back(s.clip_id);
    counts.push_back(s.vote_count);
    scores.push_back(s.weighted_score);
  }
  db_.Exec(
      "UPDATE tournament_clips c SET vote_count = v.n, weighted_score = v.score "
      "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(id, n, score) WHERE c.id = v.id",
      Params(ids, counts, scores));
}

void PgClipRepository::SetProcessing(Id clip_id, ProcessingStatus status, int progress,
                                     std::string_view error) {
  db_.Exec(
      "UPDATE tournament_clips SET processing_status = $1, processing_progress = $2, "
      "processing_error = $3, updated_at = " +
          std::string(kNowMs) + " WHERE id = $4",
      Params(ToString(status), progress, error, clip_id));
}

void PgClipRepository::FinishProcessing(Id clip_id, std::string_view video_url,
                                        std::string_view thumbnail_url, std::int64_t duration_ms) {
  db_.Exec(
      "UPDATE tournament_clips SET video_url = $1, thumbnail_url = $2, duration_ms = $3, "
      "processing_status = 'ready', processing_progress = 100, processing_error = '', "
      "source_key = '', updated_at = " +
          std::string(kNowMs) + " WHERE id = $4",
      Params(video_url, thumbnail_url, duration_ms, clip_id));
}

std::optional<Clip> PgClipRepository::NextClipToProcess() {
  return ReadFirst<Clip>(db_.Exec(std::string(kClipColumns) +
                                  "WHERE c.processing_status = 'queued' ORDER BY c.id LIMIT 1"),
                         ReadClip);
}

// Work a stopped process left half done (a clip being transcoded, a film being assembled) is
// queued again at start-up.
void PgClipRepository::RequeueInterruptedProcessing() {
  db_.Exec(
      "UPDATE tournament_clips SET processing_status = 'queued', processing_progress = 0 "
      "WHERE processing_status = 'processing'");
  db_.Exec("UPDATE films SET status = 'queued', progress = 0 WHERE status = 'building'");
}

}  // namespace aimoviez::pg
