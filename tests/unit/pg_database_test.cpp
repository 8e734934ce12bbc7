// The PostgreSQL layer itself: parameters, transactions that follow the thread, the pool's bound
// and its recovery from lost connections, and migrations applied once across nodes.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "postgres_support.h"
#include "storage/postgres/pg_migrations.h"

namespace aimoviez::pg {
namespace {

class PgDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AIMOVIEZ_NEED_POSTGRES();
    schema_ = std::make_unique<testing::PostgresSchema>(*testing::PostgresServerUrl());
  }
  const std::string& url() const { return schema_->url(); }
  std::unique_ptr<testing::PostgresSchema> schema_;
};

TEST_F(PgDatabaseTest, ParametersTravelApartFromTheSqlNullsIncluded) {
  Database db(url());
  db.ExecScript("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, flag BOOLEAN)");
  const std::string hostile = "x'); DROP TABLE notes; --";
  db.Exec("INSERT INTO notes VALUES ($1, $2, $3)", Params(std::int64_t{1}, hostile, true));
  db.Exec("INSERT INTO notes VALUES ($1, $2, $3)",
          Params(std::int64_t{2}, std::optional<std::string>(), false));
  const auto rows = db.Exec("SELECT id, body, flag FROM notes ORDER BY id");
  ASSERT_EQ(rows.size(), 2);
  EXPECT_EQ(rows.Text(0, 1), hostile);
  EXPECT_TRUE(rows.Bool(0, 2));
  EXPECT_TRUE(rows.IsNull(1, 1));
  EXPECT_FALSE(rows.OptInt(1, 1).has_value());
  EXPECT_FALSE(rows.Bool(1, 2));
  EXPECT_EQ(db.Exec("UPDATE notes SET flag = true").Affected(), 2);
}

TEST_F(PgDatabaseTest, ErrorsCarryTheirSqlstate) {
  Database db(url());
  db.ExecScript("CREATE TABLE names (name TEXT PRIMARY KEY)");
  db.Exec("INSERT INTO names VALUES ($1)", Params("a"));
  try {
    db.Exec("INSERT INTO names VALUES ($1)", Params("a"));
    FAIL() << "a duplicate key was accepted";
  } catch (const PgError& e) {
    EXPECT_TRUE(e.IsUniqueViolation()) << e.sqlstate();
    EXPECT_FALSE(e.IsConnectionLost());
    EXPECT_FALSE(e.transient()) << "a broken rule is a defect (500), not an outage";
  }
}

TEST_F(PgDatabaseTest, ANestedTransactionJoinsTheOuterOneAndFallsWithIt) {
  Database db(url());
  db.ExecScript("CREATE TABLE t (v INT)");
  EXPECT_THROW(db.Transaction([&] {
    db.Exec("INSERT INTO t VALUES (1)");
    db.Transaction([&] { db.Exec("INSERT INTO t VALUES (2)"); });
    throw std::runtime_error("outer work failed");
  }),
               std::runtime_error);
  EXPECT_EQ(db.Exec("SELECT COUNT(*) FROM t").Int(0, 0), 0);
  db.Transaction([&] {
    db.Exec("INSERT INTO t VALUES (3)");
    db.Transaction([&] { db.Exec("INSERT INTO t VALUES (4)"); });
  });
  EXPECT_EQ(db.Exec("SELECT COUNT(*) FROM t").Int(0, 0), 2);
}

TEST_F(PgDatabaseTest, OtherThreadsDoNotSeeATransactionBeforeItCommits) {
  Database db(url());
  db.ExecScript("CREATE TABLE t (v INT)");
  std::promise<void> inserted;
  std::promise<void> checked;
  std::thread writer([&] {
    db.Transaction([&] {
      db.Exec("INSERT INTO t VALUES (1)");
      inserted.set_value();
      checked.get_future().wait();
    });
  });
  inserted.get_future().wait();
  // This thread is outside the transaction: it borrows another connection.
  EXPECT_EQ(db.Exec("SELECT COUNT(*) FROM t").Int(0, 0), 0);
  checked.set_value();
  writer.join();
  EXPECT_EQ(db.Exec("SELECT COUNT(*) FROM t").Int(0, 0), 1);
}

TEST_F(PgDatabaseTest, ThePoolIsBoundedAndAWaitTimesOutCleanly) {
  Database db(url(), PoolOptions{1, std::chrono::milliseconds(200)});
  std::promise<void> holding;
  std::promise<void> done;
  std::thread holder([&] {
    db.Transaction([&] {
      holding.set_value();
      done.get_future().wait();
    });
  });
  holding.get_future().wait();
  try {
    db.Exec("SELECT 1");
    ADD_FAILURE() << "a second connection was opened past the pool's size";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), "53300");
    EXPECT_TRUE(e.transient()) << "no free connection is answered 503, not 500";
  }
  EXPECT_EQ(db.OpenConnections(), 1);
  done.set_value();
  holder.join();
  EXPECT_EQ(db.Exec("SELECT 1").Int(0, 0), 1);
}

TEST_F(PgDatabaseTest, ALostConnectionFailsItsRequestAndThePoolHeals) {
  Database db(url(), PoolOptions{1, std::chrono::milliseconds(2000)});
  const auto pid = db.Exec("SELECT pg_backend_pid()").Int(0, 0);
  // Another session ends this connection, as a server restart or a network cut would.
  Connection admin(*testing::PostgresServerUrl());
  admin.Exec("SELECT pg_terminate_backend($1::int)", Params(pid));
  try {
    db.Exec("SELECT 1");
    ADD_FAILURE() << "a statement on a terminated connection succeeded";
  } catch (const PgError& e) {
    EXPECT_TRUE(e.IsConnectionLost()) << e.sqlstate() << " " << e.what();
    EXPECT_TRUE(e.transient());
  }
  // The broken connection was dropped; the next request opens a fresh one.
  EXPECT_EQ(db.Exec("SELECT 2").Int(0, 0), 2);
  EXPECT_NE(db.Exec("SELECT pg_backend_pid()").Int(0, 0), pid);
}

TEST_F(PgDatabaseTest, AnUnreachableServerFailsAtStartUp) {
  EXPECT_THROW(Database("postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2"), PgError);
}

TEST_F(PgDatabaseTest, MigrationsApplyOnceEvenWhenNodesStartTogether) {
  std::atomic<int> applied{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < 3; ++i) {
    nodes.emplace_back([&] {
      Database db(url());
      applied += ApplyMigrations(db);
    });
  }
  for (auto& n : nodes) n.join();
  EXPECT_EQ(applied.load(), static_cast<int>(AllMigrations().size()));
  Database db(url());
  EXPECT_EQ(ApplyMigrations(db), 0);
  EXPECT_EQ(db.Exec("SELECT COUNT(*) FROM schema_migrations").Int(0, 0),
            static_cast<std::int64_t>(AllMigrations().size()));
}

}  // namespace
}  // namespace aimoviez::pg
