// PictureImporter over the network and ffmpeg: downloads a provider's profile picture (https, or
// loopback http in tests; at most 2 MiB, 5 s), accepts only JPEG, PNG or WebP by their first
// bytes, and re-encodes it to a 256×256 JPEG stored like a poster (thumbs/<sha256>.jpg). The
// provider's bytes are never served as they came.
#pragma once

#include "domain/identity_service.h"
#include "domain/upload_service.h"
#include "net/http_fetcher.h"
#include "storage/local_media_store.h"

namespace aimoviez {

class AvatarImporter final : public PictureImporter {
 public:
  AvatarImporter(net::HttpFetcher& fetcher, LocalMediaStore& media, ObjectStorage& objects)
      : fetcher_(fetcher), media_(media), objects_(objects) {}
  std::optional<std::string> Import(std::string_view picture_url) override;

 private:
  net::HttpFetcher& fetcher_;
  LocalMediaStore& media_;
  ObjectStorage& objects_;
};

}  // namespace aimoviez
