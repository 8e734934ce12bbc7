#include "app/system_of_record.h"

#include <filesystem>

#include "common/crypto.h"
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
  // One serving process per data directory: a job lock found now was left by a process that
  // died holding it (killed mid-encode, say), and its job can resume at once instead of after
  // the lease's expiry. A `jobs` command running beside the server is fenced by its old token.
  void StartServing() override {
    store_.ExpireAllLocks();
    store_.StartBackgroundCheckpoints();
  }
  void ConfirmSharedSecret(std::string_view, std::string_view) override {}
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

  // Any number of nodes serve one database: votes are decided by the shared ledger, and each
  // background job takes its work under a lock in PostgreSQL (see docs/ARCHITECTURE.md, "Jobs
  // on any node"), so nothing here claims the database for this process.
  void StartServing() override {}

  void ConfirmSharedSecret(std::string_view name, std::string_view secret) override {
    const std::string fingerprint =
        crypto::ToHex(crypto::HmacSha256(secret, "aimoviez node secret fingerprint"));
    // The insert's row is not visible to the second SELECT of the same statement, so exactly
    // one row comes back: the new fingerprint, or the one recorded before.
    const auto kept = store_.database().Exec(
        "WITH put AS (INSERT INTO node_secrets (name, fingerprint) VALUES ($1, $2) "
        "ON CONFLICT (name) DO NOTHING RETURNING fingerprint) "
        "SELECT fingerprint FROM put UNION ALL SELECT fingerprint FROM node_secrets "
        "WHERE name = $1",
        pg::Params(name, fingerprint));
    if (kept.Text(0, 0) != fingerprint) {
      throw std::runtime_error("this node's " + std::string(name) +
                               " differs from the one the other nodes of this database use; "
                               "copy it from a running node (docs/DEPLOYMENT.md)");
    }
  }

 private:
  std::string url_;
  pg::PostgresStore store_;
  pg::PgVoteLedger ledger_;
};

}  // namespace

std::unique_ptr<SystemOfRecord> SystemOfRecord::Open(const Config& config) {
  if (config.database_url.empty()) return std::make_unique<EmbeddedRecords>(config);
  return std::make_unique<ClusterRecords>(config);
}

}  // namespace aimoviez
