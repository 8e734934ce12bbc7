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

  Result<FeatureFlag> SetFlag(std::string_view key, bool enabled, const AuditActor& actor);
  void SetFlagCache(FeatureFlags& cache) { flag_cache_ = &cache; }

 private:
  Store& store_;
  const Clock& clock_;
  SeasonService& seasons_;
  AuditTrail audit_;
  FeatureFlags* flag_cache_ = nullptr;
  NoLiveEvents no_live_;
  LiveEvents* live_ = &no_live_;
};

// Validates clip text fields the same way for uploads and admin edits.
Result<ClipEdit> ValidateClipEdit(ClipEdit edit);

}  // namespace aimoviez
