#include "storage/postgres/pg_flags.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

constexpr std::string_view kFlagColumns =
    "SELECT key, enabled, description, category, updated_at FROM feature_flags ";

FeatureFlag ReadFlag(const Rows& r, int i) {
  return FeatureFlag{r.Text(i, 0), r.Bool(i, 1), r.Text(i, 2), r.Text(i, 3), r.Int(i, 4)};
}

}  // namespace

std::vector<FeatureFlag> PgFeatureFlagRepository::ListFlags() {
  return ReadAll<FeatureFlag>(db_.Exec(std::string(kFlagColumns) + "ORDER BY category, key"),
                              ReadFlag);
}

std::optional<FeatureFlag> PgFeatureFlagRepository::FindFlag(std::string_view key) {
  return ReadFirst<FeatureFlag>(db_.Exec(std::string(kFlagColumns) + "WHERE key = $1", Params(key)),
                                ReadFlag);
}

void PgFeatureFlagRepository::SetFlag(std::string_view key, bool enabled, EpochMs now) {
  db_.Exec("UPDATE feature_flags SET enabled = $1, updated_at = $2 WHERE key = $3",
           Params(enabled, now, key));
}

}  // namespace aimoviez::pg
