// Content reports (spec section 12): anyone signed in reports a clip, a person or a comment for a
// reason; an admin reviews the queue grouped by target and dismisses the reports, removes the
// content, or bans its author. Each decision is audit-logged and every reporter of the target is
// notified of the outcome (type report_resolved).
#pragma once

#include "domain/actor.h"
#include "domain/admin_service.h"
#include "domain/audit_trail.h"
#include "domain/comment_service.h"
#include "domain/errors.h"
#include "domain/notification_service.h"
#include "domain/ports.h"
#include "domain/season_service.h"

namespace aimoviez {

inline constexpr std::string_view kReportReasons[] = {"inappropriate", "spam", "harassment",
                                                      "copyright", "other"};

struct ReportDraft {
  std::string target_type;
  Id target_id = 0;
  std::string reason;
  std::string details;
};

// A queue entry: the group with what it is about, for the admin to judge.
struct ReportQueueEntry {
  ReportGroup group;
  std::string target_label;        // clip title, username, or comment text
  std::optional<Id> target_owner;  // the person a ban would hit
  std::optional<Id> clip_id;       // the clip (itself, or the comment's)
};

enum class ReportAction { kDismiss, kRemove, kBan };
std::optional<ReportAction> ParseReportAction(std::string_view s);

class ReportService {
 public:
  ReportService(Store& store, const Clock& clock, NotificationService& notifications,
                SeasonService& seasons, CommentService& comments, AdminService& admin)
      : store_(store),
        clock_(clock),
        notifications_(notifications),
        seasons_(seasons),
        comments_(comments),
        admin_(admin),
        audit_(store, clock) {}

  // VALIDATION_ERROR (type, reason, details), NOT_FOUND (no such target), CANNOT_REPORT_SELF,
  // ALREADY_REPORTED (an open report of the same target by the same person).
  Result<Report> File(const User& reporter, ReportDraft draft);
  std::vector<ReportQueueEntry> Queue(std::string_view status, int limit);
  // NOT_FOUND when the target has no open reports; what `remove` or `ban` refuse passes through.
  Result<int> Resolve(std::string_view target_type, Id target_id, ReportAction action,
                      const AuditActor& actor);

 private:
  struct Target {
    std::string label;
    std::optional<Id> owner;
    std::optional<Id> clip_id;
  };
  std::optional<Target> Describe(std::string_view type, Id id);
  Status Remove(std::string_view type, Id id, const AuditActor& actor);

  Store& store_;
  const Clock& clock_;
  NotificationService& notifications_;
  SeasonService& seasons_;
  CommentService& comments_;
  AdminService& admin_;
  AuditTrail audit_;
};

}  // namespace aimoviez
