// Media in an S3-compatible bucket, mirrored through the local media directory: creators PUT
// straight to the bucket with a presigned URL bound to the declared size; the server fetches
// an upload to disk to inspect and process it, publishes results to the bucket (served from
// `public_base_url`), and keeps local copies as a cache for film assembly.
#pragma once

#include "storage/local_media_store.h"
#include "storage/s3/s3_client.h"

namespace aimoviez::s3 {

class S3MediaStore final : public ObjectStorage {
 public:
  S3MediaStore(LocalMediaStore& local, S3Client& client, const Clock& clock,
               std::string public_base_url)
      : local_(local), client_(client), clock_(clock), public_base_(std::move(public_base_url)) {}

  std::optional<std::string> DirectUploadUrl(std::string_view key, int expires_seconds,
                                             std::int64_t size) override;
  std::optional<std::int64_t> Fetch(std::string_view key) override;
  std::optional<std::string> Publish(std::string_view key, std::string_view content_type) override;
  bool RemoveObject(std::string_view key) override;
  std::optional<std::string> LocalFileOf(std::string_view url) override;

  const std::string& public_base() const { return public_base_; }

 private:
  LocalMediaStore& local_;
  S3Client& client_;
  const Clock& clock_;
  std::string public_base_;
};

}  // namespace aimoviez::s3
