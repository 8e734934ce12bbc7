// Comments, replies, likes and moderation on SQLite.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {
// ?9 is the viewer (NULL when anonymous) for liked_by_me.
constexpr std::string_view kCommentColumns =
    "SELECT m.id, m.clip_id, m.user_id, "
    "CASE WHEN m.user_id IS NULL THEN 'deleted user' ELSE COALESCE(u.username, '') END, "
    "COALESCE(u.avatar_url, ''), "
    "m.parent_comment_id, m.comment_text, m.likes_count, "
    "EXISTS (SELECT 1 FROM comment_likes l WHERE l.comment_id = m.id AND l.user_id = ?9), "
    "m.is_deleted, m.moderation_status, m.created_at "
    "FROM comments m LEFT JOIN users u ON u.id = m.user_id ";
// Visible: not deleted and approved (pending, flagged and rejected comments wait for, or failed,
// moderation), and (for replies) the parent is visible too.
constexpr std::string_view kVisible = "m.is_deleted = 0 AND m.moderation_status = 'approved' ";
// Comments by people the viewer blocked are hidden from the viewer.
constexpr std::string_view kNotBlockedByViewer =
    "AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = ?9 AND b.blocked_id = m.user_id) ";

Comment ReadComment(const Statement& st) {
  Comment c;
  c.id = st.Int(0);
  c.clip_id = st.Int(1);
  c.user_id = st.Int(2);
  c.username = st.Text(3);
  c.avatar_url = st.Text(4);
  c.parent_id = st.OptInt(5);
  c.text = st.Text(6);
  c.likes = st.Int(7);
  c.liked_by_me = st.Int(8) != 0;
  c.deleted = st.Int(9) != 0;
  c.status = ParseCommentStatus(st.Text(10)).value_or(CommentStatus::kApproved);
  c.created_at = st.Int(11);
  return c;
}

// Id lists travel as one JSON array parameter (json_each), so the statement text — and the
// prepared-statement cache — does not vary with the list.
std::string IdArrayJson(const std::vector<Id>& ids) {
  std::string out = "[";
  for (Id id : ids) {
    if (out.size() > 1) out += ",";
    out += std::to_string(id);
  }
  return out + "]";
}
}  // namespace

Comment SqliteStore::InsertComment(const Comment& c) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO comments (clip_id, user_id, parent_comment_id, comment_text, created_at, "
         "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)")
      .BindAll(c.clip_id, c.user_id, c.parent_id, c.text, c.created_at)
      .Run();
  return *FindComment(db_.LastInsertId());
}

std::optional<Comment> SqliteStore::FindComment(Id id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(kCommentColumns, "WHERE m.id = ?1"));
  st.Bind(1, id).BindNull(9);
  return One<Comment>(st, ReadComment);
}

std::vector<Comment> SqliteStore::ListTopLevel(Id clip_id, Order order,
                                               const std::optional<CommentCursor>& after, int limit,
                                               std::optional<Id> viewer) {
  Guard g(db_.lock());
  const std::string where = "WHERE m.clip_id = ?1 AND m.parent_comment_id IS NULL AND " +
                            std::string(kVisible) + std::string(kNotBlockedByViewer);
  const std::string sql =
      order == Order::kNewest
          ? Sql(kCommentColumns,
                where +
                    "AND (?2 IS NULL OR m.created_at < ?2 OR (m.created_at = ?2 AND m.id < ?3)) "
                    "ORDER BY m.created_at DESC, m.id DESC LIMIT ?4")
          : Sql(kCommentColumns,
                where +
                    "AND (?2 IS NULL OR m.likes_count < ?2 OR (m.likes_count = ?2 AND m.id < ?3)) "
                    "ORDER BY m.likes_count DESC, m.id DESC LIMIT ?4");
  auto& st = db_.Prepare(sql);
  st.Bind(1, clip_id);
  if (after) {
    st.Bind(2, after->key).Bind(3, after->id);
  } else {
    st.BindNull(2).BindNull(3);
  }
  st.Bind(4, limit).Bind(9, viewer);
  return All<Comment>(st, ReadComment);
}

std::vector<Comment> SqliteStore::ListReplies(const std::vector<Id>& parent_ids,
                                              std::optional<Id> viewer) {
  if (parent_ids.empty()) return {};
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      Sql(kCommentColumns, "WHERE m.parent_comment_id IN (SELECT value FROM json_each(?1)) AND " +
                               std::string(kVisible) + std::string(kNotBlockedByViewer) +
                               "ORDER BY m.created_at, m.id"));
  st.Bind(1, IdArrayJson(parent_ids)).Bind(9, viewer);
  return All<Comment>(st, ReadComment);
}

bool SqliteStore::AddLike(Id comment_id, Id user_id, EpochMs now) {
  Guard g(db_.lock());
  bool added = false;
  Transaction([&] {
    db_.Prepare(
           "INSERT OR IGNORE INTO comment_likes (comment_id, user_id, created_at) VALUES (?,?,?)")
        .BindAll(comment_id, user_id, now)
        .Run();
    added = db_.Changes() == 1;
    if (added) {
      db_.Prepare("UPDATE comments SET likes_count = likes_count + 1 WHERE id = ?")
          .BindAll(comment_id)
          .Run();
    }
  });
  return added;
}

bool SqliteStore::RemoveLike(Id comment_id, Id user_id) {
  Guard g(db_.lock());
  bool removed = false;
  Transaction([&] {
    db_.Prepare("DELETE FROM comment_likes WHERE comment_id = ? AND user_id = ?")
        .BindAll(comment_id, user_id)
        .Run();
    removed = db_.Changes() == 1;
    if (removed) {
      db_.Prepare("UPDATE comments SET likes_count = likes_count - 1 WHERE id = ?")
          .BindAll(comment_id)
          .Run();
    }
  });
  return removed;
}

void SqliteStore::SoftDeleteComment(Id id) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE comments SET is_deleted = 1, updated_at = CAST(strftime('%s','now') AS INTEGER) * "
         "1000 WHERE id = ?")
      .BindAll(id)
      .Run();
}

void SqliteStore::SetCommentStatus(Id id, CommentStatus status) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE comments SET moderation_status = ? WHERE id = ?")
      .BindAll(ToString(status), id)
      .Run();
}

std::vector<std::pair<Id, std::int64_t>> SqliteStore::CountComments(
    const std::vector<Id>& clip_ids) {
  if (clip_ids.empty()) return {};
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT m.clip_id, COUNT(*) FROM comments m WHERE m.clip_id IN "
      "(SELECT value FROM json_each(?1)) AND " +
      std::string(kVisible) + "GROUP BY m.clip_id");
  st.Bind(1, IdArrayJson(clip_ids));
  return All<std::pair<Id, std::int64_t>>(
      st, [](const Statement& r) { return std::make_pair(r.Int(0), r.Int(1)); });
}

std::vector<Comment> SqliteStore::ListCommentsByStatus(std::optional<CommentStatus> status,
                                                       int limit, int offset) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(kCommentColumns,
                             "WHERE m.is_deleted = 0 AND (?1 IS NULL OR m.moderation_status = ?1) "
                             "ORDER BY m.id DESC LIMIT ?2 OFFSET ?3"));
  if (status) {
    st.Bind(1, ToString(*status));
  } else {
    st.BindNull(1);
  }
  st.Bind(2, limit).Bind(3, offset).BindNull(9);
  return All<Comment>(st, ReadComment);
}

}  // namespace aimoviez::sqlite
