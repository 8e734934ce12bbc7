#include "storage/s3/s3_media_store.h"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace aimoviez::s3 {

std::optional<std::string> S3MediaStore::DirectUploadUrl(std::string_view key, int expires_seconds,
                                                         std::int64_t size) {
  return PresignUrl(client_.endpoint(), "PUT", key, clock_.NowMs(), expires_seconds, size);
}

std::optional<std::int64_t> S3MediaStore::Fetch(std::string_view key) {
  const auto path = local_.PathOf(key);
  if (!path) return std::nullopt;
  const auto result = client_.GetToFile(key, *path);
  if (!result.ok()) {
    if (result.status != 404) {
      spdlog::warn(R"({{"msg":"s3 fetch failed","key":"{}","status":{},"error":"{}"}})", key,
                   result.status, result.error);
    }
    return std::nullopt;
  }
  return local_.Fetch(key);
}

std::optional<std::string> S3MediaStore::Publish(std::string_view key,
                                                 std::string_view content_type) {
  const auto path = local_.PathOf(key);
  if (!path) return std::nullopt;
  // Keys are content hashes: the object never changes, so it may be cached forever.
  const auto result =
      client_.PutFile(key, *path, content_type, "public, max-age=31536000, immutable");
  if (!result.ok()) {
    spdlog::warn(R"({{"msg":"s3 publish failed","key":"{}","status":{},"error":"{}"}})", key,
                 result.status, result.error);
    return std::nullopt;
  }
  return public_base_ + "/" + std::string(key);
}

bool S3MediaStore::RemoveObject(std::string_view key) {
  const auto result = client_.Delete(key);
  local_.Remove(key);
  return result.ok();
}

std::optional<std::string> S3MediaStore::LocalFileOf(std::string_view url) {
  const std::string prefix = public_base_ + "/";
  if (url.substr(0, prefix.size()) != prefix) return local_.LocalFileOf(url);  // seeded local media
  const auto key = url.substr(prefix.size());
  const auto path = local_.PathOf(key);
  if (!path) return std::nullopt;
  std::error_code ec;
  if (!std::filesystem::exists(*path, ec) && !client_.GetToFile(key, *path).ok())
    return std::nullopt;
  return path;
}

}  // namespace aimoviez::s3
