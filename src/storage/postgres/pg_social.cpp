#include "storage/postgres/pg_social.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

// $1 the user, $2 the cursor (NULL for the first page), $3 the limit.
constexpr std::string_view kFollowersSql =
    "SELECT u.id, COALESCE(u.username, ''), u.avatar_url, u.created_at, f.created_at, f.id "
    "FROM follows f JOIN users u ON u.id = f.follower_id "
    "WHERE f.followee_id = $1 AND ($2::bigint IS NULL OR f.id < $2) ORDER BY f.id DESC LIMIT $3";
constexpr std::string_view kFollowingSql =
    "SELECT u.id, COALESCE(u.username, ''), u.avatar_url, u.created_at, f.created_at, f.id "
    "FROM follows f JOIN users u ON u.id = f.followee_id "
    "WHERE f.follower_id = $1 AND ($2::bigint IS NULL OR f.id < $2) ORDER BY f.id DESC LIMIT $3";

FollowEntry ReadEntry(const Rows& r, int i) {
  FollowEntry e;
  e.user.id = r.Int(i, 0);
  e.user.username = r.Text(i, 1);
  e.user.avatar_url = r.Text(i, 2);
  e.user.created_at = r.Int(i, 3);
  e.since = r.Int(i, 4);
  e.cursor = r.Int(i, 5);
  return e;
}

}  // namespace

bool PgSocialRepository::AddFollow(Id follower, Id followee, EpochMs now) {
  return db_.Exec(
                "INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, $3) "
                "ON CONFLICT DO NOTHING",
                Params(follower, followee, now))
             .Affected() > 0;
}

bool PgSocialRepository::RemoveFollow(Id follower, Id followee) {
  return db_.Exec("DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2",
                  Params(follower, followee))
             .Affected() > 0;
}

bool PgSocialRepository::IsFollowing(Id follower, Id followee) {
  return !db_.Exec("SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2",
                   Params(follower, followee))
              .empty();
}

FollowCounts PgSocialRepository::CountFollows(Id user_id) {
  const auto rows = db_.Exec(
      "SELECT (SELECT COUNT(*) FROM follows WHERE followee_id = $1), "
      "(SELECT COUNT(*) FROM follows WHERE follower_id = $1)",
      Params(user_id));
  return FollowCounts{rows.Int(0, 0), rows.Int(0, 1)};
}

std::vector<FollowEntry> PgSocialRepository::ListFollowers(Id user_id, std::optional<Id> before,
                                                           int limit) {
  return ReadAll<FollowEntry>(db_.Exec(kFollowersSql, Params(user_id, before, limit)), ReadEntry);
}

std::vector<FollowEntry> PgSocialRepository::ListFollowing(Id user_id, std::optional<Id> before,
                                                           int limit) {
  return ReadAll<FollowEntry>(db_.Exec(kFollowingSql, Params(user_id, before, limit)), ReadEntry);
}

bool PgSocialRepository::AddBlock(Id blocker, Id blocked, EpochMs now) {
  return db_.Exec(
                "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3) "
                "ON CONFLICT DO NOTHING",
                Params(blocker, blocked, now))
             .Affected() > 0;
}

bool PgSocialRepository::RemoveBlock(Id blocker, Id blocked) {
  return db_.Exec("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2",
                  Params(blocker, blocked))
             .Affected() > 0;
}

bool PgSocialRepository::IsBlocked(Id blocker, Id blocked) {
  return !db_.Exec("SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2",
                   Params(blocker, blocked))
              .empty();
}

std::vector<FollowEntry> PgSocialRepository::ListBlocked(Id blocker, int limit) {
  return ReadAll<FollowEntry>(
      db_.Exec("SELECT u.id, COALESCE(u.username, ''), u.avatar_url, u.created_at, b.created_at, "
               "0 FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = $1 "
               "ORDER BY b.created_at DESC, u.id LIMIT $2",
               Params(blocker, limit)),
      ReadEntry);
}

std::int64_t PgSocialRepository::CountBlocked(Id blocker) {
  return db_.Exec("SELECT COUNT(*) FROM blocks WHERE blocker_id = $1", Params(blocker)).Int(0, 0);
}

}  // namespace aimoviez::pg
