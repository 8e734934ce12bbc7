#include "domain/report_service.h"

#include <algorithm>

#include "common/text.h"
#include "domain/transaction.h"

namespace aimoviez {

namespace {

constexpr std::size_t kMaxDetails = 500;
constexpr int kReportsShownPerTarget = 20;

template <typename List>
bool Contains(const List& list, std::string_view value) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

std::string Excerpt(std::string_view text) {
  return text::CodePointCount(text) > 80 ? text::TruncateCodePoints(text, 80) + "…"
                                         : std::string(text);
}

}  // namespace

std::optional<ReportAction> ParseReportAction(std::string_view s) {
  if (s == "dismiss") return ReportAction::kDismiss;
  if (s == "remove") return ReportAction::kRemove;
  if (s == "ban") return ReportAction::kBan;
  return std::nullopt;
}

std::optional<ReportService::Target> ReportService::Describe(std::string_view type, Id id) {
  if (type == "clip") {
    auto clip = store_.FindClip(id);
    if (!clip) return std::nullopt;
    return Target{clip->title, clip->user_id, clip->id};
  }
  if (type == "user") {
    auto user = store_.FindUser(id);
    if (!user) return std::nullopt;
    return Target{"@" + user->username, user->id, std::nullopt};
  }
  auto comment = store_.FindComment(id);
  if (!comment || comment->deleted) return std::nullopt;
  return Target{Excerpt(comment->text),
                comment->user_id ? std::optional<Id>(comment->user_id) : std::nullopt,
                comment->clip_id};
}

Result<Report> ReportService::File(const User& reporter, ReportDraft d) {
  static constexpr std::string_view kTypes[] = {"clip", "user", "comment"};
  if (!Contains(kTypes, d.target_type)) {
    return Error::InvalidInput("targetType must be clip, user or comment")
        .With("field", "targetType");
  }
  if (!Contains(kReportReasons, d.reason)) {
    return Error::InvalidInput("reason must be inappropriate, spam, harassment, copyright or other")
        .With("field", "reason");
  }
  d.details = text::Sanitize(d.details, true);
  if (!text::IsValidUtf8(d.details) || text::CodePointCount(d.details) > kMaxDetails) {
    return Error::InvalidInput("details must be at most 500 characters").With("field", "details");
  }
  if (d.reason == "other" && d.details.empty()) {
    return Error::InvalidInput("Say what is wrong when the reason is other")
        .With("field", "details");
  }
  const auto target = Describe(d.target_type, d.target_id);
  if (!target) return Error::NotFound(d.target_type == "user" ? "User" : "Report target");
  if (target->owner == reporter.id) {
    return Error::InvalidInput("You cannot report yourself or your own content",
                               "CANNOT_REPORT_SELF");
  }
  Report r;
  r.reporter_id = reporter.id;
  r.target_type = d.target_type;
  r.target_id = d.target_id;
  r.reason = d.reason;
  r.details = d.details;
  r.created_at = clock_.NowMs();
  auto stored = store_.InsertReport(r);
  if (!stored) {
    return Error::Conflict("ALREADY_REPORTED", "You already reported this; an admin will look");
  }
  return *stored;
}

std::vector<ReportQueueEntry> ReportService::Queue(std::string_view status, int limit) {
  std::vector<ReportQueueEntry> out;
  for (auto& group : store_.ListReportGroups(status, limit, kReportsShownPerTarget)) {
    ReportQueueEntry e;
    const auto target = Describe(group.target_type, group.target_id);
    e.target_label = target ? target->label : "(removed)";
    if (target) e.target_owner = target->owner, e.clip_id = target->clip_id;
    e.group = std::move(group);
    out.push_back(std::move(e));
  }
  return out;
}

Status ReportService::Remove(std::string_view type, Id id, const AuditActor& actor) {
  if (type == "clip") {
    auto rejected = seasons_.RejectClip(id, "reported", actor);
    if (!rejected) return rejected.error();
    return Ok{};
  }
  if (type == "comment") {
    auto moderated = comments_.Moderate(id, CommentStatus::kRejected, actor);
    if (!moderated) return moderated.error();
    return Ok{};
  }
  return Error::InvalidInput("A person cannot be removed; ban them instead", "USE_BAN")
      .With("field", "action");
}

Result<int> ReportService::Resolve(std::string_view type, Id id, ReportAction action,
                                   const AuditActor& actor) {
  const auto open = store_.OpenReportsOn(type, id);
  if (open.empty()) return Error::NotFound("Open report");
  const auto target = Describe(type, id);
  if (action == ReportAction::kRemove) {
    if (auto removed = Remove(type, id, actor); !removed) return removed.error();
  } else if (action == ReportAction::kBan) {
    if (!target || !target->owner) return Error::NotFound("Author");
    auto banned = admin_.SetBanned(*target->owner, true, actor);
    if (!banned) return banned.error();
  }
  const std::string_view resolution = action == ReportAction::kDismiss  ? "dismissed"
                                      : action == ReportAction::kRemove ? "content_removed"
                                                                        : "author_banned";
  std::vector<Notification> told;
  const int closed = [&] {
    int n = 0;
    store_.Transaction([&] {
      n = store_.CloseReports(type, id, action == ReportAction::kDismiss ? "dismissed" : "actioned",
                              resolution, actor.user_id, clock_.NowMs());
      audit_.Record(actor, "resolve_report", std::string(type), std::to_string(id),
                    {{"resolution", resolution}, {"reports", n}});
      const std::string body =
          action == ReportAction::kDismiss
              ? "An admin looked at what you reported and found it within the rules."
              : "Thank you: an admin acted on what you reported.";
      for (const auto& r : open) {
        if (r.reporter_id == 0) continue;  // the reporter's account is gone
        if (auto n =
                notifications_.Add({r.reporter_id, "report_resolved", "Your report was reviewed",
                                    body, "", "report:" + std::to_string(r.id)})) {
          told.push_back(std::move(*n));
        }
      }
    });
    return n;
  }();
  for (const auto& n : told) notifications_.Announce(n);
  return closed;
}

}  // namespace aimoviez
