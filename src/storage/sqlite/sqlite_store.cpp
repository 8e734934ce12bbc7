// The SQLite store's connection: migrations, background checkpoints and the transaction helper
// every repository shares. Each repository's queries live in their own sqlite_*.cpp file.
#include "storage/sqlite/sqlite_store.h"

#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/rows.h"

namespace aimoviez::sqlite {

SqliteStore::SqliteStore(const std::string& path) : path_(path), db_(path) {}

void SqliteStore::StartBackgroundCheckpoints() {
  if (checkpointer_) return;
  db_.Exec("PRAGMA wal_autocheckpoint=0");
  checkpointer_ = std::make_unique<Checkpointer>(path_, std::chrono::milliseconds(500));
}

int SqliteStore::Migrate() {
  return ApplyMigrations(db_);
}

void SqliteStore::Transaction(const std::function<void()>& work) {
  Guard g(db_.lock());
  if (transaction_depth_ > 0) {
    // Nested call: already inside the outer transaction, which commits or rolls back as a whole.
    work();
    return;
  }
  db_.Exec("BEGIN IMMEDIATE");
  ++transaction_depth_;
  try {
    work();
    db_.Exec("COMMIT");
    --transaction_depth_;
  } catch (...) {
    --transaction_depth_;
    db_.Exec("ROLLBACK");
    throw;
  }
}

}  // namespace aimoviez::sqlite
