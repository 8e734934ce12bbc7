// The admin's review of flagged votes on SQLite: grouped by clip, network and reasons, read
// through the partial index of flagged votes (a round's few flagged rows, not all its votes).
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

std::vector<FlaggedVoteGroup> SqliteStore::ListFlaggedVotes(Id season_id, int position, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT v.clip_id, COALESCE(c.title, ''), COALESCE(v.network, 0), "
      "COALESCE(v.flag_reason, 'rapid'), COUNT(*), COUNT(DISTINCT v.voter_key), "
      "MIN(v.created_at), MAX(v.created_at) "
      "FROM votes v LEFT JOIN tournament_clips c ON c.id = v.clip_id "
      "WHERE v.season_id = ?1 AND v.slot_position = ?2 AND v.flagged = 1 "
      "GROUP BY v.clip_id, v.network, v.flag_reason ORDER BY COUNT(*) DESC, v.clip_id LIMIT ?3");
  st.BindAll(season_id, position, limit);
  return All<FlaggedVoteGroup>(st, [](const Statement& s) {
    return FlaggedVoteGroup{s.Int(0), s.Text(1), s.Int(2), s.Text(3),
                            s.Int(4), s.Int(5),  s.Int(6), s.Int(7)};
  });
}

std::vector<FlaggedVoteRow> SqliteStore::ListFlaggedVoteRows(Id season_id, int position, Id clip_id,
                                                             std::int64_t network,
                                                             std::string_view reasons, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT v.id, v.voter_key FROM votes v "
      "WHERE v.season_id = ?1 AND v.slot_position = ?2 AND v.flagged = 1 AND v.clip_id = ?3 "
      "AND COALESCE(v.network, 0) = ?4 AND COALESCE(v.flag_reason, 'rapid') = ?5 "
      "ORDER BY v.id LIMIT ?6");
  st.BindAll(season_id, position, clip_id, network, reasons, limit);
  return All<FlaggedVoteRow>(st, [](const Statement& s) {
    return FlaggedVoteRow{s.Int(0), s.Text(1)};
  });
}

}  // namespace aimoviez::sqlite
