// SeasonRepository on PostgreSQL: seasons and their story slots.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgSeasonRepository : public virtual SeasonRepository {
 public:
  explicit PgSeasonRepository(Database& db) : db_(db) {}

  std::vector<Season> ListSeasons() override;
  std::optional<Season> FindSeason(Id id) override;
  std::optional<Season> FindActiveSeason() override;
  Season CreateSeason(const Season& season) override;
  void UpdateSeason(const Season& season) override;
  void DeleteSeason(Id id) override;
  std::vector<Slot> ListSlots(Id season_id) override;
  std::optional<Slot> FindSlot(Id slot_id) override;
  std::optional<Slot> FindSlotForChange(Id slot_id) override;
  std::optional<Slot> FindSlotAt(Id season_id, int position) override;
  std::optional<Slot> FindOpenSlot(Id season_id) override;
  std::vector<Slot> ListVotingSlotsEndingBefore(EpochMs cutoff) override;
  void UpdateSlot(const Slot& slot) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
