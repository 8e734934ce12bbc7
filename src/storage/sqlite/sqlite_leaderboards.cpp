// Leaderboards, profile figures and vote history on SQLite.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {
// Ranked aggregates with keyset pagination: ?2/?3 are the last row's (score, id), NULL on the
// first page.
// (HAVING names the grouped expressions, not aliases: SQLite would resolve an alias such as `id`
// to a table column of the same name.)
// Rejected and pending clips are never public: they rank nowhere, and their votes count for
// no creator.
constexpr std::string_view kTopClips =
    "SELECT v.clip_id, COUNT(*) FROM votes v JOIN tournament_clips c ON c.id = v.clip_id "
    "WHERE v.created_at >= ?1 AND v.created_at < ?5 AND c.status != 'rejected' AND "
    "c.status != 'pending' GROUP BY v.clip_id "
    "HAVING ?2 IS NULL OR COUNT(*) < ?2 OR (COUNT(*) = ?2 AND v.clip_id > ?3) "
    "ORDER BY COUNT(*) DESC, v.clip_id LIMIT ?4";
constexpr std::string_view kTopVoters =
    "SELECT v.user_id, COUNT(*) FROM votes v WHERE v.created_at >= ?1 AND v.created_at < ?5 AND "
    "v.user_id IS NOT NULL "
    "GROUP BY v.user_id HAVING ?2 IS NULL OR COUNT(*) < ?2 OR (COUNT(*) = ?2 AND v.user_id > ?3) "
    "ORDER BY COUNT(*) DESC, v.user_id LIMIT ?4";
constexpr std::string_view kTopCreators =
    "SELECT c.user_id, COUNT(*) FROM votes v JOIN tournament_clips c ON c.id = v.clip_id "
    "WHERE v.created_at >= ?1 AND v.created_at < ?5 AND c.user_id IS NOT NULL AND "
    "c.status != 'rejected' AND "
    "c.status != 'pending' GROUP BY c.user_id "
    "HAVING ?2 IS NULL OR COUNT(*) < ?2 OR (COUNT(*) = ?2 AND c.user_id > ?3) "
    "ORDER BY COUNT(*) DESC, c.user_id LIMIT ?4";
}  // namespace

std::vector<RankedEntry> SqliteStore::TopRanked(Board board, EpochMs since, EpochMs until,
                                                const std::optional<RankCursor>& after, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(board == Board::kClips    ? kTopClips
                         : board == Board::kVoters ? kTopVoters
                                                   : kTopCreators);
  st.Bind(1, since);
  if (after) {
    st.Bind(2, after->score).Bind(3, after->id);
  } else {
    st.BindNull(2).BindNull(3);
  }
  st.Bind(4, limit);
  st.Bind(5, until);
  return All<RankedEntry>(st, [](const Statement& r) { return RankedEntry{r.Int(0), r.Int(1)}; });
}

ProfileStats SqliteStore::StatsFor(Id user_id, EpochMs today_start) {
  Guard g(db_.lock());
  ProfileStats p;
  auto& votes = db_.Prepare(
      "SELECT COUNT(*), COALESCE(SUM(created_at >= ?2), 0) FROM votes WHERE user_id = ?1");
  votes.BindAll(user_id, today_start);
  if (votes.Step()) {
    p.votes_total = votes.Int(0);
    p.votes_today = votes.Int(1);
  }
  votes.Reset();
  auto& clips = db_.Prepare(
      "SELECT COUNT(*), COALESCE(SUM(status = 'pending'), 0), COALESCE(SUM(status = 'active'), 0), "
      "COALESCE(SUM(status = 'locked'), 0) FROM tournament_clips WHERE user_id = ?");
  clips.BindAll(user_id);
  if (clips.Step()) {
    p.clips_total = clips.Int(0);
    p.clips_pending = clips.Int(1);
    p.clips_active = clips.Int(2);
    p.clips_locked = clips.Int(3);
  }
  clips.Reset();
  if (p.votes_total > 0) {
    auto& rank = db_.Prepare(
        "SELECT COUNT(*) + 1 FROM (SELECT user_id FROM votes WHERE user_id IS NOT NULL "
        "GROUP BY user_id HAVING COUNT(*) > ?)");
    rank.BindAll(p.votes_total);
    if (rank.Step()) p.rank = rank.Int(0);
    rank.Reset();
  }
  auto& days = db_.Prepare(
      "SELECT DISTINCT created_at / 86400000 AS d FROM votes WHERE user_id = ? ORDER BY d DESC "
      "LIMIT 366");
  days.BindAll(user_id);
  while (days.Step()) p.vote_days.push_back(days.Int(0));
  days.Reset();
  return p;
}

std::vector<VoteHistoryEntry> SqliteStore::VoteHistory(Id user_id, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT id, clip_id, vote_type, vote_weight, created_at FROM votes WHERE user_id = ? "
      "ORDER BY id DESC LIMIT ?");
  st.BindAll(user_id, limit);
  struct Row {
    Id id, clip;
    std::string type;
    int weight;
    EpochMs at;
  };
  const auto rows = All<Row>(st, [](const Statement& r) {
    return Row{r.Int(0), r.Int(1), r.Text(2), static_cast<int>(r.Int(3)), r.Int(4)};
  });
  std::vector<VoteHistoryEntry> out;
  for (const auto& r : rows) {
    auto clip = FindClip(r.clip);
    if (!clip) continue;
    out.push_back(VoteHistoryEntry{r.id, r.type, r.weight, r.at, *clip});
  }
  return out;
}

}  // namespace aimoviez::sqlite
