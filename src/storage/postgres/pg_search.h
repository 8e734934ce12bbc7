// SearchRepository on PostgreSQL: clips by full-text match (a GIN-indexed tsvector), creators
// by name prefix.
#pragma once

#include "domain/search_repository.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgSearchRepository : public virtual SearchRepository {
 public:
  explicit PgSearchRepository(Database& db) : db_(db) {}

  std::vector<Id> SearchClips(const ClipSearch& query) override;
  std::vector<User> SearchCreators(std::string_view prefix, int offset, int limit) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
