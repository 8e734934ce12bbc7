// ReportRepository on PostgreSQL: a partial unique index keeps one open report per reporter and
// target; the queue groups open reports by target.
#pragma once

#include "domain/report_repository.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgReportRepository : public virtual ReportRepository {
 public:
  explicit PgReportRepository(Database& db) : db_(db) {}

  std::optional<Report> InsertReport(const Report& report) override;
  std::vector<ReportGroup> ListReportGroups(std::string_view status, int limit,
                                            int per_group) override;
  std::vector<Report> OpenReportsOn(std::string_view target_type, Id target_id) override;
  int CloseReports(std::string_view target_type, Id target_id, std::string_view status,
                   std::string_view resolution, std::optional<Id> admin_id, EpochMs now) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
