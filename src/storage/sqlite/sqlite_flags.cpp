// Feature flags on SQLite.
#include "storage/sqlite/model_rows.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {
FeatureFlag ReadFlag(const Statement& s) {
  return FeatureFlag{s.Text(0), s.Int(1) != 0, s.Text(2), s.Text(3), s.Int(4)};
}
}  // namespace

std::vector<FeatureFlag> SqliteStore::ListFlags() {
  Guard g(db_.lock());
  return All<FeatureFlag>(
      db_.Prepare("SELECT key, enabled, description, category, updated_at FROM feature_flags "
                  "ORDER BY category, key"),
      ReadFlag);
}

std::optional<FeatureFlag> SqliteStore::FindFlag(std::string_view key) {
  Guard g(db_.lock());
  return One<FeatureFlag>(
      db_.Prepare("SELECT key, enabled, description, category, updated_at FROM feature_flags "
                  "WHERE key = ?")
          .BindAll(key),
      ReadFlag);
}

void SqliteStore::SetFlag(std::string_view key, bool enabled, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE feature_flags SET enabled = ?, updated_at = ? WHERE key = ?")
      .BindAll(enabled, now, key)
      .Run();
}

}  // namespace aimoviez::sqlite
