// Storage port for content reports (spec section 12): one open report per reporter and target,
// grouped by target for the admin's queue.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/model.h"

namespace aimoviez {

struct Report {
  Id id = 0;
  Id reporter_id = 0;
  std::string reporter_name;  // joined on read
  std::string target_type;    // clip, user, comment
  Id target_id = 0;
  std::string reason;  // inappropriate, spam, harassment, copyright, other
  std::string details;
  std::string status;  // open, dismissed, actioned
  EpochMs created_at = 0;
};

// The open (or resolved) reports of one target.
struct ReportGroup {
  std::string target_type;
  Id target_id = 0;
  std::int64_t count = 0;
  EpochMs first_at = 0;
  EpochMs last_at = 0;
  std::vector<Report> reports;                                // the newest few
  std::vector<std::pair<std::string, std::int64_t>> reasons;  // every report's reason, counted
};

class ReportRepository {
 public:
  virtual ~ReportRepository() = default;
  // Nullopt when the reporter already has an open report on the target.
  virtual std::optional<Report> InsertReport(const Report& report) = 0;
  // Targets with reports in `status`, most reported first; each with up to `per_group` reports.
  virtual std::vector<ReportGroup> ListReportGroups(std::string_view status, int limit,
                                                    int per_group) = 0;
  virtual std::vector<Report> OpenReportsOn(std::string_view target_type, Id target_id) = 0;
  // Closes the target's open reports; how many.
  virtual int CloseReports(std::string_view target_type, Id target_id, std::string_view status,
                           std::string_view resolution, std::optional<Id> admin_id,
                           EpochMs now) = 0;
};

}  // namespace aimoviez
