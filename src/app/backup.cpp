#include "app/backup.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "common/time.h"
#include "storage/sqlite/sqlite_backup.h"

namespace aimoviez {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDatabase = "aimoviez.db";
constexpr const char* kSecret = "server.secret";
constexpr const char* kMedia = "media";
constexpr const char* kManifest = "aimoviez-backup.txt";

// Creates `dir` (0700) or accepts it when it exists and is empty.
void PrepareEmptyDirectory(const fs::path& dir) {
  if (fs::exists(dir)) {
    if (!fs::is_directory(dir) || !fs::is_empty(dir)) {
      throw std::runtime_error(dir.string() + " exists and is not an empty directory");
    }
  } else {
    fs::create_directories(dir);
  }
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
}

// Copies every media file below `from` into `to` (files still being received are skipped).
void CopyMedia(const fs::path& from, const fs::path& to, BackupReport& report) {
  fs::create_directories(to);
  if (!fs::exists(from)) return;
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    const auto relative = fs::relative(it->path(), from);
    if (it->is_directory()) {
      if (relative.filename() == ".incoming") {
        it.disable_recursion_pending();
        continue;
      }
      fs::create_directories(to / relative);
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::error_code ec;
    fs::copy_file(it->path(), to / relative, fs::copy_options::overwrite_existing, ec);
    if (ec) continue;  // removed since it was listed (an abandoned upload): not referenced
    ++report.media_files;
    report.media_bytes += static_cast<std::int64_t>(fs::file_size(to / relative));
  }
}

void CopySecret(const fs::path& from, const fs::path& to) {
  if (!fs::exists(from)) throw std::runtime_error("no server secret at " + from.string());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
}

void CheckReferencedMedia(const fs::path& database, const fs::path& media, BackupReport& report) {
  for (const auto& key : sqlite::ReferencedMediaKeys(database.string())) {
    if (!fs::exists(media / key)) report.missing_media.push_back(key);
  }
}

}  // namespace

BackupReport BackupDataDir(const Config& config, const std::string& dest_dir) {
  if (config.storage != "local") {
    throw std::runtime_error(
        "backup copies local media only; with storage = s3 back up the bucket with its own "
        "tools (the database and secret are still copied by pointing --storage local)");
  }
  const fs::path dest(dest_dir);
  const fs::path database = config.DatabasePath();
  if (!fs::exists(database)) throw std::runtime_error("no database at " + database.string());
  PrepareEmptyDirectory(dest);
  BackupReport report;
  // The snapshot first: every file it refers to existed when it was taken, and media files are
  // never rewritten, so copying them afterwards finds them (unless deleted meanwhile: reported).
  sqlite::BackupDatabase(database.string(), (dest / kDatabase).string());
  CopySecret(config.SecretPath(), dest / kSecret);
  CopyMedia(config.MediaDir(), dest / kMedia, report);
  CheckReferencedMedia(dest / kDatabase, dest / kMedia, report);
  std::ofstream manifest(dest / kManifest);
  manifest << "aimoviez backup\ncreated " << FormatIso8601(SystemClock().NowMs())
           << "\nmedia_files " << report.media_files << "\nmedia_bytes " << report.media_bytes
           << "\nmissing_media " << report.missing_media.size() << "\n";
  if (!manifest) throw std::runtime_error("cannot write the manifest");
  return report;
}

BackupReport RestoreDataDir(const std::string& source_dir, const Config& config) {
  const fs::path source(source_dir);
  if (!fs::exists(source / kManifest) || !fs::exists(source / kDatabase)) {
    throw std::runtime_error(source.string() + " is not an aimoviez backup");
  }
  const std::string integrity = sqlite::CheckIntegrity((source / kDatabase).string());
  if (integrity != "ok") throw std::runtime_error("the backup's database is damaged: " + integrity);
  const fs::path target(config.data_dir);
  PrepareEmptyDirectory(target);
  fs::copy_file(source / kDatabase, config.DatabasePath());
  fs::permissions(config.DatabasePath(), fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  CopySecret(source / kSecret, config.SecretPath());
  BackupReport report;
  CopyMedia(source / kMedia, config.MediaDir(), report);
  CheckReferencedMedia(config.DatabasePath(), config.MediaDir(), report);
  return report;
}

}  // namespace aimoviez
