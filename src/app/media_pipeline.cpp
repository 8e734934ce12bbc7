#include "app/media_pipeline.h"

#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>

#include "app/media_tools.h"
#include "common/crypto.h"

namespace aimoviez {

namespace fs = std::filesystem;

namespace {

// Wraps a media command in the job's resource limits and a low priority.
std::vector<std::string> Limited(const MediaJobLimits& limits, std::vector<std::string> argv) {
  std::vector<std::string> out = {"prlimit",
                                  "--cpu=" + std::to_string(limits.cpu_seconds),
                                  "--as=" + std::to_string(limits.memory_bytes),
                                  "--",
                                  "nice",
                                  "-n",
                                  "10"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

double ParseRate(std::string_view rate) {
  const auto slash = rate.find('/');
  try {
    if (slash == std::string_view::npos) return std::stod(std::string(rate));
    const double num = std::stod(std::string(rate.substr(0, slash)));
    const double den = std::stod(std::string(rate.substr(slash + 1)));
    return den > 0 ? num / den : 0;
  } catch (...) {
    return 0;
  }
}

std::optional<std::int64_t> ParseSecondsToMs(const boost::json::value* v) {
  if (v == nullptr || !v->is_string()) return std::nullopt;
  try {
    const double seconds = std::stod(std::string(v->as_string()));
    if (!(seconds >= 0)) return std::nullopt;
    return static_cast<std::int64_t>(seconds * 1000 + 0.5);
  } catch (...) {
    return std::nullopt;
  }
}

std::string FileSha256Hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), {});
  return crypto::ToHex(crypto::Sha256(data));
}

}  // namespace

ProbeInfo ParseFfprobeJson(std::string_view json) {
  ProbeInfo info;
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(json, ec);
  if (ec || !parsed.is_object()) return info;
  const auto& root = parsed.as_object();
  if (const auto* format = root.if_contains("format"); format && format->is_object()) {
    if (const auto* name = format->as_object().if_contains("format_name");
        name && name->is_string()) {
      info.format_name = std::string(name->as_string());
    }
    info.duration_ms = ParseSecondsToMs(format->as_object().if_contains("duration"));
  }
  if (const auto* streams = root.if_contains("streams"); streams && streams->is_array()) {
    for (const auto& s : streams->as_array()) {
      if (!s.is_object()) continue;
      const auto& stream = s.as_object();
      const auto* type = stream.if_contains("codec_type");
      if (type == nullptr || !type->is_string()) continue;
      if (type->as_string() == "audio") info.has_audio = true;
      if (type->as_string() != "video" || info.has_video) continue;
      // Cover art in MP4/MOV shows up as a one-frame video stream; it is not a video.
      if (const auto* disposition = stream.if_contains("disposition");
          disposition && disposition->is_object()) {
        if (const auto* pic = disposition->as_object().if_contains("attached_pic");
            pic && pic->is_int64() && pic->as_int64() == 1) {
          continue;
        }
      }
      info.has_video = true;
      if (const auto* w = stream.if_contains("width"); w && w->is_int64())
        info.width = static_cast<int>(w->as_int64());
      if (const auto* h = stream.if_contains("height"); h && h->is_int64())
        info.height = static_cast<int>(h->as_int64());
      if (const auto* r = stream.if_contains("avg_frame_rate"); r && r->is_string())
        info.fps = ParseRate(r->as_string());
      if (!(info.fps > 0)) {
        if (const auto* r = stream.if_contains("r_frame_rate"); r && r->is_string())
          info.fps = ParseRate(r->as_string());
      }
      if (!info.duration_ms) info.duration_ms = ParseSecondsToMs(stream.if_contains("duration"));
    }
  }
  return info;
}

std::optional<MediaInspection> FfprobeInspector::Inspect(std::string_view object_key) {
  const auto path = media_.PathOf(object_key);
  if (!path) return std::nullopt;
  MediaInspection out;
  {
    std::ifstream in(*path, std::ios::binary);
    if (!in) return std::nullopt;
    out.head.resize(64);
    in.read(out.head.data(), static_cast<std::streamsize>(out.head.size()));
    out.head.resize(static_cast<std::size_t>(in.gcount()));
  }
  const auto result =
      media::RunProcess(Limited(limits_, {"ffprobe", "-v", "error", "-print_format", "json",
                                          "-show_format", "-show_streams", "-i", *path}),
                        std::chrono::seconds(30));
  if (result.exit_code == 0) out.probe = ParseFfprobeJson(result.output);
  return out;
}

MediaProcessor::~MediaProcessor() {
  Stop();
}

void MediaProcessor::Start() {
  store_.RequeueInterruptedProcessing();  // a crash mid-job leaves the clip queued again
  thread_ = std::thread([this] { Loop(); });
}

void MediaProcessor::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MediaProcessor::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void MediaProcessor::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    try {
      Drain();
    } catch (const std::exception& e) {
      spdlog::error(R"({{"msg":"media worker failed","error":"{}"}})", e.what());
    }
    lock.lock();
    // Wakes on new work; also looks every 30 s (work queued by another process).
    cv_.wait_for(lock, std::chrono::seconds(30), [this] { return stopping_ || woken_; });
  }
}

