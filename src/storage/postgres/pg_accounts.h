// AccountRepository on PostgreSQL: a person's rows across every table (the GDPR export) and
// their erasure, in one transaction. The tables are listed once for every backend
// (storage/person_tables.cpp).
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgAccountRepository : public virtual AccountRepository {
 public:
  explicit PgAccountRepository(Database& db) : db_(db) {}

  boost::json::object ExportAccount(Id user_id) override;
  std::vector<Id> VotedClipsAt(std::string_view voter_key, Id season_id, int position) override;
  ErasedAccount EraseAccount(Id user_id, EpochMs now) override;
  void Scrub() override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
