#include "storage/sqlite/sqlite_backup.h"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>

#include "domain/media_rules.h"

namespace aimoviez::sqlite {

namespace {

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, Closer>;

Connection Open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  Connection owned(db);
  if (rc != SQLITE_OK) {
    throw std::runtime_error("cannot open " + path + ": " +
                             (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db, 10'000);
  return owned;
}

}  // namespace

void BackupDatabase(const std::string& source, const std::string& dest) {
  auto from = Open(source, SQLITE_OPEN_READONLY);
  auto to = Open(dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (backup == nullptr) {
    throw std::runtime_error(std::string("backup failed to start: ") + sqlite3_errmsg(to.get()));
  }
  // All pages in one step: one read transaction, so the copy is one point in time. Busy or
  // locked (a checkpoint at that instant) is retried.
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(100);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    throw std::runtime_error(std::string("backup failed: ") + sqlite3_errstr(rc));
  }
  // The copy is a standalone file: no WAL beside it.
  if (sqlite3_exec(to.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    throw std::runtime_error(std::string("backup failed: ") + sqlite3_errmsg(to.get()));
  }
}

std::string CheckIntegrity(const std::string& path) {
  auto db = Open(path, SQLITE_OPEN_READONLY);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db.get(), "PRAGMA integrity_check", -1, &st, nullptr) != SQLITE_OK) {
    return sqlite3_errmsg(db.get());
  }
  std::string out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (!out.empty()) out += "; ";
    out += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return out;
}

std::vector<std::string> ReferencedMediaKeys(const std::string& path) {
  auto db = Open(path, SQLITE_OPEN_READONLY);
  sqlite3_stmt* st = nullptr;
  const char* sql =
      "SELECT video_url FROM tournament_clips UNION SELECT thumbnail_url FROM tournament_clips "
      "UNION SELECT video_url FROM films";
  if (sqlite3_prepare_v2(db.get(), sql, -1, &st, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("cannot read media references: ") +
                             sqlite3_errmsg(db.get()));
  }
  std::vector<std::string> keys;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(st, 0);
    if (text == nullptr) continue;
    if (auto key = ObjectKeyOfUrl(reinterpret_cast<const char*>(text))) keys.push_back(*key);
  }
  sqlite3_finalize(st);
  return keys;
}

}  // namespace aimoviez::sqlite
