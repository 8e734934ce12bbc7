// `aimoviez migrate-data`: copies an embedded (SQLite) platform's records into PostgreSQL, the
// move from embedded to cluster mode. Idempotent: rows already copied are left alone, so an
// interrupted copy is finished by running it again. Verifies at the end that every table has as
// many rows as the source and every clip the same vote count and score.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace aimoviez {

struct DataMigrationReport {
  struct Table {
    std::string name;
    std::int64_t source_rows = 0;
    std::int64_t copied_rows = 0;  // new in the target this run
    std::int64_t target_rows = 0;
  };
  std::vector<Table> tables;
  std::vector<std::string> mismatches;  // empty when the target matches the source
};

// `sqlite_path`: the embedded database file (a server may be running on it: the copy reads one
// consistent snapshot). `postgres_url`: the target, migrated to the current schema first.
DataMigrationReport MigrateData(const std::string& sqlite_path, const std::string& postgres_url);

void PrintReport(const DataMigrationReport& report, std::ostream& out);

}  // namespace aimoviez
