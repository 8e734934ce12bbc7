// Schema upgrades keep the data: a database written by an older version is migrated in place.
#include <gtest/gtest.h>

#include "storage/sqlite/database.h"
#include "storage/sqlite/migrations.h"
#include "test_support.h"

namespace aimoviez::sqlite {
namespace {

std::int64_t Scalar(Database& db, std::string_view sql) {
  auto& st = db.Prepare(sql);
  st.Step();
  const auto value = st.Int(0);
  st.Reset();
  return value;
}

// Applies the migrations up to `last` the way ApplyMigrations records them.
void MigrateUpTo(Database& db, int last) {
  db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at INTEGER NOT NULL)");
  for (const auto& m : AllMigrations()) {
    if (m.version > last) break;
    db.Exec(std::string(m.sql));
    db.Prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)")
        .BindAll(m.version, m.name)
        .Run();
  }
}

TEST(SqliteMigrations, VotesAndImpressionsMoveToRoundIndexedTables) {
  testing::TempDir dir;
  Database db(dir.File("old.db"));
  MigrateUpTo(db, 7);
  db.Exec(
      "INSERT INTO seasons (id, label, status, total_slots, voting_window_seconds, created_at) "
      "VALUES (1, 'S1', 'active', "
      "75, 86400, 0);"
      "INSERT INTO tournament_clips (id, season_id, slot_position, status, created_at, updated_at) "
      "VALUES (10, 1, 1, 'active', 0, 0), (11, 1, 1, 'active', 0, 0);"
      "INSERT INTO votes (id, clip_id, voter_key, vote_weight, vote_type, season_id, "
      "slot_position, "
      "flagged, created_at) VALUES (1, 10, 'device_a', 1, 'standard', 1, 1, 0, 100), "
      "(2, 11, 'device_a', 3, 'super', 1, 1, 1, 200), (3, 10, 'device_b', 10, 'mega', 1, 1, 0, "
      "300);"
      "INSERT INTO clip_views (clip_id, voter_key, slot_position, created_at) VALUES "
      "(10, 'device_a', 1, 50), (11, 'device_a', 1, 60), (11, 'device_c', 1, 70);");

  EXPECT_EQ(ApplyMigrations(db), static_cast<int>(AllMigrations().size()) - 7);

  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM votes"), 3);
  EXPECT_EQ(Scalar(db, "SELECT SUM(vote_weight) FROM votes WHERE clip_id = 10"), 11);
  EXPECT_EQ(Scalar(db, "SELECT flagged FROM votes WHERE id = 2"), 1);
  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'idx_votes_round'"), 1);
  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'idx_votes_clip_round'"),
            0);
  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'idx_votes_created'"), 1);
  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'idx_votes_user'"), 1);
  // Each stored impression becomes a one-clip row of the round.
  EXPECT_EQ(Scalar(db,
                   "SELECT COUNT(*) FROM feed_impressions WHERE season_id = 1 AND "
                   "slot_position = 1"),
            3);
  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM feed_impressions WHERE clip_ids = '11'"), 2);
  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'clip_views'"), 0);
  // The checks still refuse what the engine never writes.
  EXPECT_THROW(db.Exec("INSERT INTO votes (clip_id, voter_key, vote_weight, season_id, "
                       "slot_position, created_at) VALUES (10, 'device_c', 2, 1, 1, 0)"),
               SqliteError);
  EXPECT_THROW(db.Exec("INSERT INTO votes (clip_id, voter_key, vote_type, season_id, "
                       "slot_position, created_at) VALUES (10, 'device_c', 'giga', 1, 1, 0)"),
               SqliteError);
}

TEST(SqliteMigrations, TheUsersRebuildKeepsAccountsSessionsAndReferences) {
  testing::TempDir dir;
  Database db(dir.File("old.db"));
  MigrateUpTo(db, 9);
  db.Exec(
      "INSERT INTO users (id, email, username, is_admin, created_at) VALUES "
      "(1, 'a@example.com', 'ann', 1, 5), (2, 'b@example.com', NULL, 0, 6);"
      "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES "
      "('h1', 1, 0, 0), ('h2', 2, 0, 0);"
      "INSERT INTO tournament_clips (id, user_id, status, created_at, updated_at) VALUES "
      "(10, 1, 'pending', 0, 0);");

  EXPECT_EQ(ApplyMigrations(db), static_cast<int>(AllMigrations().size()) - 9);

  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM users"), 2);
  EXPECT_EQ(Scalar(db, "SELECT is_admin FROM users WHERE username = 'ann'"), 1);
  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM sessions WHERE length(public_id) = 16"), 2);
  EXPECT_EQ(Scalar(db, "SELECT user_id FROM tournament_clips WHERE id = 10"), 1);
  // Foreign keys are on again and still point at the rebuilt table.
  EXPECT_EQ(Scalar(db, "PRAGMA foreign_keys"), 1);
  db.Exec("DELETE FROM users WHERE id = 2");
  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM sessions"), 1);  // cascaded
  // An account may now have no email, and several may.
  db.Exec("INSERT INTO users (created_at) VALUES (7), (8)");
  EXPECT_EQ(Scalar(db, "SELECT COUNT(*) FROM users WHERE email IS NULL"), 2);
}

}  // namespace
}  // namespace aimoviez::sqlite
