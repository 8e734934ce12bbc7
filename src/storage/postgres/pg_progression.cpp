#include "storage/postgres/pg_progression.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

void PgProgressionRepository::AppendEngagementEvent(std::string_view kind, Id user_id, Id ref_id,
                                                    std::string_view detail, EpochMs now) {
  db_.Exec(
      "INSERT INTO engagement_events (kind, user_id, ref_id, detail, created_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      Params(kind, user_id, ref_id, detail, now));
}

std::vector<EngagementEvent> PgProgressionRepository::EngagementEventsAfter(Id after, int limit) {
  return ReadAll<EngagementEvent>(
      db_.Exec("SELECT id, kind, user_id, ref_id, detail, created_at FROM engagement_events "
               "WHERE id > $1 ORDER BY id LIMIT $2",
               Params(after, limit)),
      [](const Rows& r, int i) {
        return EngagementEvent{r.Int(i, 0), r.Text(i, 1), r.Int(i, 2),
                               r.Int(i, 3), r.Text(i, 4), r.Int(i, 5)};
      });
}

// Votes of finished transactions only: every transaction older than the snapshot's xmin has
// ended, so no vote can later appear before the returned ones in (txn, id) order.
std::vector<SignedInVote> PgProgressionRepository::SignedInVotesAfter(VoteStreamPosition after,
                                                                      int limit) {
  return ReadAll<SignedInVote>(
      db_.Exec("SELECT txn::text::bigint, id, user_id, clip_id, slot_position, created_at "
               "FROM votes WHERE user_id IS NOT NULL AND (txn, id) > ($1::text::xid8, $2) "
               "AND txn < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY txn, id LIMIT $3",
               Params(after.txn, after.vote_id, limit)),
      [](const Rows& r, int i) {
        return SignedInVote{
            r.Int(i, 0), r.Int(i, 1), r.Int(i, 2), r.Int(i, 3), static_cast<int>(r.Int(i, 4)),
            r.Int(i, 5)};
      });
}

// FOR UPDATE: a second node's pass waits here until the first has committed, then reads where
// it left off (the rows exist from migration 10 on, so there is always a row to lock).
Id PgProgressionRepository::ProgressCursor(std::string_view name) {
  return ReadFirst<Id>(db_.Exec("SELECT position FROM progress_cursors WHERE name = $1 FOR UPDATE",
                                Params(name)),
                       [](const Rows& r, int i) { return r.Int(i, 0); })
      .value_or(0);
}

void PgProgressionRepository::SetProgressCursor(std::string_view name, Id position) {
  db_.Exec(
      "INSERT INTO progress_cursors (name, position) VALUES ($1, $2) "
      "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
      Params(name, position));
}

UserProgress PgProgressionRepository::LoadProgress(Id user_id) {
  const auto found = ReadFirst<UserProgress>(
      db_.Exec("SELECT xp, votes_cast, clips_submitted, clips_approved, clips_won, referrals, "
               "streak_days, best_streak, last_vote_day, votes_on_day FROM user_progress "
               "WHERE user_id = $1",
               Params(user_id)),
      [user_id](const Rows& r, int i) {
        UserProgress p;
        p.user_id = user_id;
        p.xp = r.Int(i, 0);
        p.counters = ProgressCounters{r.Int(i, 1), r.Int(i, 7), r.Int(i, 2),
                                      r.Int(i, 3), r.Int(i, 4), r.Int(i, 5)};
        p.streak =
            Streak{static_cast<int>(r.Int(i, 6)), static_cast<int>(r.Int(i, 7)), r.Int(i, 8)};
        p.votes_on_day = r.Int(i, 9);
        return p;
      });
  if (found) return *found;
  UserProgress fresh;
  fresh.user_id = user_id;
  return fresh;
}

void PgProgressionRepository::SaveProgress(const UserProgress& p) {
  db_.Exec(
      "INSERT INTO user_progress (user_id, xp, votes_cast, clips_submitted, clips_approved, "
      "clips_won, referrals, streak_days, best_streak, last_vote_day, votes_on_day) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (user_id) DO UPDATE SET "
      "xp = excluded.xp, votes_cast = excluded.votes_cast, "
      "clips_submitted = excluded.clips_submitted, clips_approved = excluded.clips_approved, "
      "clips_won = excluded.clips_won, referrals = excluded.referrals, "
      "streak_days = excluded.streak_days, best_streak = excluded.best_streak, "
      "last_vote_day = excluded.last_vote_day, votes_on_day = excluded.votes_on_day",
      Params(p.user_id, p.xp, p.counters.votes_cast, p.counters.clips_submitted,
             p.counters.clips_approved, p.counters.clips_won, p.counters.referrals, p.streak.days,
             p.streak.best, p.streak.last_day, p.votes_on_day));
}

bool PgProgressionRepository::AddXp(Id user_id, std::string_view event_key, std::string_view kind,
                                    int xp, EpochMs now) {
  return db_.Exec(
                "INSERT INTO xp_ledger (user_id, event_key, kind, xp, created_at) "
                "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                Params(user_id, event_key, kind, xp, now))
             .Affected() > 0;
}

std::vector<XpEntry> PgProgressionRepository::RecentXp(Id user_id, int limit) {
  return ReadAll<XpEntry>(
      db_.Exec("SELECT event_key, kind, xp, created_at FROM xp_ledger WHERE user_id = $1 AND "
               "xp <> 0 ORDER BY created_at DESC, event_key DESC LIMIT $2",
               Params(user_id, limit)),
      [](const Rows& r, int i) {
        return XpEntry{r.Text(i, 0), r.Text(i, 1), static_cast<int>(r.Int(i, 2)), r.Int(i, 3)};
      });
}

bool PgProgressionRepository::UnlockBadge(Id user_id, std::string_view badge, EpochMs now) {
  return db_.Exec(
                "INSERT INTO user_badges (user_id, badge, unlocked_at) VALUES ($1, $2, $3) "
                "ON CONFLICT DO NOTHING",
                Params(user_id, badge, now))
             .Affected() > 0;
}

std::vector<BadgeUnlock> PgProgressionRepository::ListBadges(Id user_id) {
  return ReadAll<BadgeUnlock>(
      db_.Exec("SELECT badge, unlocked_at FROM user_badges WHERE user_id = $1 "
               "ORDER BY unlocked_at, badge",
               Params(user_id)),
      [](const Rows& r, int i) {
        return BadgeUnlock{r.Text(i, 0), r.Int(i, 1)};
      });
}

std::vector<std::pair<Id, std::int64_t>> PgProgressionRepository::XpOfUsers(
    const std::vector<Id>& user_ids) {
  if (user_ids.empty()) return {};
  // One query for the whole list, in the order asked.
  return ReadAll<std::pair<Id, std::int64_t>>(
      db_.Exec("SELECT p.user_id, p.xp FROM unnest($1::bigint[]) WITH ORDINALITY AS q(id, n) "
               "JOIN user_progress p ON p.user_id = q.id ORDER BY q.n",
               Params(user_ids)),
      [](const Rows& r, int i) { return std::make_pair(r.Int(i, 0), r.Int(i, 1)); });
}

}  // namespace aimoviez::pg
