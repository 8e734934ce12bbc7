#include "storage/postgres/pg_comments.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

// $1 is always the viewer (NULL when anonymous), for liked_by_me and the blocks filter.
constexpr std::string_view kCommentColumns =
    "SELECT m.id, m.clip_id, m.user_id, "
    "CASE WHEN m.user_id IS NULL THEN 'deleted user' ELSE COALESCE(u.username, '') END, "
    "COALESCE(u.avatar_url, ''), m.parent_comment_id, m.comment_text, m.likes_count, "
    "EXISTS (SELECT 1 FROM comment_likes l WHERE l.comment_id = m.id AND l.user_id = $1), "
    "m.is_deleted, m.moderation_status, m.created_at "
    "FROM comments m LEFT JOIN users u ON u.id = m.user_id ";
// Visible: not deleted and approved (pending, flagged and rejected comments wait for, or failed,
// moderation).
constexpr std::string_view kVisible = "NOT m.is_deleted AND m.moderation_status = 'approved' ";
// Comments by people the viewer blocked are hidden from the viewer.
constexpr std::string_view kNotBlockedByViewer =
    "AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $1 AND b.blocked_id = m.user_id) ";

Comment ReadComment(const Rows& r, int i) {
  Comment c;
  c.id = r.Int(i, 0);
  c.clip_id = r.Int(i, 1);
  c.user_id = r.Int(i, 2);
  c.username = r.Text(i, 3);
  c.avatar_url = r.Text(i, 4);
  c.parent_id = r.OptInt(i, 5);
  c.text = r.Text(i, 6);
  c.likes = r.Int(i, 7);
  c.liked_by_me = r.Bool(i, 8);
  c.deleted = r.Bool(i, 9);
  c.status = ParseCommentStatus(r.TextView(i, 10)).value_or(CommentStatus::kApproved);
  c.created_at = r.Int(i, 11);
  return c;
}

std::string Select(std::string_view rest) {
  return std::string(kCommentColumns) + std::string(rest);
}

}  // namespace

Comment PgCommentRepository::InsertComment(const Comment& c) {
  const Id id = db_.Exec(
                       "INSERT INTO comments (clip_id, user_id, parent_comment_id, comment_text, "
                       "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                       Params(c.clip_id, c.user_id, c.parent_id, c.text, c.created_at))
                    .Int(0, 0);
  return *FindComment(id);
}

std::optional<Comment> PgCommentRepository::FindComment(Id id) {
  return ReadFirst<Comment>(db_.Exec(Select("WHERE m.id = $2"), Params(std::optional<Id>(), id)),
                            ReadComment);
}

std::vector<Comment> PgCommentRepository::ListTopLevel(Id clip_id, Order order,
                                                       const std::optional<CommentCursor>& after,
                                                       int limit, std::optional<Id> viewer) {
  const std::string where = "WHERE m.clip_id = $2 AND m.parent_comment_id IS NULL AND " +
                            std::string(kVisible) + std::string(kNotBlockedByViewer);
  const std::string sql =
      order == Order::kNewest
          ? Select(where +
                   "AND ($3::bigint IS NULL OR m.created_at < $3 OR (m.created_at = $3 AND "
                   "m.id < $4::bigint)) ORDER BY m.created_at DESC, m.id DESC LIMIT $5")
          : Select(where +
                   "AND ($3::bigint IS NULL OR m.likes_count < $3 OR (m.likes_count = $3 AND "
                   "m.id < $4::bigint)) ORDER BY m.likes_count DESC, m.id DESC LIMIT $5");
  Params params;
  params.Add(viewer).Add(clip_id);
  if (after) {
    params.Add(after->key).Add(after->id);
  } else {
    params.AddNull().AddNull();
  }
  params.Add(limit);
  return ReadAll<Comment>(db_.Exec(sql, params), ReadComment);
}

std::vector<Comment> PgCommentRepository::ListReplies(const std::vector<Id>& parent_ids,
                                                      std::optional<Id> viewer) {
  if (parent_ids.empty()) return {};
  return ReadAll<Comment>(
      db_.Exec(Select("WHERE m.parent_comment_id = ANY($2) AND " + std::string(kVisible) +
                      std::string(kNotBlockedByViewer) + "ORDER BY m.created_at, m.id"),
               Params(viewer, parent_ids)),
      ReadComment);
}

bool PgCommentRepository::AddLike(Id comment_id, Id user_id, EpochMs now) {
  // One statement: the like and the count change together, and a second like adds nothing.
  return !db_.Exec(
                 "WITH added AS (INSERT INTO comment_likes (comment_id, user_id, created_at) "
                 "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING comment_id) "
                 "UPDATE comments SET likes_count = likes_count + 1 "
                 "WHERE id IN (SELECT comment_id FROM added) RETURNING id",
                 Params(comment_id, user_id, now))
              .empty();
}

bool PgCommentRepository::RemoveLike(Id comment_id, Id user_id) {
  return !db_.Exec(
                 "WITH removed AS (DELETE FROM comment_likes WHERE comment_id = $1 AND "
                 "user_id = $2 RETURNING comment_id) "
                 "UPDATE comments SET likes_count = likes_count - 1 "
                 "WHERE id IN (SELECT comment_id FROM removed) RETURNING id",
                 Params(comment_id, user_id))
              .empty();
}

void PgCommentRepository::SoftDeleteComment(Id id) {
  db_.Exec("UPDATE comments SET is_deleted = true, updated_at = " + std::string(kNowMs) +
               " WHERE id = $1",
           Params(id));
}

void PgCommentRepository::SetCommentStatus(Id id, CommentStatus status) {
  db_.Exec("UPDATE comments SET moderation_status = $1 WHERE id = $2",
           Params(ToString(status), id));
}

std::vector<std::pair<Id, std::int64_t>> PgCommentRepository::CountComments(
    const std::vector<Id>& clip_ids) {
  if (clip_ids.empty()) return {};
  return ReadAll<std::pair<Id, std::int64_t>>(
      db_.Exec("SELECT m.clip_id, COUNT(*) FROM comments m WHERE m.clip_id = ANY($1) AND " +
                   std::string(kVisible) + "GROUP BY m.clip_id ORDER BY m.clip_id",
               Params(clip_ids)),
      [](const Rows& r, int i) { return std::make_pair(r.Int(i, 0), r.Int(i, 1)); });
}

std::vector<Comment> PgCommentRepository::ListCommentsByStatus(std::optional<CommentStatus> status,
                                                               int limit, int offset) {
  Params params;
  params.AddNull();  // no viewer
  if (status) {
    params.Add(ToString(*status));
  } else {
    params.AddNull();
  }
  params.Add(limit).Add(offset);
  return ReadAll<Comment>(
      db_.Exec(Select("WHERE NOT m.is_deleted AND ($2::text IS NULL OR m.moderation_status = $2) "
                      "ORDER BY m.id DESC LIMIT $3 OFFSET $4"),
               params),
      ReadComment);
}

}  // namespace aimoviez::pg
