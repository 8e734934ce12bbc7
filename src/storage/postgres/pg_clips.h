// ClipRepository on PostgreSQL: the catalogue, a slot's standings, carrying clips to the next
// slot, and the media processing queue.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgClipRepository : public virtual ClipRepository {
 public:
  explicit PgClipRepository(Database& db) : db_(db) {}

  std::optional<Clip> FindClip(Id id) override;
  std::vector<Clip> ListClips(const ClipQuery& query) override;
  std::int64_t CountClips(const ClipQuery& query) override;
  Clip InsertClip(const Clip& clip) override;
  void UpdateClip(const Clip& clip) override;
  std::vector<ClipStanding> SlotStandings(Id season_id, int position) override;
  void CarryClips(const std::vector<Id>& clip_ids, int new_position) override;
  void SetClipsStatus(const std::vector<Id>& clip_ids, ClipStatus status) override;
  void SnapshotCounters(const std::vector<ClipStanding>& standings) override;
  void SetProcessing(Id clip_id, ProcessingStatus status, int progress,
                     std::string_view error) override;
  void FinishProcessing(Id clip_id, std::string_view video_url, std::string_view thumbnail_url,
                        std::int64_t duration_ms) override;
  std::optional<Clip> NextClipToProcess() override;
  void RequeueInterruptedProcessing() override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
