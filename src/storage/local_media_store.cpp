#include "storage/local_media_store.h"

#include <filesystem>

#include "common/crypto.h"
#include "domain/media_rules.h"

namespace aimoviez {

namespace fs = std::filesystem;

LocalMediaStore::LocalMediaStore(std::string root) : root_(std::move(root)) {
  for (const char* dir : {".incoming", "uploads", "clips", "thumbs", "films"}) {
    fs::create_directories(fs::path(root_) / dir);
  }
}

std::optional<std::string> LocalMediaStore::PathOf(std::string_view key) const {
  if (!IsValidObjectKey(key)) return std::nullopt;
  return (fs::path(root_) / std::string(key)).string();
}

std::string LocalMediaStore::NewIncomingPath() const {
  return (fs::path(root_) / ".incoming" / (crypto::ToHex(crypto::RandomBytes(16)) + ".part"))
      .string();
}

bool LocalMediaStore::Adopt(const std::string& temp_path, std::string_view key) const {
  const auto target = PathOf(key);
  if (!target) return false;
  std::error_code ec;
  fs::rename(temp_path, *target, ec);
  return !ec;
}

bool LocalMediaStore::Remove(std::string_view key) const {
  const auto path = PathOf(key);
  std::error_code ec;
  return path && fs::remove(*path, ec);
}

bool LocalMediaStore::Exists(std::string_view key) const {
  const auto path = PathOf(key);
  std::error_code ec;
  return path && fs::exists(*path, ec);
}

}  // namespace aimoviez
