#include "storage/postgres/pg_audit.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

void PgAuditLogRepository::AppendAudit(const AuditEntry& e) {
  db_.Exec(
      "INSERT INTO audit_logs (action, resource_type, resource_id, admin_email, admin_user_id, "
      "details, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      Params(e.action, e.resource_type, e.resource_id, e.admin_email, e.admin_user_id,
             e.details_json, e.created_at));
}

AuditPage PgAuditLogRepository::ListAudit(std::optional<Id> before_id, int limit) {
  AuditPage page;
  // One row past the page tells whether another page follows.
  page.entries = ReadAll<AuditEntry>(
      db_.Exec("SELECT id, action, resource_type, resource_id, admin_email, admin_user_id, "
               "details, created_at FROM audit_logs WHERE ($1::bigint IS NULL OR id < $1) "
               "ORDER BY id DESC LIMIT $2",
               Params(before_id, limit + 1)),
      [](const Rows& r, int i) {
        return AuditEntry{r.Int(i, 0),  r.Text(i, 1),   r.Text(i, 2), r.Text(i, 3),
                          r.Text(i, 4), r.OptInt(i, 5), r.Text(i, 6), r.Int(i, 7)};
      });
  if (static_cast<int>(page.entries.size()) > limit) {
    page.entries.pop_back();
    page.next_cursor = page.entries.back().id;
  }
  return page;
}

}  // namespace aimoviez::pg
