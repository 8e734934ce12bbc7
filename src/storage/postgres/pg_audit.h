// AuditLogRepository on PostgreSQL: the admin audit log, newest first, cursor-paged.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgAuditLogRepository : public virtual AuditLogRepository {
 public:
  explicit PgAuditLogRepository(Database& db) : db_(db) {}
  void AppendAudit(const AuditEntry& entry) override;
  AuditPage ListAudit(std::optional<Id> before_id, int limit) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
