// CommentRepository on PostgreSQL: comments, one level of replies, likes and moderation.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgCommentRepository : public virtual CommentRepository {
 public:
  explicit PgCommentRepository(Database& db) : db_(db) {}

  Comment InsertComment(const Comment& comment) override;
  std::optional<Comment> FindComment(Id id) override;
  std::vector<Comment> ListTopLevel(Id clip_id, Order order,
                                    const std::optional<CommentCursor>& after, int limit,
                                    std::optional<Id> viewer) override;
  std::vector<Comment> ListReplies(const std::vector<Id>& parent_ids,
                                   std::optional<Id> viewer) override;
  bool AddLike(Id comment_id, Id user_id, EpochMs now) override;
  bool RemoveLike(Id comment_id, Id user_id) override;
  void SoftDeleteComment(Id id) override;
  void SetCommentStatus(Id id, CommentStatus status) override;
  std::vector<std::pair<Id, std::int64_t>> CountComments(const std::vector<Id>& clip_ids) override;
  std::vector<Comment> ListCommentsByStatus(std::optional<CommentStatus> status, int limit,
                                            int offset) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
