#include "domain/comment_service.h"

#include <charconv>

#include "common/text.h"
#include "domain/transaction.h"

namespace aimoviez {

namespace {
bool ParseCommentCursor(const std::string& text, CommentCursor& out) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return false;
  auto [p1, e1] = std::from_chars(text.data(), text.data() + colon, out.key);
  auto [p2, e2] = std::from_chars(text.data() + colon + 1, text.data() + text.size(), out.id);
  return e1 == std::errc() && e2 == std::errc() && p1 == text.data() + colon &&
         p2 == text.data() + text.size();
}

bool Public(const Clip& clip) {
  return clip.status != ClipStatus::kPending && clip.status != ClipStatus::kRejected;
}
}  // namespace

Result<CommentPage> CommentService::List(Id clip_id, CommentRepository::Order order,
                                         const std::string& cursor_text, const Actor& viewer) {
  auto clip = store_.FindClip(clip_id);
  if (!clip || !Public(*clip)) return Error::NotFound("Clip");
  std::optional<CommentCursor> cursor;
  if (!cursor_text.empty()) {
    CommentCursor c;
    if (!ParseCommentCursor(cursor_text, c)) {
      return Error::InvalidInput("cursor is invalid").With("field", "cursor");
    }
    cursor = c;
  }
  std::optional<Id> viewer_id;
  if (viewer.user) viewer_id = viewer.user->id;
  auto top = store_.ListTopLevel(clip_id, order, cursor, policy_.page_size + 1, viewer_id);
  CommentPage page;
  if (static_cast<int>(top.size()) > policy_.page_size) {
    top.pop_back();
    const auto& last = top.back();
    page.next_cursor =
        std::to_string(order == CommentRepository::Order::kNewest ? last.created_at : last.likes) +
        ":" + std::to_string(last.id);
  }
  std::vector<Id> parents;
  for (const auto& c : top) parents.push_back(c.id);
  auto replies = store_.ListReplies(parents, viewer_id);
  for (auto& c : top) {
    CommentThread thread{std::move(c), {}};
    for (const auto& r : replies) {
      if (r.parent_id == thread.comment.id) thread.replies.push_back(r);
    }
    page.threads.push_back(std::move(thread));
  }
  return page;
}

Result<Comment> CommentService::Post(const User& author, Id clip_id, std::string_view raw,
                                     std::optional<Id> parent_id) {
  const std::string text = text::Sanitize(raw, true);
  if (!text::IsValidUtf8(text) || text.empty()) {
    return Error::InvalidInput("Write something first", "EMPTY_COMMENT").With("field", "text");
  }
  if (text::CodePointCount(text) > policy_.max_chars) {
    return Error::InvalidInput("Comments are at most 500 characters", "COMMENT_TOO_LONG")
        .With("field", "text")
        .With("max", static_cast<std::int64_t>(policy_.max_chars));
  }
  auto clip = store_.FindClip(clip_id);
  if (!clip || !Public(*clip)) return Error::NotFound("Clip");
  std::optional<Comment> parent;
  if (parent_id) {
    parent = store_.FindComment(*parent_id);
    if (!parent || parent->deleted || parent->clip_id != clip_id)
      return Error::NotFound("Parent comment");
    if (parent->parent_id) {
      return Error::InvalidInput("Replies to replies are not allowed", "NESTING_NOT_ALLOWED")
          .With("field", "parentCommentId");
    }
  }
  const EpochMs now = clock_.NowMs();
  Comment c;
  c.clip_id = clip_id;
  c.user_id = author.id;
  c.parent_id = parent_id;
  c.text = text;
  c.created_at = now;
  Comment created;
  std::optional<Notification> told;
  store_.Transaction([&] {
    created = store_.InsertComment(c);
    told = NotifyRecipient(author, *clip, created, parent);
  });
  Forget(clip_id);
  live_->CommentCreated(created);
  if (told) notifications_->Announce(*told);
  return created;
}

std::optional<Notification> CommentService::NotifyRecipient(const User& author, const Clip& clip,
                                                            const Comment& created,
                                                            const std::optional<Comment>& parent) {
  if (!notifications_) return std::nullopt;
  const std::optional<Id> recipient = parent ? parent->user_id : clip.user_id;
  if (!recipient || *recipient == author.id || store_.IsBlocked(*recipient, author.id)) {
    return std::nullopt;
  }
  // The first 120 characters, cut at a character boundary.
  std::string excerpt = created.text;
  if (text::CodePointCount(excerpt) > 120) excerpt = text::TruncateCodePoints(excerpt, 120) + "…";
  const std::string who = "@" + author.username;
  const std::string title = parent ? who + " replied to your comment"
                                   : who + " commented on \u201c" + clip.title + "\u201d";
  return notifications_->Add({*recipient, parent ? "reply" : "comment", title, excerpt,
                              "/dashboard?clip=" + std::to_string(clip.id) + "&comments=1",
                              "comment:" + std::to_string(created.id)});
}

