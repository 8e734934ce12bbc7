// Progression on SQLite: the engagement outbox, the job's cursors, per-user totals, the XP
// ledger and unlocked badges (migration 13).
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

void SqliteStore::AppendEngagementEvent(std::string_view kind, Id user_id, Id ref_id,
                                        std::string_view detail, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO engagement_events (kind, user_id, ref_id, detail, created_at) "
         "VALUES (?, ?, ?, ?, ?)")
      .BindAll(kind, user_id, ref_id, detail, now)
      .Run();
}

std::vector<EngagementEvent> SqliteStore::EngagementEventsAfter(Id after, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT id, kind, user_id, ref_id, detail, created_at FROM engagement_events "
      "WHERE id > ? ORDER BY id LIMIT ?");
  st.BindAll(after, limit);
  return All<EngagementEvent>(st, [](const Statement& s) {
    return EngagementEvent{s.Int(0), s.Text(1), s.Int(2), s.Int(3), s.Text(4), s.Int(5)};
  });
}

// One writer stores the votes, in id order, so the id alone is the commit order (txn stays 0).
std::vector<SignedInVote> SqliteStore::SignedInVotesAfter(VoteStreamPosition after, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT id, user_id, clip_id, slot_position, created_at FROM votes "
      "INDEXED BY idx_votes_signed_in "
      "WHERE user_id IS NOT NULL AND id > ? ORDER BY id LIMIT ?");
  st.BindAll(after.vote_id, limit);
  return All<SignedInVote>(st, [](const Statement& s) {
    return SignedInVote{0, s.Int(0), s.Int(1), s.Int(2), static_cast<int>(s.Int(3)), s.Int(4)};
  });
}

Id SqliteStore::ProgressCursor(std::string_view name) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT position FROM progress_cursors WHERE name = ?");
  st.BindAll(name);
  return One<Id>(st, [](const Statement& s) { return s.Int(0); }).value_or(0);
}

void SqliteStore::SetProgressCursor(std::string_view name, Id position) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO progress_cursors (name, position) VALUES (?1, ?2) "
         "ON CONFLICT (name) DO UPDATE SET position = ?2")
      .BindAll(name, position)
      .Run();
}

UserProgress SqliteStore::LoadProgress(Id user_id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT xp, votes_cast, clips_submitted, clips_approved, clips_won, referrals, "
      "streak_days, best_streak, last_vote_day, votes_on_day FROM user_progress "
      "WHERE user_id = ?");
  st.BindAll(user_id);
  auto found = One<UserProgress>(st, [user_id](const Statement& s) {
    UserProgress p;
    p.user_id = user_id;
    p.xp = s.Int(0);
    p.counters = ProgressCounters{s.Int(1), s.Int(7), s.Int(2), s.Int(3), s.Int(4), s.Int(5)};
    p.streak = Streak{static_cast<int>(s.Int(6)), static_cast<int>(s.Int(7)), s.Int(8)};
    p.votes_on_day = s.Int(9);
    return p;
  });
  if (found) return *found;
  UserProgress fresh;
  fresh.user_id = user_id;
  return fresh;
}

void SqliteStore::SaveProgress(const UserProgress& p) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT OR REPLACE INTO user_progress (user_id, xp, votes_cast, clips_submitted, "
         "clips_approved, clips_won, referrals, streak_days, best_streak, last_vote_day, "
         "votes_on_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .BindAll(p.user_id, p.xp, p.counters.votes_cast, p.counters.clips_submitted,
               p.counters.clips_approved, p.counters.clips_won, p.counters.referrals, p.streak.days,
               p.streak.best, p.streak.last_day, p.votes_on_day)
      .Run();
}

bool SqliteStore::AddXp(Id user_id, std::string_view event_key, std::string_view kind, int xp,
                        EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT OR IGNORE INTO xp_ledger (user_id, event_key, kind, xp, created_at) "
         "VALUES (?, ?, ?, ?, ?)")
      .BindAll(user_id, event_key, kind, xp, now)
      .Run();
  return db_.Changes() > 0;
}

std::vector<XpEntry> SqliteStore::RecentXp(Id user_id, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT event_key, kind, xp, created_at FROM xp_ledger WHERE user_id = ? AND xp <> 0 "
      "ORDER BY created_at DESC, event_key DESC LIMIT ?");
  st.BindAll(user_id, limit);
  return All<XpEntry>(st, [](const Statement& s) {
    return XpEntry{s.Text(0), s.Text(1), static_cast<int>(s.Int(2)), s.Int(3)};
  });
}

bool SqliteStore::UnlockBadge(Id user_id, std::string_view badge, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare("INSERT OR IGNORE INTO user_badges (user_id, badge, unlocked_at) VALUES (?, ?, ?)")
      .BindAll(user_id, badge, now)
      .Run();
  return db_.Changes() > 0;
}

std::vector<BadgeUnlock> SqliteStore::ListBadges(Id user_id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT badge, unlocked_at FROM user_badges WHERE user_id = ? ORDER BY unlocked_at, badge");
  st.BindAll(user_id);
  return All<BadgeUnlock>(st, [](const Statement& s) { return BadgeUnlock{s.Text(0), s.Int(1)}; });
}

std::vector<std::pair<Id, std::int64_t>> SqliteStore::XpOfUsers(const std::vector<Id>& user_ids) {
  Guard g(db_.lock());
  std::vector<std::pair<Id, std::int64_t>> out;
  auto& st = db_.Prepare("SELECT xp FROM user_progress WHERE user_id = ?");
  for (Id id : user_ids) {
    st.BindAll(id);
    if (auto xp = One<std::int64_t>(st, [](const Statement& s) { return s.Int(0); })) {
      out.emplace_back(id, *xp);
    }
  }
  return out;
}

}  // namespace aimoviez::sqlite
