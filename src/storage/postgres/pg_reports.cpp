#include "storage/postgres/pg_reports.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

constexpr std::string_view kReportColumns =
    "SELECT r.id, r.reporter_id, COALESCE(u.username, ''), r.target_type, r.target_id, r.reason, "
    "r.details, r.status, r.created_at FROM reports r LEFT JOIN users u ON u.id = r.reporter_id ";

Report ReadReport(const Rows& r, int i) {
  return Report{r.Int(i, 0),  r.Int(i, 1),  r.Text(i, 2), r.Text(i, 3), r.Int(i, 4),
                r.Text(i, 5), r.Text(i, 6), r.Text(i, 7), r.Int(i, 8)};
}

}  // namespace

std::optional<Report> PgReportRepository::InsertReport(const Report& r) {
  // The partial unique index (one open report per reporter and target) is the conflict target.
  const auto id = ReadFirst<Id>(
      db_.Exec(
          "INSERT INTO reports (reporter_id, target_type, target_id, reason, details, "
          "status, created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6) "
          "ON CONFLICT (reporter_id, target_type, target_id) WHERE status = 'open' "
          "DO NOTHING RETURNING id",
          Params(r.reporter_id, r.target_type, r.target_id, r.reason, r.details, r.created_at)),
      [](const Rows& rows, int i) { return rows.Int(i, 0); });
  if (!id) return std::nullopt;
  return ReadFirst<Report>(db_.Exec(std::string(kReportColumns) + "WHERE r.id = $1", Params(*id)),
                           ReadReport);
}

std::vector<ReportGroup> PgReportRepository::ListReportGroups(std::string_view status, int limit,
                                                              int per_group) {
  auto groups = ReadAll<ReportGroup>(
      db_.Exec("SELECT target_type, target_id, COUNT(*), MIN(created_at), MAX(created_at) "
               "FROM reports WHERE status = $1 GROUP BY target_type, target_id "
               "ORDER BY COUNT(*) DESC, MAX(created_at) DESC, target_type, target_id LIMIT $2",
               Params(status, limit)),
      [](const Rows& r, int i) {
        return ReportGroup{r.Text(i, 0), r.Int(i, 1), r.Int(i, 2), r.Int(i, 3),
                           r.Int(i, 4),  {},          {}};
      });
  // `limit` is bounded by the caller (the admin page), so a query per group stays small.
  for (auto& group : groups) {
    group.reports = ReadAll<Report>(
        db_.Exec(std::string(kReportColumns) +
                     "WHERE r.target_type = $1 AND r.target_id = $2 AND r.status = $3 "
                     "ORDER BY r.id DESC LIMIT $4",
                 Params(group.target_type, group.target_id, status, per_group)),
        ReadReport);
    group.reasons = ReadAll<std::pair<std::string, std::int64_t>>(
        db_.Exec("SELECT reason, COUNT(*) FROM reports WHERE target_type = $1 AND target_id = $2 "
                 "AND status = $3 GROUP BY reason ORDER BY COUNT(*) DESC, reason",
                 Params(group.target_type, group.target_id, status)),
        [](const Rows& r, int i) { return std::make_pair(r.Text(i, 0), r.Int(i, 1)); });
  }
  return groups;
}

std::vector<Report> PgReportRepository::OpenReportsOn(std::string_view target_type, Id target_id) {
  return ReadAll<Report>(
      db_.Exec(std::string(kReportColumns) +
                   "WHERE r.target_type = $1 AND r.target_id = $2 AND r.status = 'open' "
                   "ORDER BY r.id",
               Params(target_type, target_id)),
      ReadReport);
}

int PgReportRepository::CloseReports(std::string_view target_type, Id target_id,
                                     std::string_view status, std::string_view resolution,
                                     std::optional<Id> admin_id, EpochMs now) {
  return db_
      .Exec(
          "UPDATE reports SET status = $1, resolution = $2, resolved_by = $3, "
          "resolved_at = $4 WHERE target_type = $5 AND target_id = $6 AND status = 'open'",
          Params(status, resolution, admin_id, now, target_type, target_id))
      .Affected();
}

}  // namespace aimoviez::pg
