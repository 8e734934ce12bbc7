// Numbered schema migrations for SQLite. Each runs once, in order, inside a transaction, and is
// recorded in schema_migrations. New migrations are appended; applied ones are never edited.
#pragma once

#include <span>
#include <string_view>

#include "storage/sqlite/database.h"

namespace aimoviez::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
  bool rebuilds_tables = false;  // runs with foreign keys off, checked before commit
};

std::span<const Migration> AllMigrations();
// Applies every pending migration; returns how many were applied.
int ApplyMigrations(Database& db);

}  // namespace aimoviez::sqlite
