// Content reports: POST /api/report for anyone signed in (the "contact" budget, 3 a minute), and
// the admin's queue grouped by target with its three decisions.
#include "common/json.h"
#include "http/handlers.h"

namespace aimoviez::http {

namespace {

boost::json::object ReportJson(const Report& r) {
  return {{"id", r.id},
          {"reporter", r.reporter_name.empty() ? boost::json::value(nullptr)
                                               : boost::json::value(r.reporter_name)},
          {"targetType", r.target_type},
          {"targetId", r.target_id},
          {"reason", r.reason},
          {"details", r.details},
          {"status", r.status},
          {"createdAt", FormatIso8601(r.created_at)}};
}

HttpResponse FileReport(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  ReportDraft draft;
  draft.target_type = json::RequireString(body, "targetType");
  draft.target_id = json::RequireId(body, "targetId");
  draft.reason = json::RequireString(body, "reason");
  draft.details = json::OptionalString(body, "details").value_or("");
  return Reply(
      ctx.services.reports.File(ctx.user(), std::move(draft)),
      [](const Report& r) {
        return boost::json::object{{"report", ReportJson(r)}};
      },
      201);
}

HttpResponse Queue(RequestContext& ctx) {
  const std::string status = ctx.Query("status").value_or("open");
  if (status != "open" && status != "dismissed" && status != "actioned") {
    return ErrorResponse(
        Error::InvalidInput("status must be open, dismissed or actioned").With("field", "status"));
  }
  boost::json::array groups;
  for (const auto& e : ctx.services.reports.Queue(status, ctx.QueryInt("limit", 50, 1, 100))) {
    boost::json::object reasons;
    for (const auto& [reason, n] : e.group.reasons) reasons[reason] = n;
    boost::json::array reports;
    for (const auto& r : e.group.reports) reports.push_back(ReportJson(r));
    groups.push_back({{"targetType", e.group.target_type},
                      {"targetId", e.group.target_id},
                      {"target", e.target_label},
                      {"targetOwnerId", e.target_owner ? boost::json::value(*e.target_owner)
                                                       : boost::json::value(nullptr)},
                      {"clipId", e.clip_id ? boost::json::value(*e.clip_id) : nullptr},
                      {"count", e.group.count},
                      {"reasons", std::move(reasons)},
                      {"firstReportedAt", FormatIso8601(e.group.first_at)},
                      {"lastReportedAt", FormatIso8601(e.group.last_at)},
                      {"reports", std::move(reports)}});
  }
  return JsonResponse(200, boost::json::object{{"groups", std::move(groups)}});
}

HttpResponse Resolve(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const auto type = json::RequireString(body, "targetType");
  const Id id = json::RequireId(body, "targetId");
  const auto action = ParseReportAction(json::RequireString(body, "action"));
  if (!action) {
    return ErrorResponse(
        Error::InvalidInput("action must be dismiss, remove or ban").With("field", "action"));
  }
  return Reply(ctx.services.reports.Resolve(type, id, *action, ctx.audit_actor()), [](int closed) {
    return boost::json::object{{"closed", closed}};
  });
}

}  // namespace

void RegisterReportRoutes(Router& router) {
  router.Add("POST", "/api/report", FileReport,
             {.access = Access::kSignedIn, .rate = RateClass::kContact});
  router.Add("GET", "/api/admin/reports", Queue, {Access::kAdmin});
  router.Add("POST", "/api/admin/reports/resolve", Resolve,
             {.access = Access::kAdmin, .rate = RateClass::kAdminSensitive});
}

}  // namespace aimoviez::http
