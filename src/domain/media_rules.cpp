#include "domain/media_rules.h"

#include <algorithm>
#include <charconv>

#include "common/crypto.h"
#include "domain/season_rules.h"

namespace aimoviez {

std::string_view ToString(Container c) {
  switch (c) {
    case Container::kMp4:
      return "mp4";
    case Container::kMov:
      return "mov";
    case Container::kWebm:
      return "webm";
  }
  return "unknown";
}

std::optional<Container> SniffContainer(std::string_view head) {
  if (head.size() >= 12) {
    const auto box = head.substr(4, 4);
    if (box == "ftyp") return head.substr(8, 4) == "qt  " ? Container::kMov : Container::kMp4;
    // QuickTime files from older cameras may start with other top-level atoms.
    if (box == "moov" || box == "mdat" || box == "wide" || box == "free" || box == "skip") {
      return Container::kMov;
    }
  }
  if (head.size() >= 4 && head.substr(0, 4) == std::string_view("\x1A\x45\xDF\xA3", 4)) {
    // The EBML header names its doctype early; only WebM is accepted, not other Matroska.
    const auto doctype = head.substr(0, std::min<std::size_t>(head.size(), 64));
    if (doctype.find("webm") != std::string_view::npos) return Container::kWebm;
  }
  return std::nullopt;
}

Status ValidateClipMedia(Container sniffed, const ProbeInfo& probe, const MediaLimits& limits) {
  const bool iso = probe.format_name.find("mp4") != std::string::npos ||
                   probe.format_name.find("mov") != std::string::npos;
  const bool webm = probe.format_name.find("webm") != std::string::npos;
  const bool agrees = sniffed == Container::kWebm ? webm : iso;
  if (probe.format_name.empty()) {
    return Error{
        ErrorKind::kUnprocessable, "UNREADABLE", "The file could not be read as a video", {}};
  }
  if (!agrees) {
    return Error{ErrorKind::kUnsupportedMedia,
                 "UNSUPPORTED_FORMAT",
                 "Only MP4, WebM and MOV videos are accepted",
                 {}};
  }
  if (!probe.has_video) {
    return Error{ErrorKind::kUnprocessable, "NO_VIDEO", "The file has no video stream", {}};
  }
  if (!probe.duration_ms || *probe.duration_ms <= 0) {
    return Error{
        ErrorKind::kUnprocessable, "UNREADABLE", "The video's duration could not be read", {}};
  }
  if (*probe.duration_ms > limits.max_duration_ms) {
    return Error{ErrorKind::kUnprocessable, "TOO_LONG", "Clips are at most 8 seconds", {}}
        .With("durationMs", *probe.duration_ms)
        .With("maxDurationMs", limits.max_duration_ms);
  }
  if (probe.width < limits.min_dimension || probe.height < limits.min_dimension ||
      probe.width > limits.max_dimension || probe.height > limits.max_dimension) {
    return Error{
        ErrorKind::kUnprocessable, "UNREADABLE", "The video's dimensions are out of range", {}}
        .With("width", probe.width)
        .With("height", probe.height);
  }
  if (!(probe.fps > 0) || probe.fps > limits.max_fps) {
    return Error{
        ErrorKind::kUnprocessable, "UNREADABLE", "The video's frame rate is out of range", {}}
        .With("fps", probe.fps);
  }
  return Ok{};
}

bool IsValidObjectKey(std::string_view key) {
  const auto slash = key.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  const auto area = key.substr(0, slash);
  if (area != "uploads" && area != "clips" && area != "thumbs" && area != "films") return false;
  const auto name = key.substr(slash + 1);
  const auto dot = name.find('.');
  if (dot == std::string_view::npos || dot < 16 || dot > 64) return false;
  const auto stem = name.substr(0, dot);
  if (!std::all_of(stem.begin(), stem.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
      })) {
    return false;
  }
  const auto ext = name.substr(dot + 1);
  return ext == "mp4" || ext == "webm" || ext == "mov" || ext == "jpg";
}

std::optional<std::string> ExtensionForContentType(std::string_view content_type) {
  if (content_type == "video/mp4") return "mp4";
  if (content_type == "video/webm") return "webm";
  if (content_type == "video/quicktime") return "mov";
  return std::nullopt;
}

bool IsClipGenre(std::string_view genre) {
  return genre == "Other" || IsKnownGenre(genre);
}

std::optional<std::string> ObjectKeyOfUrl(std::string_view url) {
  if (url.empty() || url.find("..") != std::string_view::npos) return std::nullopt;
  for (std::string_view prefix : {"uploads/", "clips/", "thumbs/", "films/"}) {
    if (url.rfind(prefix, 0) == 0) return std::string(url);  // already a key
    const std::string marker = "/" + std::string(prefix);
    const auto at = url.find(marker);
    if (at != std::string_view::npos) return std::string(url.substr(at + 1));
  }
  return std::nullopt;
}

std::string UploadSignature(std::string_view secret, std::string_view key, EpochMs expires_at) {
  std::string message = "PUT\n";
  message.append(key).append("\n").append(std::to_string(expires_at));
  return crypto::ToHex(crypto::HmacSha256(secret, message));
}

std::optional<EpochMs> VerifiedUploadExpiry(std::string_view secret, std::string_view key,
                                            std::string_view expires, std::string_view signature) {
  EpochMs at = 0;
  if (expires.empty() || expires.size() > 15) return std::nullopt;
  const auto [end, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), at);
  if (ec != std::errc{} || end != expires.data() + expires.size() || at <= 0) return std::nullopt;
  if (!crypto::ConstantTimeEquals(UploadSignature(secret, key, at), signature)) return std::nullopt;
  return at;
}

}  // namespace aimoviez
