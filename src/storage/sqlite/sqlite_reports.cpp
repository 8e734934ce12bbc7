// Content reports on SQLite (migration 15): a partial unique index keeps one open report per
// reporter and target; the queue groups open reports by target.
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {

constexpr std::string_view kReportColumns =
    "SELECT r.id, r.reporter_id, COALESCE(u.username, ''), r.target_type, r.target_id, r.reason, "
    "r.details, r.status, r.created_at FROM reports r LEFT JOIN users u ON u.id = r.reporter_id ";

Report ReadReport(const Statement& s) {
  return Report{s.Int(0),  s.Int(1),  s.Text(2), s.Text(3), s.Int(4),
                s.Text(5), s.Text(6), s.Text(7), s.Int(8)};
}

}  // namespace

std::optional<Report> SqliteStore::InsertReport(const Report& r) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT OR IGNORE INTO reports (reporter_id, target_type, target_id, reason, details, "
         "status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)")
      .BindAll(r.reporter_id, r.target_type, r.target_id, r.reason, r.details, r.created_at)
      .Run();
  if (db_.Changes() == 0) return std::nullopt;
  auto& st = db_.Prepare(Sql(kReportColumns, "WHERE r.id = ?"));
  st.BindAll(db_.LastInsertId());
  return One<Report>(st, ReadReport);
}

std::vector<ReportGroup> SqliteStore::ListReportGroups(std::string_view status, int limit,
                                                       int per_group) {
  Guard g(db_.lock());
  auto& groups = db_.Prepare(
      "SELECT target_type, target_id, COUNT(*), MIN(created_at), MAX(created_at) FROM reports "
      "WHERE status = ? GROUP BY target_type, target_id "
      "ORDER BY COUNT(*) DESC, MAX(created_at) DESC LIMIT ?");
  groups.BindAll(status, limit);
  auto out = All<ReportGroup>(groups, [](const Statement& s) {
    return ReportGroup{s.Text(0), s.Int(1), s.Int(2), s.Int(3), s.Int(4), {}, {}};
  });
  auto& reasons = db_.Prepare(
      "SELECT reason, COUNT(*) FROM reports WHERE target_type = ? AND target_id = ? AND "
      "status = ? GROUP BY reason ORDER BY COUNT(*) DESC, reason");
  auto& members = db_.Prepare(Sql(
      kReportColumns,
      "WHERE r.target_type = ? AND r.target_id = ? AND r.status = ? ORDER BY r.id DESC LIMIT ?"));
  for (auto& group : out) {
    members.BindAll(group.target_type, group.target_id, status, per_group);
    group.reports = All<Report>(members, ReadReport);
    reasons.BindAll(group.target_type, group.target_id, status);
    group.reasons = All<std::pair<std::string, std::int64_t>>(
        reasons, [](const Statement& s) { return std::make_pair(s.Text(0), s.Int(1)); });
  }
  return out;
}

std::vector<Report> SqliteStore::OpenReportsOn(std::string_view target_type, Id target_id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(kReportColumns,
                             "WHERE r.target_type = ? AND r.target_id = ? AND r.status = 'open' "
                             "ORDER BY r.id"));
  st.BindAll(target_type, target_id);
  return All<Report>(st, ReadReport);
}

int SqliteStore::CloseReports(std::string_view target_type, Id target_id, std::string_view status,
                              std::string_view resolution, std::optional<Id> admin_id,
                              EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE reports SET status = ?, resolution = ?, resolved_by = ?, resolved_at = ? "
         "WHERE target_type = ? AND target_id = ? AND status = 'open'")
      .BindAll(status, resolution, admin_id, now, target_type, target_id)
      .Run();
  return db_.Changes();
}

}  // namespace aimoviez::sqlite