int MediaProcessor::Drain() {
  int done = 0;
  while (auto clip = store_.NextClipToProcess()) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    Process(*clip);
    ++done;
  }
  return done;
}

void MediaProcessor::Announce(Id clip_id) {
  if (auto clip = store_.FindClip(clip_id)) live_.ClipStatusChanged(*clip);
}

void MediaProcessor::Process(const Clip& clip) {
  store_.SetProcessing(clip.id, ProcessingStatus::kProcessing, 0, "");
  Announce(clip.id);
  const auto started = std::chrono::steady_clock::now();
  auto fail = [&](const std::string& reason, const std::string& detail) {
    spdlog::warn(R"({{"msg":"clip processing failed","clip":{},"reason":"{}"}})", clip.id, reason);
    if (!detail.empty()) spdlog::debug("ffmpeg output: {}", detail);
    store_.SetProcessing(clip.id, ProcessingStatus::kFailed, 0, reason);
    Announce(clip.id);
  };
  const auto source = media_.PathOf(clip.source_key);
  std::error_code ec;
  if (!source || !fs::exists(*source, ec)) return fail("The uploaded original is missing", "");

  const std::string work = media_.NewIncomingPath();
  const std::string video_tmp = work + ".mp4";
  const std::string poster_tmp = work + ".jpg";
  const double total_ms = std::max<std::int64_t>(clip.duration_ms, 1);
  int last_reported = 0;
  std::string pending;
  auto on_progress = [&](std::string_view chunk) {
    // ffmpeg -progress prints key=value lines; out_time_us is how far it has written.
    pending.append(chunk);
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      const std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      if (line.rfind("out_time_us=", 0) != 0) continue;
      try {
        const double us = std::stod(line.substr(12));
        const int percent = std::clamp(static_cast<int>(us / 1000.0 / total_ms * 100), 0, 99);
        if (percent >= last_reported + 10) {
          last_reported = percent;
          store_.SetProcessing(clip.id, ProcessingStatus::kProcessing, percent, "");
          Announce(clip.id);
        }
      } catch (...) {
      }
    }
  };
  // H.264/AAC MP4 with faststart, at most 1080×1920 (aspect kept, even sizes), at most 60 fps,
  // cut at the clip limit; metadata and any extra streams dropped. A re-encode also drops
  // whatever else the original carried (an appended HTML payload does not survive it).
  const auto result = media::RunProcess(
      Limited(limits_, {"ffmpeg",
                        "-hide_banner",
                        "-nostdin",
                        "-loglevel",
                        "error",
                        "-y",
                        "-i",
                        *source,
                        "-map",
                        "0:v:0",
                        "-map",
                        "0:a:0?",
                        "-map_metadata",
                        "-1",
                        "-t",
                        "8.5",
                        "-vf",
                        "scale='min(1080,iw)':'min(1920,ih)':force_original_aspect_ratio=decrease,"
                        "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p",
                        "-fpsmax",
                        "60",
                        "-c:v",
                        "libx264",
                        "-preset",
                        "veryfast",
                        "-crf",
                        "23",
                        "-profile:v",
                        "high",
                        "-c:a",
                        "aac",
                        "-b:a",
                        "128k",
                        "-ac",
                        "2",
                        "-ar",
                        "48000",
                        "-movflags",
                        "+faststart",
                        "-progress",
                        "pipe:1",
                        "-nostats",
                        video_tmp}),
      std::chrono::seconds(limits_.timeout_seconds), on_progress);
  if (result.timed_out || result.exit_code != 0) {
    fs::remove(video_tmp, ec);
    return fail(result.timed_out ? "Processing took too long" : "The video could not be converted",
                result.output);
  }
  const auto poster = media::RunProcess(
      Limited(limits_, {"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-ss",
                        "0.5", "-i", video_tmp, "-frames:v", "1", "-q:v", "4", poster_tmp}),
      std::chrono::seconds(60));
  if (poster.exit_code != 0) {
    fs::remove(video_tmp, ec);
    fs::remove(poster_tmp, ec);
    return fail("The poster could not be made", poster.output);
  }
  // Content-addressed names: a key never changes meaning, so it can be cached forever.
  const std::string digest = FileSha256Hex(video_tmp);
  const std::string video_key = "clips/" + digest + ".mp4";
  const std::string poster_key = "thumbs/" + digest + ".jpg";
  if (!media_.Adopt(video_tmp, video_key) || !media_.Adopt(poster_tmp, poster_key)) {
    fs::remove(video_tmp, ec);
    fs::remove(poster_tmp, ec);
    return fail("The processed files could not be stored", "");
  }
  // The probe of the processed file is the duration users will see.
  FfprobeInspector probe(media_, limits_);
  std::int64_t duration_ms = clip.duration_ms;
  if (auto inspected = probe.Inspect(video_key); inspected && inspected->probe.duration_ms) {
    duration_ms = *inspected->probe.duration_ms;
  }
  store_.FinishProcessing(clip.id, LocalMediaStore::PublicUrl(video_key),
                          LocalMediaStore::PublicUrl(poster_key), duration_ms);
  // The original is only removed once the processed clip is recorded.
  media_.Remove(clip.source_key);
  Announce(clip.id);
  spdlog::info(R"({{"msg":"clip processed","clip":{},"ms":{}}})", clip.id,
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count());
}

}  // namespace aimoviez
