#include "storage/postgres/pg_leaderboards.h"

#include <unordered_map>

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

// Ranked aggregates with keyset pagination: $2/$3 are the last row's (score, id), NULL on the
// first page. Rejected and pending clips are never public: they rank nowhere, and their votes
// count for no creator.
constexpr std::string_view kTopClips =
    "SELECT v.clip_id, COUNT(*) FROM votes v JOIN tournament_clips c ON c.id = v.clip_id "
    "WHERE v.created_at >= $1 AND v.created_at < $5 AND c.status NOT IN ('rejected', 'pending') "
    "GROUP BY v.clip_id "
    "HAVING $2::bigint IS NULL OR COUNT(*) < $2 OR (COUNT(*) = $2 AND v.clip_id > $3::bigint) "
    "ORDER BY COUNT(*) DESC, v.clip_id LIMIT $4";
constexpr std::string_view kTopVoters =
    "SELECT v.user_id, COUNT(*) FROM votes v WHERE v.created_at >= $1 AND v.created_at < $5 "
    "AND v.user_id IS NOT NULL GROUP BY v.user_id "
    "HAVING $2::bigint IS NULL OR COUNT(*) < $2 OR (COUNT(*) = $2 AND v.user_id > $3::bigint) "
    "ORDER BY COUNT(*) DESC, v.user_id LIMIT $4";
constexpr std::string_view kTopCreators =
    "SELECT c.user_id, COUNT(*) FROM votes v JOIN tournament_clips c ON c.id = v.clip_id "
    "WHERE v.created_at >= $1 AND v.created_at < $5 AND c.user_id IS NOT NULL "
    "AND c.status NOT IN ('rejected', 'pending') GROUP BY c.user_id "
    "HAVING $2::bigint IS NULL OR COUNT(*) < $2 OR (COUNT(*) = $2 AND c.user_id > $3::bigint) "
    "ORDER BY COUNT(*) DESC, c.user_id LIMIT $4";

}  // namespace

std::vector<RankedEntry> PgCommunityReadRepository::TopRanked(
    Board board, EpochMs since, EpochMs until, const std::optional<RankCursor>& after, int limit) {
  const std::string_view sql = board == Board::kClips    ? kTopClips
                               : board == Board::kVoters ? kTopVoters
                                                         : kTopCreators;
  Params params;
  params.Add(since);
  if (after) {
    params.Add(after->score).Add(after->id);
  } else {
    params.AddNull().AddNull();
  }
  params.Add(limit).Add(until);
  return ReadAll<RankedEntry>(db_.Exec(sql, params), [](const Rows& r, int i) {
    return RankedEntry{r.Int(i, 0), r.Int(i, 1)};
  });
}

ProfileStats PgCommunityReadRepository::StatsFor(Id user_id, EpochMs today_start) {
  ProfileStats p;
  const auto votes = db_.Exec(
      "SELECT COUNT(*), COUNT(*) FILTER (WHERE created_at >= $2) FROM votes WHERE user_id = $1",
      Params(user_id, today_start));
  p.votes_total = votes.Int(0, 0);
  p.votes_today = votes.Int(0, 1);
  const auto clips = db_.Exec(
      "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'pending'), "
      "COUNT(*) FILTER (WHERE status = 'active'), COUNT(*) FILTER (WHERE status = 'locked') "
      "FROM tournament_clips WHERE user_id = $1",
      Params(user_id));
  p.clips_total = clips.Int(0, 0);
  p.clips_pending = clips.Int(0, 1);
  p.clips_active = clips.Int(0, 2);
  p.clips_locked = clips.Int(0, 3);
  if (p.votes_total > 0) {
    p.rank = db_.Exec(
                    "SELECT COUNT(*) + 1 FROM (SELECT user_id FROM votes WHERE user_id IS NOT "
                    "NULL GROUP BY user_id HAVING COUNT(*) > $1) AS ahead",
                    Params(p.votes_total))
                 .Int(0, 0);
  }
  p.vote_days = ReadAll<std::int64_t>(
      db_.Exec("SELECT DISTINCT created_at / 86400000 AS d FROM votes WHERE user_id = $1 "
               "ORDER BY d DESC LIMIT 366",
               Params(user_id)),
      [](const Rows& r, int i) { return r.Int(i, 0); });
  return p;
}

std::vector<VoteHistoryEntry> PgCommunityReadRepository::VoteHistory(Id user_id, int limit) {
  const auto votes = db_.Exec(
      "SELECT id, clip_id, vote_type, vote_weight, created_at FROM votes WHERE user_id = $1 "
      "ORDER BY id DESC LIMIT $2",
      Params(user_id, limit));
  // The clips in one query rather than one lookup per vote.
  std::vector<std::int64_t> clip_ids;
  for (int i = 0; i < votes.size(); ++i) clip_ids.push_back(votes.Int(i, 1));
  std::unordered_map<Id, Clip> clips;
  for (auto& clip :
       ReadAll<Clip>(db_.Exec(std::string(kClipColumns) + "WHERE c.id = ANY($1)", Params(clip_ids)),
                     ReadClip)) {
    clips.emplace(clip.id, std::move(clip));
  }
  std::vector<VoteHistoryEntry> out;
  for (int i = 0; i < votes.size(); ++i) {
    const auto clip = clips.find(votes.Int(i, 1));
    if (clip == clips.end()) continue;  // the clip is gone; its vote row stays until settled
    out.push_back(VoteHistoryEntry{votes.Int(i, 0), votes.Text(i, 2),
                                   static_cast<int>(votes.Int(i, 3)), votes.Int(i, 4),
                                   clip->second});
  }
  return out;
}

}  // namespace aimoviez::pg
