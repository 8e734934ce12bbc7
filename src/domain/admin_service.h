// Admin operations outside the season lifecycle (spec 13 and 16): clip moderation and metadata,
// users (search, ban, admin toggle, rename), feature flags, and the audit log. Each mutation is
// audited in the same transaction.
#pragma once

#include "domain/actor.h"
#include "domain/audit_trail.h"
#include "domain/errors.h"
#include "domain/feature_flags.h"
#include "domain/live_events.h"
#include "domain/ports.h"
#include "domain/season_service.h"
#include "domain/vote_service.h"

namespace aimoviez {

struct ClipEdit {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> genre;
};

struct BulkItemResult {
  Id clip_id = 0;
  std::optional<Error> error;
};

enum class BulkAction { kApprove, kReject };

// One group of the flagged-vote review, as listed: a round, a clip, a network tag (0 for
// signed-in voters) and the reasons exactly as stored.
struct FlaggedGroupKey {
  Id season_id = 0;
  int position = 0;
  Id clip_id = 0;
  std::int64_t network = 0;
  std::string reasons;
};

struct InvalidationSummary {
  std::int64_t invalidated = 0;
  std::int64_t failed = 0;  // withdrawn meanwhile, or the round closed under the request
  std::int64_t vote_count = 0;
  std::int64_t weighted_score = 0;
  bool more = false;  // the group had more votes than one request withdraws: ask again
};

class AdminService {
 public:
  AdminService(Store& store, const Clock& clock, SeasonService& seasons)
      : store_(store), clock_(clock), seasons_(seasons), audit_(store, clock) {}

  Result<Clip> EditClip(Id clip_id, const ClipEdit& edit, const AuditActor& actor);
  std::vector<BulkItemResult> BulkModerate(BulkAction action, const std::vector<Id>& clip_ids,
                                           const AuditActor& actor);

  // A ban also ends the user's sessions' live connections.
  Result<User> SetBanned(Id user_id, bool banned, const AuditActor& actor);
  void SetLiveEvents(LiveEvents& live) { live_ = &live; }
  Result<User> SetAdmin(Id user_id, bool is_admin, const AuditActor& actor);
  Result<User> Rename(Id user_id, std::string_view username, const AuditActor& actor);

  // Withdraws a flagged group's votes through the vote engine, up to kInvalidationBatch per
  // call; audited with the figures once every withdrawal has settled. `done` may run on the
  // engine's writer thread.
  static constexpr int kInvalidationBatch = 5000;
  void InvalidateFlaggedVotes(const FlaggedGroupKey& group, const AuditActor& actor,
                              std::function<void(Result<InvalidationSummary>)> done);
  void SetVoteService(VoteService& votes) { votes_ = &votes; }

  Result<FeatureFlag> SetFlag(std::string_view key, bool enabled, const AuditActor& actor);
  void SetFlagCache(FeatureFlags& cache) { flag_cache_ = &cache; }

 private:
  Store& store_;
  const Clock& clock_;
  SeasonService& seasons_;
  AuditTrail audit_;
  FeatureFlags* flag_cache_ = nullptr;
  VoteService* votes_ = nullptr;
  NoLiveEvents no_live_;
  LiveEvents* live_ = &no_live_;
};

// Validates clip text fields the same way for uploads and admin edits.
Result<ClipEdit> ValidateClipEdit(ClipEdit edit);

}  // namespace aimoviez
