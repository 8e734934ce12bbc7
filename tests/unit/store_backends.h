// The storage backends the contract tests run on: SQLite (embedded mode) and PostgreSQL
// (cluster mode), each behind the same repository ports. A contract test is a TEST_P over
// BackendTest, instantiated with AIMOVIEZ_ON_EVERY_BACKEND; the PostgreSQL run needs the server
// that scripts/with-postgres.sh starts (see postgres_support.h).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "postgres_support.h"
#include "storage/postgres/pg_audit.h"
#include "storage/postgres/pg_clips.h"
#include "storage/postgres/pg_comments.h"
#include "storage/postgres/pg_films.h"
#include "storage/postgres/pg_flags.h"
#include "storage/postgres/pg_genre_votes.h"
#include "storage/postgres/pg_identities.h"
#include "storage/postgres/pg_job_locks.h"
#include "storage/postgres/pg_leaderboards.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_seasons.h"
#include "storage/postgres/pg_sessions.h"
#include "storage/postgres/pg_social.h"
#include "storage/postgres/pg_uploads.h"
#include "storage/postgres/pg_users.h"
#include "storage/postgres/pg_votes.h"
#include "test_support.h"

namespace aimoviez::testing {

// The repositories ported to every backend so far, and the transaction they share.
struct BackendUnderTest {
  virtual ~BackendUnderTest() = default;
  virtual UserRepository& users() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual IdentityRepository& identities() = 0;
  virtual SeasonRepository& seasons() = 0;
  virtual ClipRepository& clips() = 0;
  virtual FilmRepository& films() = 0;
  virtual UploadRepository& uploads() = 0;
  virtual VoteRepository& votes() = 0;
  virtual GenreVoteRepository& genre_votes() = 0;
  virtual FeatureFlagRepository& flags() = 0;
  virtual AuditLogRepository& audit() = 0;
  virtual JobLockRepository& locks() = 0;
  virtual CommunityReadRepository& community() = 0;
  virtual CommentRepository& comments() = 0;
  virtual SocialRepository& social() = 0;
  virtual void Transaction(const std::function<void()>& work) = 0;
};

struct SqliteBackend final : BackendUnderTest {
  SqliteBackend() : store(dir.File("test.db")) { store.Migrate(); }
  UserRepository& users() override { return store; }
  SessionRepository& sessions() override { return store; }
  IdentityRepository& identities() override { return store; }
  SeasonRepository& seasons() override { return store; }
  ClipRepository& clips() override { return store; }
  FilmRepository& films() override { return store; }
  UploadRepository& uploads() override { return store; }
  VoteRepository& votes() override { return store; }
  GenreVoteRepository& genre_votes() override { return store; }
  FeatureFlagRepository& flags() override { return store; }
  AuditLogRepository& audit() override { return store; }
  JobLockRepository& locks() override { return store; }
  CommunityReadRepository& community() override { return store; }
  CommentRepository& comments() override { return store; }
  SocialRepository& social() override { return store; }
  void Transaction(const std::function<void()>& work) override { store.Transaction(work); }
  TempDir dir;
  sqlite::SqliteStore store;
};

struct PostgresBackend final : BackendUnderTest {
  explicit PostgresBackend(const std::string& server)
      : schema(server),
        db(schema.url()),
        user_repo(db),
        session_repo(db),
        identity_repo(db),
        season_repo(db),
        clip_repo(db),
        film_repo(db),
        upload_repo(db),
        vote_repo(db),
        genre_vote_repo(db),
        flag_repo(db),
        audit_repo(db),
        lock_repo(db),
        community_repo(db),
        comment_repo(db),
        social_repo(db) {
    pg::ApplyMigrations(db);
  }
  UserRepository& users() override { return user_repo; }
  SessionRepository& sessions() override { return session_repo; }
  IdentityRepository& identities() override { return identity_repo; }
  SeasonRepository& seasons() override { return season_repo; }
  ClipRepository& clips() override { return clip_repo; }
  FilmRepository& films() override { return film_repo; }
  UploadRepository& uploads() override { return upload_repo; }
  VoteRepository& votes() override { return vote_repo; }
  GenreVoteRepository& genre_votes() override { return genre_vote_repo; }
  FeatureFlagRepository& flags() override { return flag_repo; }
  AuditLogRepository& audit() override { return audit_repo; }
  JobLockRepository& locks() override { return lock_repo; }
  CommunityReadRepository& community() override { return community_repo; }
  CommentRepository& comments() override { return comment_repo; }
  SocialRepository& social() override { return social_repo; }
  void Transaction(const std::function<void()>& work) override { db.Transaction(work); }
  PostgresSchema schema;
  pg::Database db;
  pg::PgUserRepository user_repo;
  pg::PgSessionRepository session_repo;
  pg::PgIdentityRepository identity_repo;
  pg::PgSeasonRepository season_repo;
  pg::PgClipRepository clip_repo;
  pg::PgFilmRepository film_repo;
  pg::PgUploadRepository upload_repo;
  pg::PgVoteRepository vote_repo;
  pg::PgGenreVoteRepository genre_vote_repo;
  pg::PgFeatureFlagRepository flag_repo;
  pg::PgAuditLogRepository audit_repo;
  pg::PgJobLockRepository lock_repo;
  pg::PgCommunityReadRepository community_repo;
  pg::PgCommentRepository comment_repo;
  pg::PgSocialRepository social_repo;
};

class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      backend_ = std::make_unique<SqliteBackend>();
      return;
    }
    AIMOVIEZ_NEED_POSTGRES();
    backend_ = std::make_unique<PostgresBackend>(*PostgresServerUrl());
  }
  UserRepository& users() { return backend_->users(); }
  SessionRepository& sessions() { return backend_->sessions(); }
  IdentityRepository& identities() { return backend_->identities(); }
  SeasonRepository& seasons() { return backend_->seasons(); }
  ClipRepository& clips() { return backend_->clips(); }
  FilmRepository& films() { return backend_->films(); }
  UploadRepository& uploads() { return backend_->uploads(); }
  VoteRepository& votes() { return backend_->votes(); }
  GenreVoteRepository& genre_votes() { return backend_->genre_votes(); }
  FeatureFlagRepository& flags() { return backend_->flags(); }
  AuditLogRepository& audit() { return backend_->audit(); }
  JobLockRepository& locks() { return backend_->locks(); }
  CommunityReadRepository& community() { return backend_->community(); }
  CommentRepository& comments() { return backend_->comments(); }
  SocialRepository& social() { return backend_->social(); }

  std::unique_ptr<BackendUnderTest> backend_;
};

#define AIMOVIEZ_ON_EVERY_BACKEND(Suite)                                             \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values("sqlite", "postgres"), \
                           [](const auto& info) { return info.param; })

}  // namespace aimoviez::testing
