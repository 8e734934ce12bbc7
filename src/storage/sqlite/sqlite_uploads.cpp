// Signed uploads on SQLite: their progress, expiry and the object keys still referenced.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

Upload SqliteStore::InsertUpload(const Upload& u) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO uploads (object_key, user_id, declared_size, content_type, status, "
         "received_bytes, clip_id, expires_at, created_at, updated_at) "
         "VALUES (?,?,?,?,?,?,?,?,?,?)")
      .BindAll(u.object_key, u.user_id, u.declared_size, u.content_type, ToString(u.status),
               u.received_bytes, u.clip_id, u.expires_at, u.created_at, u.created_at)
      .Run();
  return *FindUpload(u.object_key);
}

std::optional<Upload> SqliteStore::FindUpload(std::string_view object_key) {
  Guard g(db_.lock());
  return One<Upload>(db_.Prepare(Sql(kUploadColumns, "WHERE object_key = ?")).BindAll(object_key),
                     ReadUpload);
}

void SqliteStore::UpdateUpload(const Upload& u) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE uploads SET status = ?, received_bytes = ?, clip_id = ?, "
         "updated_at = CAST(strftime('%s','now') AS INTEGER) * 1000 WHERE id = ?")
      .BindAll(ToString(u.status), u.received_bytes, u.clip_id, u.id)
      .Run();
}

std::vector<Upload> SqliteStore::ListAbandonedUploads(EpochMs before, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      Sql(kUploadColumns, "WHERE status <> 'registered' AND created_at < ? ORDER BY id LIMIT ?"));
  st.BindAll(before, limit);
  return All<Upload>(st, ReadUpload);
}

void SqliteStore::DeleteUpload(Id id) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM uploads WHERE id = ?").BindAll(id).Run();
}

void SqliteStore::CancelSignedUploads(Id user_id) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE uploads SET status = 'failed', updated_at = CAST(strftime('%s','now') AS "
         "INTEGER) * 1000 WHERE user_id = ? AND status = 'signed'")
      .BindAll(user_id)
      .Run();
}

bool SqliteStore::IsKeyReferenced(std::string_view object_key) {
  Guard g(db_.lock());
  const std::string url = "/media/" + std::string(object_key);
  auto& st = db_.Prepare(
      "SELECT 1 FROM tournament_clips WHERE source_key = ?1 OR video_url = ?2 OR "
      "thumbnail_url = ?2 LIMIT 1");
  st.BindAll(object_key, url);
  const bool found = st.Step();
  st.Reset();
  return found;
}

}  // namespace aimoviez::sqlite
