// The admin audit log on SQLite, newest first, cursor-paged.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

void SqliteStore::AppendAudit(const AuditEntry& e) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO audit_logs (action, resource_type, resource_id, admin_email, "
         "admin_user_id, details, created_at) VALUES (?,?,?,?,?,?,?)")
      .BindAll(e.action, e.resource_type, e.resource_id, e.admin_email, e.admin_user_id,
               e.details_json, e.created_at)
      .Run();
}

AuditPage SqliteStore::ListAudit(std::optional<Id> before_id, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT id, action, resource_type, resource_id, admin_email, admin_user_id, details, "
      "created_at FROM audit_logs WHERE (?1 IS NULL OR id < ?1) ORDER BY id DESC LIMIT ?2");
  st.Bind(1, before_id).Bind(2, limit + 1);
  AuditPage page;
  page.entries = All<AuditEntry>(st, [](const Statement& s) {
    return AuditEntry{s.Int(0),  s.Text(1),   s.Text(2), s.Text(3),
                      s.Text(4), s.OptInt(5), s.Text(6), s.Int(7)};
  });
  if (static_cast<int>(page.entries.size()) > limit) {
    page.entries.pop_back();
    page.next_cursor = page.entries.back().id;
  }
  return page;
}

}  // namespace aimoviez::sqlite
