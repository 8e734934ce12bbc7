// Numbered schema migrations for PostgreSQL (cluster mode). Each runs once, in order, in its own
// transaction, recorded in schema_migrations; nodes starting together take an advisory lock so
// only one applies them. New migrations are appended; applied ones are never edited.
#pragma once

#include <span>
#include <string_view>

#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> AllMigrations();
// Applies every pending migration; returns how many were applied.
int ApplyMigrations(Database& db);

}  // namespace aimoviez::pg
