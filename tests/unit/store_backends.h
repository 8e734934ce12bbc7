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
#include "storage/postgres/postgres_store.h"
#include "test_support.h"

namespace aimoviez::testing {

// A migrated store of either backend, in a place of its own (a temporary file, a schema).
struct BackendUnderTest {
  virtual ~BackendUnderTest() = default;
  virtual Store& store() = 0;
};

struct SqliteBackend final : BackendUnderTest {
  SqliteBackend() : sqlite(dir.File("test.db")) { sqlite.Migrate(); }
  Store& store() override { return sqlite; }
  TempDir dir;
  sqlite::SqliteStore sqlite;
};

struct PostgresBackend final : BackendUnderTest {
  explicit PostgresBackend(const std::string& server)
      : schema(server), postgres(schema.url(), pg::PoolOptions{}) {
    postgres.Migrate();
  }
  Store& store() override { return postgres; }
  pg::Database& db() { return postgres.database(); }
  PostgresSchema schema;
  pg::PostgresStore postgres;
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
  Store& store() { return backend_->store(); }
  // Each port, as the services see it.
  UserRepository& users() { return store(); }
  SessionRepository& sessions() { return store(); }
  IdentityRepository& identities() { return store(); }
  SeasonRepository& seasons() { return store(); }
  ClipRepository& clips() { return store(); }
  FilmRepository& films() { return store(); }
  UploadRepository& uploads() { return store(); }
  VoteRepository& votes() { return store(); }
  GenreVoteRepository& genre_votes() { return store(); }
  FeatureFlagRepository& flags() { return store(); }
  AuditLogRepository& audit() { return store(); }
  JobLockRepository& locks() { return store(); }
  CommunityReadRepository& community() { return store(); }
  CommentRepository& comments() { return store(); }
  SocialRepository& social() { return store(); }
  ProgressionRepository& progression() { return store(); }
  NotificationRepository& notifications() { return store(); }
  ReportRepository& reports() { return store(); }
  PushRepository& push() { return store(); }
  ReferralRepository& referrals() { return store(); }
  BroadcastRepository& broadcasts() { return store(); }
  ContactRepository& contact() { return store(); }
  RoundLogRepository& round_logs() { return store(); }
  SearchRepository& search() { return store(); }
  AccountRepository& accounts() { return store(); }

  std::unique_ptr<BackendUnderTest> backend_;
};

#define AIMOVIEZ_ON_EVERY_BACKEND(Suite)                                             \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values("sqlite", "postgres"), \
                           [](const auto& info) { return info.param; })

}  // namespace aimoviez::testing
