// Unit tests against a real PostgreSQL server: scripts/with-postgres.sh starts one on loopback
// and names it in AIMOVIEZ_TEST_POSTGRES_URL. Each test gets a schema of its own, dropped at the
// end, so tests run in parallel without seeing each other's rows. Without a server the tests are
// skipped, unless AIMOVIEZ_REQUIRE_POSTGRES is set (make test sets it), where they fail.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "common/crypto.h"
#include "storage/postgres/pg_database.h"
#include "storage/postgres/postgres_store.h"

namespace aimoviez::testing {

inline std::optional<std::string> PostgresServerUrl() {
  const char* url = std::getenv("AIMOVIEZ_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

#define AIMOVIEZ_NEED_POSTGRES()                                                          \
  do {                                                                                    \
    if (!::aimoviez::testing::PostgresServerUrl()) {                                      \
      if (std::getenv("AIMOVIEZ_REQUIRE_POSTGRES") != nullptr) {                          \
        FAIL() << "AIMOVIEZ_TEST_POSTGRES_URL is not set (run through with-postgres.sh)"; \
      }                                                                                   \
      GTEST_SKIP() << "no PostgreSQL server: run through scripts/with-postgres.sh";       \
    }                                                                                     \
  } while (false)

// A schema for one test; the URL it gives connects with that schema first on the search path.
class PostgresSchema {
 public:
  explicit PostgresSchema(const std::string& server_url)
      : server_url_(server_url), name_("t_" + crypto::ToHex(crypto::RandomBytes(8))) {
    pg::Connection admin(server_url_);
    admin.ExecScript("CREATE SCHEMA " + name_);
    url_ = server_url_ + (server_url_.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + name_;
  }
  ~PostgresSchema() {
    try {
      pg::Connection admin(server_url_);
      admin.ExecScript("DROP SCHEMA " + name_ + " CASCADE");
    } catch (const pg::PgError&) {  // the server is gone: the cluster is thrown away anyway
    }
  }
  PostgresSchema(const PostgresSchema&) = delete;
  PostgresSchema& operator=(const PostgresSchema&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

// The start of a test of the PostgreSQL adapters: a schema of its own with the migrations run.
// A derived fixture calls this SetUp first and returns if it skipped or failed (store_ unset).
class MigratedPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AIMOVIEZ_NEED_POSTGRES();
    schema_ = std::make_unique<PostgresSchema>(*PostgresServerUrl());
    store_ = std::make_unique<pg::PostgresStore>(schema_->url(), pg::PoolOptions{});
    store_->Migrate();
  }

  std::unique_ptr<PostgresSchema> schema_;
  std::unique_ptr<pg::PostgresStore> store_;
};

}  // namespace aimoviez::testing
