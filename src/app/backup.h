// `aimoviez backup DEST` and `aimoviez restore SRC`: a data directory copied while the server
// runs — the database as one consistent snapshot (SQLite's online backup), then the media
// files (immutable once written, so a file the snapshot refers to is there to copy unless it
// was deleted meanwhile, which the report says), and the server secret (sessions, CSRF tokens,
// device cookies and the vote network tags are keyed by it). Restore fills an empty data
// directory from such a copy and checks it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/config.h"

namespace aimoviez {

struct BackupReport {
  std::int64_t media_files = 0;
  std::int64_t media_bytes = 0;
  std::vector<std::string> missing_media;  // referenced by the database, not found
};

// Writes the backup into `dest`, which must not exist yet or be empty. Throws on failure.
BackupReport BackupDataDir(const Config& config, const std::string& dest);
// Restores `source` (a backup) into config.data_dir, which must not exist yet or be empty.
BackupReport RestoreDataDir(const std::string& source, const Config& config);

}  // namespace aimoviez
