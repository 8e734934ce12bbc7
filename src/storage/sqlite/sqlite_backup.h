// Whole-database operations for `aimoviez backup` and `restore`: an online copy of a live
// database, its integrity check, and the media it refers to.
#pragma once

#include <string>
#include <vector>

namespace aimoviez::sqlite {

// Copies the database at `source` into a new file `dest` with SQLite's online backup API, in
// one read transaction: a consistent snapshot, while the server (in WAL mode) keeps writing.
void BackupDatabase(const std::string& source, const std::string& dest);
// "ok", or what PRAGMA integrity_check reports.
std::string CheckIntegrity(const std::string& path);
// The media object keys the database refers to (clips' videos and posters, films).
std::vector<std::string> ReferencedMediaKeys(const std::string& path);

}  // namespace aimoviez::sqlite
