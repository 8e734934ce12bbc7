#include "storage/postgres/pg_uploads.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

constexpr std::string_view kUploadColumns =
    "SELECT id, object_key, user_id, declared_size, content_type, status, received_bytes, "
    "clip_id, expires_at, created_at, updated_at FROM uploads ";

Upload ReadUpload(const Rows& r, int i) {
  Upload u;
  u.id = r.Int(i, 0);
  u.object_key = r.Text(i, 1);
  u.user_id = r.Int(i, 2);
  u.declared_size = r.Int(i, 3);
  u.content_type = r.Text(i, 4);
  u.status = ParseUploadStatus(r.TextView(i, 5)).value_or(UploadStatus::kFailed);
  u.received_bytes = r.Int(i, 6);
  u.clip_id = r.OptInt(i, 7);
  u.expires_at = r.Int(i, 8);
  u.created_at = r.Int(i, 9);
  u.updated_at = r.Int(i, 10);
  return u;
}

}  // namespace

Upload PgUploadRepository::InsertUpload(const Upload& u) {
  db_.Exec(
      "INSERT INTO uploads (object_key, user_id, declared_size, content_type, status, "
      "received_bytes, clip_id, expires_at, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
      Params(u.object_key, u.user_id, u.declared_size, u.content_type, ToString(u.status),
             u.received_bytes, u.clip_id, u.expires_at, u.created_at));
  return *FindUpload(u.object_key);
}

std::optional<Upload> PgUploadRepository::FindUpload(std::string_view object_key) {
  // Locked: inside a transaction (registering the upload as a clip) a second registration on
  // another node waits here until the first commits, then finds it registered. SQLite needs no
  // lock, its write transactions never overlap. Outside one the lock ends with the statement.
  return ReadFirst<Upload>(
      db_.Exec(std::string(kUploadColumns) + "WHERE object_key = $1 FOR UPDATE",
               Params(object_key)),
      ReadUpload);
}

void PgUploadRepository::UpdateUpload(const Upload& u) {
  db_.Exec("UPDATE uploads SET status = $1, received_bytes = $2, clip_id = $3, updated_at = " +
               std::string(kNowMs) + " WHERE id = $4",
           Params(ToString(u.status), u.received_bytes, u.clip_id, u.id));
}

std::vector<Upload> PgUploadRepository::ListAbandonedUploads(EpochMs before, int limit) {
  return ReadAll<Upload>(
      db_.Exec(std::string(kUploadColumns) +
                   "WHERE status <> 'registered' AND created_at < $1 ORDER BY id LIMIT $2",
               Params(before, limit)),
      ReadUpload);
}

void PgUploadRepository::DeleteUpload(Id id) {
  db_.Exec("DELETE FROM uploads WHERE id = $1", Params(id));
}

bool PgUploadRepository::IsKeyReferenced(std::string_view object_key) {
  const std::string url = "/media/" + std::string(object_key);
  return !db_.Exec(
                 "SELECT 1 FROM tournament_clips WHERE source_key = $1 OR video_url = $2 OR "
                 "thumbnail_url = $2 LIMIT 1",
                 Params(object_key, url))
              .empty();
}

void PgUploadRepository::CancelSignedUploads(Id user_id) {
  db_.Exec("UPDATE uploads SET status = 'failed', updated_at = " + std::string(kNowMs) +
               " WHERE user_id = $1 AND status = 'signed'",
           Params(user_id));
}

}  // namespace aimoviez::pg
