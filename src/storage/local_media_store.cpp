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

std::optional<std::string> LocalMediaStore::PathOfUrl(std::string_view url) const {
  constexpr std::string_view kPrefix = "/media/";
  if (url.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const auto rest = url.substr(kPrefix.size());
  if (rest.empty() || rest.find('\0') != std::string_view::npos ||
      rest.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  for (const auto& part : fs::path(std::string(rest))) {
    if (part == ".." || part == "." || part.empty()) return std::nullopt;
  }
  return (fs::path(root_) / std::string(rest)).string();
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

int LocalMediaStore::RemoveStaleIncoming(std::chrono::seconds age) const {
  int removed = 0;
  std::error_code ec;
  const auto cutoff = fs::file_time_type::clock::now() - age;
  for (const auto& entry : fs::directory_iterator(fs::path(root_) / ".incoming", ec)) {
    if (entry.last_write_time(ec) < cutoff) removed += fs::remove_all(entry.path(), ec) > 0 ? 1 : 0;
  }
  return removed;
}

std::optional<std::int64_t> LocalMediaStore::Fetch(std::string_view key) {
  const auto path = PathOf(key);
  std::error_code ec;
  if (!path) return std::nullopt;
  const auto size = fs::file_size(*path, ec);
  if (ec) return std::nullopt;
  return static_cast<std::int64_t>(size);
}

bool LocalMediaStore::Exists(std::string_view key) const {
  const auto path = PathOf(key);
  std::error_code ec;
  return path && fs::exists(*path, ec);
}

}  // namespace aimoviez
