#include "domain/admin_service.h"

#include <memory>
#include <mutex>

#include "common/text.h"
#include "domain/media_rules.h"
#include "domain/transaction.h"
#include "domain/username.h"

namespace aimoviez {

Result<ClipEdit> ValidateClipEdit(ClipEdit edit) {
  if (edit.title) {
    edit.title = text::Sanitize(*edit.title);
    if (!text::IsValidUtf8(*edit.title) || text::CodePointCount(*edit.title) > 100) {
      return Error::InvalidInput("title must be at most 100 characters").With("field", "title");
    }
  }
  if (edit.description) {
    edit.description = text::Sanitize(*edit.description, true);
    if (!text::IsValidUtf8(*edit.description) || text::CodePointCount(*edit.description) > 500) {
      return Error::InvalidInput("description must be at most 500 characters")
          .With("field", "description");
    }
  }
  // The same eight genres an upload may carry (the season genres and "Other").
  if (edit.genre && !IsClipGenre(*edit.genre)) {
    return Error::InvalidInput("genre is not one of the clip genres").With("field", "genre");
  }
  return edit;
}

Result<Clip> AdminService::EditClip(Id clip_id, const ClipEdit& raw, const AuditActor& actor) {
  auto edit = ValidateClipEdit(raw);
  if (!edit) return edit.error();
  return InTransaction(store_, [&]() -> Result<Clip> {
    auto clip = store_.FindClip(clip_id);
    if (!clip) return Error::NotFound("Clip");
    boost::json::object details;
    if (edit->title) clip->title = *edit->title, details["title"] = *edit->title;
    if (edit->description)
      clip->description = *edit->description, details["description"] = *edit->description;
    if (edit->genre) clip->genre = *edit->genre, details["genre"] = *edit->genre;
    store_.UpdateClip(*clip);
    audit_.Record(actor, "edit_clip", "clip", std::to_string(clip_id), details);
    return *store_.FindClip(clip_id);
  });
}

std::vector<BulkItemResult> AdminService::BulkModerate(BulkAction action,
                                                       const std::vector<Id>& clip_ids,
                                                       const AuditActor& actor) {
  std::vector<BulkItemResult> results;
  for (Id id : clip_ids) {
    // Each clip is its own transaction: one bad id must not undo the rest of the batch.
    auto r = action == BulkAction::kApprove ? seasons_.ApproveClip(id, actor)
                                            : seasons_.RejectClip(id, "bulk", actor);
    results.push_back(BulkItemResult{id, r ? std::nullopt : std::optional<Error>(r.error())});
  }
  return results;
}

Result<User> AdminService::SetBanned(Id user_id, bool banned, const AuditActor& actor) {
  if (actor.user_id == user_id) {
    return Error::Conflict("CANNOT_TARGET_SELF", "Admins cannot ban themselves");
  }
  auto result = InTransaction(store_, [&]() -> Result<User> {
    auto user = store_.FindUser(user_id);
    if (!user) return Error::NotFound("User");
    store_.SetUserBanned(user_id, banned);
    audit_.Record(actor, banned ? "ban_user" : "unban_user", "user", std::to_string(user_id),
                  {{"email", user->email}});
    return *store_.FindUser(user_id);
  });
  if (result && banned) {
    // Sessions of a banned user no longer resolve; their open live connections close now, and
    // upload links signed for them stop working.
    store_.CancelSignedUploads(user_id);
    live_->AccountSessionsEnded(user_id);
  }
  return result;
}

Result<User> AdminService::SetAdmin(Id user_id, bool is_admin, const AuditActor& actor) {
  if (actor.user_id == user_id && !is_admin) {
    return Error::Conflict("CANNOT_TARGET_SELF", "Admins cannot revoke their own admin access");
  }
  return InTransaction(store_, [&]() -> Result<User> {
    auto user = store_.FindUser(user_id);
    if (!user) return Error::NotFound("User");
    store_.SetUserAdmin(user_id, is_admin);
    audit_.Record(actor, is_admin ? "grant_admin" : "revoke_admin", "user", std::to_string(user_id),
                  {{"email", user->email}});
    return *store_.FindUser(user_id);
  });
}

Result<User> AdminService::Rename(Id user_id, std::string_view username, const AuditActor& actor) {
  auto valid = ValidateUsername(username);
  if (!valid) return valid.error();
  return InTransaction(store_, [&]() -> Result<User> {
    auto user = store_.FindUser(user_id);
    if (!user) return Error::NotFound("User");
    auto renamed = store_.RenameUser(user_id, *valid);
    if (!renamed) return renamed.error();
    audit_.Record(actor, "rename_user", "user", std::to_string(user_id),
                  {{"from", user->username}, {"to", *valid}});
    return renamed;
  });
}

Result<FeatureFlag> AdminService::SetFlag(std::string_view key, bool enabled,
                                          const AuditActor& actor) {
  auto result = InTransaction(store_, [&]() -> Result<FeatureFlag> {
    auto flag = store_.FindFlag(key);
    if (!flag) return Error::NotFound("Feature flag");
    store_.SetFlag(key, enabled, clock_.NowMs());
    audit_.Record(actor, "toggle_feature_flag", "feature_flag", std::string(key),
                  {{"enabled", enabled}});
    return *store_.FindFlag(key);
  });
  if (flag_cache_) flag_cache_->Invalidate();
  return result;
}

void AdminService::InvalidateFlaggedVotes(const FlaggedGroupKey& group, const AuditActor& actor,
                                          std::function<void(Result<InvalidationSummary>)> done) {
  const auto rows = store_.ListFlaggedVoteRows(group.season_id, group.position, group.clip_id,
                                               group.network, group.reasons, kInvalidationBatch);
  if (rows.empty()) {
    return done(
        Error{ErrorKind::kNotFound, "NO_FLAGGED_VOTES", "No flagged votes match that group", {}});
  }
  // Each withdrawal settles on its own (most after their batch is durable); the last one to
  // settle audits the figures and answers.
  struct Progress {
    std::mutex mutex;
    std::size_t pending = 0;
    InvalidationSummary summary;
  };
  auto progress = std::make_shared<Progress>();
  progress->pending = rows.size();
  progress->summary.more = static_cast<int>(rows.size()) == kInvalidationBatch;
  auto settle = [this, progress, group, actor, done](Result<VoteOutcome> outcome,
                                                     const RateLimitInfo&) {
    std::unique_lock lock(progress->mutex);
    auto& s = progress->summary;
    if (outcome) {
      ++s.invalidated;
      s.vote_count = outcome->vote_count;
      s.weighted_score = outcome->weighted_score;
    } else {
      ++s.failed;
    }
    if (--progress->pending > 0) return;
    const InvalidationSummary summary = s;
    lock.unlock();
    if (summary.invalidated > 0) {
      audit_.Record(actor, "invalidate_votes", "clip", std::to_string(group.clip_id),
                    {{"seasonId", group.season_id},
                     {"slot", group.position},
                     {"network", group.network},
                     {"reasons", group.reasons},
                     {"invalidated", summary.invalidated},
                     {"failed", summary.failed}});
    }
    done(summary);
  };
  for (const auto& row : rows) votes_->Invalidate(row.voter_key, group.clip_id, row.row_id, settle);
}

}  // namespace aimoviez