Result<Comment> CommentService::Like(const User& user, Id comment_id, bool like) {
  auto comment = store_.FindComment(comment_id);
  if (!comment || comment->deleted) return Error::NotFound("Comment");
  if (like) {
    store_.AddLike(comment_id, user.id, clock_.NowMs());
  } else {
    store_.RemoveLike(comment_id, user.id);
  }
  auto updated = *store_.FindComment(comment_id);
  updated.liked_by_me = like;
  return updated;
}

Status CommentService::Delete(const User& user, Id comment_id) {
  auto comment = store_.FindComment(comment_id);
  if (!comment || comment->deleted) return Error::NotFound("Comment");
  const bool admin = user.is_admin && !user.is_banned;
  if (comment->user_id != user.id && !admin) {
    return Error::Forbidden("FORBIDDEN", "You can only delete your own comments");
  }
  auto result = InTransaction(store_, [&]() -> Status {
    store_.SoftDeleteComment(comment_id);
    if (comment->user_id != user.id) {
      audit_.Record(AuditActor{user.id, user.email}, "delete_comment", "comment",
                    std::to_string(comment_id), {{"clip_id", comment->clip_id}});
    }
    return Ok{};
  });
  Forget(comment->clip_id);
  if (result) live_->CommentDeleted(comment->clip_id, comment_id);
  return result;
}

std::vector<std::int64_t> CommentService::Counts(const std::vector<Id>& clip_ids) {
  std::vector<std::int64_t> out(clip_ids.size(), 0);
  std::vector<Id> missing;
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(counts_mutex_);
    generation = counts_generation_;
    for (std::size_t i = 0; i < clip_ids.size(); ++i) {
      if (auto it = counts_.find(clip_ids[i]); it != counts_.end()) {
        out[i] = it->second;
      } else {
        missing.push_back(clip_ids[i]);
      }
    }
  }
  if (missing.empty()) return out;
  std::unordered_map<Id, std::int64_t> loaded;
  for (Id id : missing) loaded[id] = 0;
  for (const auto& [id, n] : store_.CountComments(missing)) loaded[id] = n;
  for (std::size_t i = 0; i < clip_ids.size(); ++i) {
    if (auto it = loaded.find(clip_ids[i]); it != loaded.end()) out[i] = it->second;
  }
  std::lock_guard lock(counts_mutex_);
  // A comment that changed while storage was read may not be in these counts: keep them out.
  if (generation == counts_generation_) {
    for (const auto& [id, n] : loaded) counts_.try_emplace(id, n);
  }
  return out;
}

void CommentService::Forget(Id clip_id) {
  std::lock_guard lock(counts_mutex_);
  counts_.erase(clip_id);
  ++counts_generation_;
}

Result<Comment> CommentService::Moderate(Id comment_id, CommentStatus status,
                                         const AuditActor& actor) {
  auto result = InTransaction(store_, [&]() -> Result<Comment> {
    auto comment = store_.FindComment(comment_id);
    if (!comment) return Error::NotFound("Comment");
    store_.SetCommentStatus(comment_id, status);
    audit_.Record(actor, "moderate_comment", "comment", std::to_string(comment_id),
                  {{"status", ToString(status)}});
    return *store_.FindComment(comment_id);
  });
  if (result) Forget(result->clip_id);
  // A comment taken out of public view disappears from open panels.
  if (result && result->status != CommentStatus::kApproved) {
    live_->CommentDeleted(result->clip_id, result->id);
  }
  return result;
}

std::vector<CommentService::BulkResult> CommentService::BulkDelete(const std::vector<Id>& ids,
                                                                   const AuditActor& actor) {
  std::vector<BulkResult> results;
  for (Id id : ids) {
    Id clip_id = 0;
    auto r = InTransaction(store_, [&]() -> Status {
      auto comment = store_.FindComment(id);
      if (!comment || comment->deleted) return Error::NotFound("Comment");
      clip_id = comment->clip_id;
      store_.SoftDeleteComment(id);
      audit_.Record(actor, "delete_comment", "comment", std::to_string(id), {{"bulk", true}});
      return Ok{};
    });
    if (r) {
      Forget(clip_id);
      live_->CommentDeleted(clip_id, id);
    }
    results.push_back({id, r ? std::nullopt : std::optional<Error>(r.error())});
  }
  return results;
}

}  // namespace aimoviez
