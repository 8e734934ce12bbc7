#include "app/system_of_record.h"

#include <filesystem>
#include <optional>

#include "storage/postgres/pg_vote_ledger.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez {

namespace {

class EmbeddedRecords final : public SystemOfRecord {
 public:
  explicit EmbeddedRecords(const Config& config)
      : path_((std::filesystem::create_directories(config.data_dir), config.DatabasePath())),
        store_(path_) {}
  Store& store() override { return store_; }
  VoteLedger* vote_ledger() override { return nullptr; }
  int Migrate() override { return store_.Migrate(); }
  void StartServing() override { store_.StartBackgroundCheckpoints(); }
  std::string Describe() const override { return "sqlite:" + path_; }

 private:
  std::string path_;
  sqlite::SqliteStore store_;
};

class ClusterRecords final : public SystemOfRecord {
 public:
  explicit ClusterRecords(const Config& config)
      : url_(config.database_url),
        store_(config.database_url,
               pg::PoolOptions{config.database_pool_size, std::chrono::milliseconds(5000)}),
        ledger_(store_.database()) {}
  Store& store() override { return store_; }
  VoteLedger* vote_ledger() override { return &ledger_; }
  int Migrate() override { return store_.Migrate(); }
  std::string Describe() const override { return RedactedUrl(url_); }

  // Votes are decided by the shared ledger, but the background jobs (progression, broadcast
  // delivery, film assembly) are not yet fenced across nodes, and two nodes would apply them
  // twice. Until they are, a session advisory lock, held for the process's life on a connection
  // of its own, makes a second `serve` refuse to start. The lock is named after the schema the
  // records live in, so two platforms in two schemas of one database do not exclude each other.
  void StartServing() override {
    lock_.emplace(url_);
    const auto got = lock_->Exec(
        "SELECT pg_try_advisory_lock(hashtextextended('aimoviez serving ' || current_schema(), "
        "0))");
    if (!got.Bool(0, 0)) {
      throw std::runtime_error(
          "another aimoviez process is serving this PostgreSQL database; one node per database "
          "until the background jobs are fenced across nodes (issue 18)");
    }
  }

 private:
  std::string url_;
  pg::PostgresStore store_;
  pg::PgVoteLedger ledger_;
  std::optional<pg::Connection> lock_;
};

}  // namespace

std::unique_ptr<SystemOfRecord> SystemOfRecord::Open(const Config& config) {
  if (config.database_url.empty()) return std::make_unique<EmbeddedRecords>(config);
  return std::make_unique<ClusterRecords>(config);
}

}  // namespace aimoviez
