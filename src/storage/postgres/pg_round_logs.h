// RoundLogRepository on PostgreSQL: published round logs and their frozen leaves.
#pragma once

#include "domain/round_log_repository.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgRoundLogRepository : public virtual RoundLogRepository {
 public:
  explicit PgRoundLogRepository(Database& db) : db_(db) {}

  void InsertRoundLog(const RoundLogRecord& record,
                      const std::vector<StoredRoundLeaf>& leaves) override;
  std::optional<RoundLogRecord> FindRoundLog(Id season_id, int slot) override;
  std::vector<RoundLogRecord> ListSeasonLog(Id season_id) override;
  std::vector<StoredRoundLeaf> ListRoundLeaves(Id season_id, int slot, int revision,
                                               std::uint64_t from, int limit) override;
  void ForEachRoundLeafHash(Id season_id, int slot, int revision,
                            const std::function<void(const merkle::Hash&)>& visit) override;
  std::optional<std::uint64_t> FindRoundLeafIndex(Id season_id, int slot, int revision,
                                                  const merkle::Hash& leaf_hash) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
