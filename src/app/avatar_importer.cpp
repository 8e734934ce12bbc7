#include "app/avatar_importer.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

#include "app/media_tools.h"
#include "common/crypto.h"

namespace aimoviez {

namespace {

// The demuxer for the picture's format, told by its first bytes; nullopt for anything else.
// Naming the demuxer keeps ffmpeg from guessing a format that could refer to other files.
std::optional<std::string> PictureDemuxer(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xFF\xD8\xFF") return "jpeg_pipe";
  if (bytes.substr(0, 8) == "\x89PNG\r\n\x1A\n") return "png_pipe";
  if (bytes.size() > 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP")
    return "webp_pipe";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> AvatarImporter::Import(std::string_view picture_url) {
  net::FetchRequest request;
  request.url = std::string(picture_url);
  request.headers.emplace_back("Accept", "image/jpeg, image/png, image/webp");
  request.max_response_bytes = 2 * 1024 * 1024;
  request.timeout = std::chrono::seconds(5);
  const auto response = fetcher_.Fetch(request);
  if (response.status != 200) {
    spdlog::info(R"({{"msg":"profile picture not imported","status":{}}})", response.status);
    return std::nullopt;
  }
  const auto demuxer = PictureDemuxer(response.body);
  if (!demuxer) return std::nullopt;

  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string input = media_.NewIncomingPath();
  const std::string output = input + ".jpg";
  fs::create_directories(fs::path(input).parent_path(), ec);
  {
    std::ofstream out(input, std::ios::binary);
    out.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
    if (!out) return std::nullopt;
  }
  const auto converted = media::RunProcess(
      {"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", *demuxer, "-i",
       input, "-frames:v", "1", "-vf",
       "scale=256:256:force_original_aspect_ratio=increase,crop=256:256", "-q:v", "4", output},
      std::chrono::seconds(20));
  fs::remove(input, ec);
  if (converted.exit_code != 0) {
    fs::remove(output, ec);
    return std::nullopt;
  }
  std::ifstream in(output, std::ios::binary);
  const std::string jpeg((std::istreambuf_iterator<char>(in)), {});
  const std::string key = "thumbs/" + crypto::ToHex(crypto::Sha256(jpeg)) + ".jpg";
  if (!media_.Adopt(output, key)) {
    fs::remove(output, ec);
    return std::nullopt;
  }
  return objects_.Publish(key, "image/jpeg");
}

}  // namespace aimoviez
