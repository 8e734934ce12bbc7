// Follows and blocks on SQLite (migration 14). Lists carry only public user fields.
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {

// ?1 the user, ?2 the cursor (NULL for the first page), ?3 the limit.
constexpr std::string_view kFollowersSql =
    "SELECT u.id, COALESCE(u.username, ''), u.avatar_url, u.created_at, f.created_at, f.id "
    "FROM follows f JOIN users u ON u.id = f.follower_id "
    "WHERE f.followee_id = ?1 AND (?2 IS NULL OR f.id < ?2) ORDER BY f.id DESC LIMIT ?3";
constexpr std::string_view kFollowingSql =
    "SELECT u.id, COALESCE(u.username, ''), u.avatar_url, u.created_at, f.created_at, f.id "
    "FROM follows f JOIN users u ON u.id = f.followee_id "
    "WHERE f.follower_id = ?1 AND (?2 IS NULL OR f.id < ?2) ORDER BY f.id DESC LIMIT ?3";

FollowEntry ReadEntry(const Statement& s) {
  FollowEntry e;
  e.user.id = s.Int(0);
  e.user.username = s.Text(1);
  e.user.avatar_url = s.Text(2);
  e.user.created_at = s.Int(3);
  e.since = s.Int(4);
  e.cursor = s.Int(5);
  return e;
}

}  // namespace

bool SqliteStore::AddFollow(Id follower, Id followee, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)")
      .BindAll(follower, followee, now)
      .Run();
  return db_.Changes() > 0;
}

bool SqliteStore::RemoveFollow(Id follower, Id followee) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?")
      .BindAll(follower, followee)
      .Run();
  return db_.Changes() > 0;
}

bool SqliteStore::IsFollowing(Id follower, Id followee) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT 1 FROM follows WHERE follower_id = ? AND followee_id = ?");
  st.BindAll(follower, followee);
  return One<int>(st, [](const Statement&) { return 1; }).has_value();
}

FollowCounts SqliteStore::CountFollows(Id user_id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT (SELECT COUNT(*) FROM follows WHERE followee_id = ?1), "
      "(SELECT COUNT(*) FROM follows WHERE follower_id = ?1)");
  st.BindAll(user_id);
  return One<FollowCounts>(st,
                           [](const Statement& s) {
                             return FollowCounts{s.Int(0), s.Int(1)};
                           })
      .value_or(FollowCounts{});
}

std::vector<FollowEntry> SqliteStore::ListFollowers(Id user_id, std::optional<Id> before,
                                                    int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(kFollowersSql);
  st.BindAll(user_id, before, limit);
  return All<FollowEntry>(st, ReadEntry);
}

std::vector<FollowEntry> SqliteStore::ListFollowing(Id user_id, std::optional<Id> before,
                                                    int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(kFollowingSql);
  st.BindAll(user_id, before, limit);
  return All<FollowEntry>(st, ReadEntry);
}

bool SqliteStore::AddBlock(Id blocker, Id blocked, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare("INSERT OR IGNORE INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)")
      .BindAll(blocker, blocked, now)
      .Run();
  return db_.Changes() > 0;
}

bool SqliteStore::RemoveBlock(Id blocker, Id blocked) {
  Guard g(db_.lock());
  db_.Prepare("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?")
      .BindAll(blocker, blocked)
      .Run();
  return db_.Changes() > 0;
}

bool SqliteStore::IsBlocked(Id blocker, Id blocked) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?");
  st.BindAll(blocker, blocked);
  return One<int>(st, [](const Statement&) { return 1; }).has_value();
}

std::vector<FollowEntry> SqliteStore::ListBlocked(Id blocker, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT u.id, COALESCE(u.username, ''), u.avatar_url, u.created_at, b.created_at, 0 "
      "FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = ? "
      "ORDER BY b.created_at DESC LIMIT ?");
  st.BindAll(blocker, limit);
  return All<FollowEntry>(st, ReadEntry);
}

std::int64_t SqliteStore::CountBlocked(Id blocker) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT COUNT(*) FROM blocks WHERE blocker_id = ?");
  st.BindAll(blocker);
  return One<std::int64_t>(st, [](const Statement& s) { return s.Int(0); }).value_or(0);
}

}  // namespace aimoviez::sqlite
