// Media objects on local disk under <data_dir>/media, addressed by validated object keys.
// Uploads land in .incoming/ while they stream and are renamed into place only when complete,
// so a half-written file never has a key.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/upload_service.h"

namespace aimoviez {

class LocalMediaStore final : public ObjectStorage {
 public:
  explicit LocalMediaStore(std::string root);

  const std::string& root() const { return root_; }
  // The file of a key; nullopt for anything that is not a well-formed key.
  std::optional<std::string> PathOf(std::string_view key) const;
  // A fresh temporary file path for an upload in progress.
  std::string NewIncomingPath() const;
  // Moves a finished temporary file to its key (atomic rename on the same filesystem).
  bool Adopt(const std::string& temp_path, std::string_view key) const;
  bool Remove(std::string_view key) const;
  bool RemoveObject(std::string_view key) override { return Remove(key); }
  std::optional<std::string> DirectUploadUrl(std::string_view, int, std::int64_t) override {
    return std::nullopt;  // the server's own /api/upload/put route takes the file
  }
  std::optional<std::int64_t> Fetch(std::string_view key) override;
  std::optional<std::string> Publish(std::string_view key, std::string_view) override {
    return Exists(key) ? std::optional<std::string>(PublicUrl(key)) : std::nullopt;
  }
  std::optional<std::string> LocalFileOf(std::string_view url) override { return PathOfUrl(url); }
  // Temporary files older than `age` (left by a crash mid-upload or mid-job); returns how many.
  int RemoveStaleIncoming(std::chrono::seconds age) const;
  bool Exists(std::string_view key) const;
  static std::string PublicUrl(std::string_view key) { return "/media/" + std::string(key); }
  // The file behind a public /media/ URL (seeded media included); nullopt for anything that
  // leaves the media root.
  std::optional<std::string> PathOfUrl(std::string_view url) const;

 private:
  std::string root_;
};

}  // namespace aimoviez
