#include "app/data_migration.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "storage/postgres/pg_database.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/sqlite/database.h"

namespace aimoviez {

namespace {

// Parents before children, so every foreign key finds its row. Every table of the source must
// be here: a table added to the schema and not to this list stops the copy instead of being
// left behind.
const std::vector<std::string>& CopyOrder() {
  static const std::vector<std::string> kOrder = {
      "users",
      "user_identities",
      "sessions",
      "seasons",
      "tournament_clips",
      "story_slots",
      "films",
      "uploads",
      "votes",
      "feed_impressions",
      "progress_cursors",
      "genre_votes",
      "feature_flags",
      "audit_logs",
      "job_locks",
      "comments",
      "comment_likes",
      "follows",
      "blocks",
      "engagement_events",
      "xp_ledger",
      "user_progress",
      "user_badges",
      "notifications",
      "notification_mutes",
      "notification_broadcasts",
      "reports",
      "push_subscriptions",
      "push_deliveries",
      "user_devices",
      "referral_codes",
      "referrals",
      "contact_messages",
      "round_logs",
      "round_leaves",
  };
  return kOrder;
}

// Rows per INSERT statement: large enough to amortise the round trip, far below PostgreSQL's
// 65 535 parameters.
constexpr int kRowsPerStatement = 200;

std::vector<std::string> SourceTables(sqlite::Database& source) {
  std::vector<std::string> names;
  auto& st = source.Prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND "
      "name <> 'schema_migrations' AND name NOT LIKE 'clip_search%' ORDER BY name");
  while (st.Step()) names.push_back(st.Text(0));
  st.Reset();
  return names;
}

// The target's columns of a table and their types (information_schema's data_type).
std::map<std::string, std::string> TargetColumns(pg::Connection& target, const std::string& table) {
  std::map<std::string, std::string> columns;
  const auto rows = target.Exec(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 AND "
      "table_schema = current_schema()",
      pg::Params(table));
  for (int i = 0; i < rows.size(); ++i) columns[rows.Text(i, 0)] = rows.Text(i, 1);
  return columns;
}

// One source value as the text PostgreSQL reads for the target column's type.
void AddValue(pg::Params& params, const sqlite::Statement& row, int col, const std::string& type) {
  if (row.IsNull(col)) {
    params.AddNull();
  } else if (type == "boolean") {
    params.Add(row.Int(col) != 0);
  } else if (type == "bytea") {
    params.Add(pg::ByteaText(row.TextView(col)));
  } else {
    params.Add(row.TextView(col));
  }
}

std::int64_t CountRows(pg::Connection& target, const std::string& table) {
  return target.Exec("SELECT COUNT(*) FROM " + table).Int(0, 0);
}

// Copies one table; returns the rows new in the target.
std::int64_t CopyTable(sqlite::Database& source, pg::Connection& target, const std::string& table) {
  const auto target_columns = TargetColumns(target, table);
  if (target_columns.empty()) {
    throw std::runtime_error("the PostgreSQL schema has no table " + table);
  }
  // In id order where there is one, so a reply comes after the comment it answers.
  auto& rows =
      source.Prepare("SELECT * FROM " + table + (target_columns.count("id") ? " ORDER BY id" : ""));
  std::vector<std::string> names;
  std::vector<std::string> types;
  for (int c = 0; c < rows.ColumnCount(); ++c) {
    const std::string name(rows.ColumnName(c));
    const auto it = target_columns.find(name);
    if (it == target_columns.end()) {
      rows.Reset();
      throw std::runtime_error("the PostgreSQL table " + table + " has no column " + name);
    }
    names.push_back(name);
    types.push_back(it->second);
  }
  std::string head = "INSERT INTO " + table + " (";
  for (std::size_t c = 0; c < names.size(); ++c) head += (c ? ", " : "") + names[c];
  head += ") VALUES ";
  // Rows already there (an earlier run, the flags every new database starts with) stay.
  const std::string tail = " ON CONFLICT DO NOTHING";

  std::int64_t copied = 0;
  pg::Params params;
  int pending = 0;
  const auto flush = [&] {
    if (pending == 0) return;
    std::string sql = head;
    int p = 0;
    for (int r = 0; r < pending; ++r) {
      sql += r ? ", (" : "(";
      for (std::size_t c = 0; c < names.size(); ++c) sql += (c ? ", $" : "$") + std::to_string(++p);
      sql += ")";
    }
    copied += target.Exec(sql + tail, params).Affected();
    params = pg::Params();
    pending = 0;
  };
  try {
    while (rows.Step()) {
      for (int c = 0; c < static_cast<int>(names.size()); ++c) AddValue(params, rows, c, types[c]);
      if (++pending == kRowsPerStatement) flush();
    }
    flush();
  } catch (...) {
    rows.Reset();
    throw;
  }
  rows.Reset();
  // Identity columns go on from the highest id copied, so new rows do not collide with old ones.
  if (target_columns.count("id") &&
      !target.Exec("SELECT pg_get_serial_sequence($1, 'id')", pg::Params(table)).IsNull(0, 0)) {
    target.Exec("SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST((SELECT MAX(id) FROM " +
                    table + "), 1))",
                pg::Params(table));
  }
  return copied;
}

std::int64_t CountSource(sqlite::Database& source, const std::string& table) {
  auto& st = source.Prepare("SELECT COUNT(*) FROM " + table);
  st.Step();
  const auto n = st.Int(0);
  st.Reset();
  return n;
}

// Every clip's vote count and score in the stored rows: "clip -> (votes, score)".
std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> SourceTallies(sqlite::Database& db) {
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> tallies;
  auto& st = db.Prepare("SELECT clip_id, COUNT(*), SUM(vote_weight) FROM votes GROUP BY clip_id");
  while (st.Step()) tallies[st.Int(0)] = {st.Int(1), st.Int(2)};
  st.Reset();
  return tallies;
}

std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> TargetTallies(pg::Connection& db) {
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> tallies;
  const auto rows =
      db.Exec("SELECT clip_id, COUNT(*), SUM(vote_weight) FROM votes GROUP BY clip_id");
  for (int i = 0; i < rows.size(); ++i) tallies[rows.Int(i, 0)] = {rows.Int(i, 1), rows.Int(i, 2)};
  return tallies;
}

// The progression job's cursors say how far XP and badges have been given. PostgreSQL creates
// its cursor rows with the schema (so copying the table leaves them alone) and reads votes in
// commit order, by (txn, id), where a copied vote carries the transaction that copied it: the
// source's vote cursor C becomes (the transaction of the last vote at or below C, C). Set only by
// a run that copied something, so a repeated run does not move back what a node has moved on.
void CarryProgressCursors(sqlite::Database& source, pg::Connection& target) {
  auto& st = source.Prepare("SELECT name, position FROM progress_cursors");
  while (st.Step()) {
    target.Exec(
        "INSERT INTO progress_cursors (name, position) VALUES ($1, $2) "
        "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
        pg::Params(st.Text(0), st.Int(1)));
  }
  st.Reset();
  target.Exec(
      "UPDATE progress_cursors SET position = COALESCE((SELECT v.txn::text::bigint FROM votes v "
      "WHERE v.id <= (SELECT position FROM progress_cursors WHERE name = 'votes') "
      "ORDER BY v.id DESC LIMIT 1), pg_current_xact_id()::text::bigint) WHERE name = 'votes_txn'");
}

}  // namespace

