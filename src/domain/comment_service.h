// Comments on clips (spec 6): newest/top pages of 20 with their replies fetched in one query,
// one level of replies, 500 characters of sanitised text, one like per user with exact counts,
// soft delete by the author or an admin, 15 comments per minute per user, admin moderation.
#pragma once

#include <map>
#include <mutex>
#include <unordered_map>

#include "domain/actor.h"
#include "domain/audit_trail.h"
#include "domain/errors.h"
#include "domain/live_events.h"
#include "domain/notification_service.h"
#include "domain/ports.h"

namespace aimoviez {

struct CommentThread {
  Comment comment;
  std::vector<Comment> replies;
};

struct CommentPage {
  std::vector<CommentThread> threads;
  std::optional<std::string> next_cursor;  // "<key>:<id>"
};

// How often one may post, like or delete is a request budget of the HTTP layer (the "comment"
// class of spec 21.5, counted for every comment action), not a rule of this service.
struct CommentPolicy {
  std::size_t max_chars = 500;
  int page_size = 20;
};

class CommentService {
 public:
  CommentService(Store& store, const Clock& clock, CommentPolicy policy = {})
      : store_(store), clock_(clock), policy_(policy), audit_(store, clock) {}

  void SetLiveEvents(LiveEvents& live) { live_ = &live; }
  // A comment notifies the clip's creator, a reply the parent comment's author (never
  // themselves, never someone who blocked the author).
  void SetNotifications(NotificationService& notifications) { notifications_ = &notifications; }

  Result<CommentPage> List(Id clip_id, CommentRepository::Order order, const std::string& cursor,
                           const Actor& viewer);
  Result<Comment> Post(const User& author, Id clip_id, std::string_view text,
                       std::optional<Id> parent_id);
  Result<Comment> Like(const User& user, Id comment_id, bool like);
  Status Delete(const User& user, Id comment_id);
  // Visible comments per clip, for the feed: the count of clip_ids[i] at [i]. Served from
  // memory: a clip's count is read from storage once and dropped whenever one of its comments
  // changes.
  std::vector<std::int64_t> Counts(const std::vector<Id>& clip_ids);

  Result<Comment> Moderate(Id comment_id, CommentStatus status, const AuditActor& actor);
  struct BulkResult {
    Id comment_id = 0;
    std::optional<Error> error;
  };
  std::vector<BulkResult> BulkDelete(const std::vector<Id>& ids, const AuditActor& actor);

 private:
  Store& store_;
  const Clock& clock_;
  CommentPolicy policy_;
  AuditTrail audit_;
  NoLiveEvents no_live_;
  LiveEvents* live_ = &no_live_;
  NotificationService* notifications_ = nullptr;

  void Forget(Id clip_id);
  std::optional<Notification> NotifyRecipient(const User& author, const Clip& clip,
                                              const Comment& created,
                                              const std::optional<Comment>& parent);
  std::mutex counts_mutex_;
  std::unordered_map<Id, std::int64_t> counts_;
  std::uint64_t counts_generation_ = 0;
};

}  // namespace aimoviez
