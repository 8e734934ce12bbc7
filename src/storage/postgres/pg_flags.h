// FeatureFlagRepository on PostgreSQL: the switches admins flip.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgFeatureFlagRepository : public virtual FeatureFlagRepository {
 public:
  explicit PgFeatureFlagRepository(Database& db) : db_(db) {}
  std::vector<FeatureFlag> ListFlags() override;
  std::optional<FeatureFlag> FindFlag(std::string_view key) override;
  void SetFlag(std::string_view key, bool enabled, EpochMs now) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