DataMigrationReport MigrateData(const std::string& sqlite_path, const std::string& postgres_url) {
  if (!std::filesystem::exists(sqlite_path)) {
    throw std::runtime_error("no embedded database at " + sqlite_path);
  }
  sqlite::Database source(sqlite_path);
  std::lock_guard guard(source.lock());
  const auto tables = SourceTables(source);
  for (const auto& table : tables) {
    const auto& order = CopyOrder();
    if (std::find(order.begin(), order.end(), table) == order.end()) {
      throw std::runtime_error("migrate-data does not know the table " + table +
                               " (add it to CopyOrder in app/data_migration.cpp)");
    }
  }

  pg::Database pool(postgres_url, pg::PoolOptions{1, std::chrono::milliseconds(5000)});
  pg::ApplyMigrations(pool);

  DataMigrationReport report;
  // One snapshot of the source (a server may keep writing beside it) and one transaction in the
  // target: the copy lands whole or not at all.
  source.Exec("BEGIN");
  try {
    pool.WithSession([&](pg::Connection& target) {
      target.ExecScript("BEGIN");
      try {
        std::int64_t copied_in_this_run = 0;
        for (const auto& table : CopyOrder()) {
          if (std::find(tables.begin(), tables.end(), table) == tables.end()) continue;
          DataMigrationReport::Table t;
          t.name = table;
          t.source_rows = CountSource(source, table);
          t.copied_rows = CopyTable(source, target, table);
          t.target_rows = CountRows(target, table);
          copied_in_this_run += t.copied_rows;
          if (table == "progress_cursors" && copied_in_this_run > 0) {
            CarryProgressCursors(source, target);
          }
          // The target may hold more only where a new database starts with rows of its own.
          const bool own_rows = table == "feature_flags" || table == "progress_cursors";
          if (t.target_rows != t.source_rows && !(own_rows && t.target_rows > t.source_rows)) {
            report.mismatches.push_back(table + ": " + std::to_string(t.source_rows) +
                                        " rows in the source, " + std::to_string(t.target_rows) +
                                        " in PostgreSQL");
          }
          report.tables.push_back(t);
        }
        const auto source_tallies = SourceTallies(source);
        const auto target_tallies = TargetTallies(target);
        for (const auto& [clip, tally] : source_tallies) {
          const auto it = target_tallies.find(clip);
          if (it == target_tallies.end() || it->second != tally) {
            report.mismatches.push_back("clip " + std::to_string(clip) +
                                        ": votes and score differ between the two databases");
          }
        }
        if (target_tallies.size() != source_tallies.size()) {
          report.mismatches.push_back("the two databases have votes on different clips");
        }
        // A copy that does not match is not kept.
        target.ExecScript(report.mismatches.empty() ? "COMMIT" : "ROLLBACK");
      } catch (...) {
        if (!target.Broken()) target.ExecScript("ROLLBACK");
        throw;
      }
    });
  } catch (...) {
    source.Exec("ROLLBACK");
    throw;
  }
  source.Exec("COMMIT");
  return report;
}

void PrintReport(const DataMigrationReport& report, std::ostream& out) {
  for (const auto& t : report.tables) {
    out << t.name << ": " << t.source_rows << " rows, " << t.copied_rows << " copied now, "
        << t.target_rows << " in PostgreSQL\n";
  }
  if (report.mismatches.empty()) {
    out << "verified: every table's rows and every clip's votes and score match\n";
  } else {
    for (const auto& m : report.mismatches) out << "MISMATCH " << m << "\n";
    out << "nothing was kept: the PostgreSQL transaction was rolled back\n";
  }
}

}  // namespace aimoviez
