#include "app/media_pipeline.h"

#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "app/media_tools.h"
#include "common/crypto.h"
#include "common/thread_name.h"
#include "domain/media_rules.h"

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

// ffprobe's reading of a local file (streams and format); nullopt when ffprobe fails.
std::optional<ProbeInfo> ProbeFile(const MediaJobLimits& limits, const std::string& path,
                                   const std::atomic<bool>* cancel = nullptr) {
  const auto result =
      media::RunProcess(Limited(limits, {"ffprobe", "-v", "error", "-print_format", "json",
                                         "-show_format", "-show_streams", "-i", path}),
                        std::chrono::seconds(30), nullptr, cancel);
  if (result.exit_code != 0) return std::nullopt;
  return ParseFfprobeJson(result.output);
}

// The delivery encoding shared by clips and films: H.264 high profile, stereo AAC at 48 kHz.
void AppendDeliveryCodecs(std::vector<std::string>& argv) {
  argv.insert(argv.end(), {"-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v",
                           "high", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000"});
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
  if (auto probe = ProbeFile(limits_, *path)) out.probe = *probe;
  return out;
}

MediaProcessor::~MediaProcessor() {
  Stop();
}

void MediaProcessor::Start() {
  thread_ = std::thread([this] {
    NameThisThread("media-worker");
    Loop();
  });
}

void MediaProcessor::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cancel_ = true;
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

namespace {
constexpr std::string_view kMediaLock = "media";
}  // namespace

// Long enough for the slowest step between two renewals (a command at its timeout, run twice
// when killed from outside), so a live worker never loses its lease to a slow ffmpeg; a dead
// worker's lease lapses after it and another node takes the queue over.
EpochMs MediaProcessor::LeaseMs() const {
  return (3LL * limits_.timeout_seconds + 60) * 1000;
}

int MediaProcessor::Drain() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return 0;
    cancel_ = false;
  }
  auto lease = JobLease::TryTake(store_, clock_, kMediaLock, holder_, LeaseMs());
  if (!lease) return 0;  // another node is draining the queue
  lease_ = &*lease;
  struct Unset {
    JobLease*& lease;
    ~Unset() { lease = nullptr; }
  } unset{lease_};
  // With the lease, no other worker is at work: what is left half done (a clip processing, a
  // film building) belongs to a worker that stopped or died, and is queued again.
  store_.RequeueInterruptedProcessing();
  int done = 0;
  auto stopping = [this] {
    std::lock_guard lock(mutex_);
    return stopping_ || cancel_;
  };
  while (auto clip = store_.NextClipToProcess()) {
    if (stopping() || !RenewLease()) return done;
    Process(*clip);
    ++done;
  }
  // Every finished season gets its film without anyone asking.
  for (Id season_id : store_.FinishedSeasonsWithoutFilm()) {
    store_.RequestFilm(season_id, clock_.NowMs());
  }
  while (auto film = store_.NextFilmToBuild()) {
    if (stopping() || !RenewLease()) return done;
    BuildFilm(*film);
    ++done;
  }
  return done;
}

bool MediaProcessor::RenewLease() {
  if (!lease_ || lease_->Renew()) return true;
  spdlog::warn(R"({{"msg":"media lease lost; the job is left to its next holder"}})");
  cancel_ = true;
  return false;
}

bool MediaProcessor::WriteIfLeaseHeld(const std::function<void()>& write) {
  bool held = false;
  store_.Transaction([&] {
    held = !lease_ || lease_->IsCurrent();
    if (held) write();
  });
  if (!held) {
    spdlog::warn(R"({{"msg":"media lease lost before the result was written; not written"}})");
    cancel_ = true;
  }
  return held;
}

namespace {

std::string FfmetadataEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '=' || c == ';' || c == '#' || c == '\\' || c == '\n') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

// Each winning scene is first brought to one shape (720×1280, 30 fps, H.264, stereo AAC at
// 48 kHz — silence when the scene has none), then the parts are joined without re-encoding
// and an FFMETADATA file adds one chapter per slot, titled with the scene and its creator.
void MediaProcessor::BuildFilm(Film film) {
  film.status = FilmStatus::kBuilding;
  film.progress = 0;
  film.error.clear();
  store_.UpdateFilm(film);
  auto fail = [&](const std::string& reason, const std::string& detail) {
    if (cancel_) {
      spdlog::info(
          R"({{"msg":"film build interrupted (shutdown or lost lease); it resumes with the next holder","season":{}}})",
          film.season_id);
      return;
    }
    spdlog::warn(R"({{"msg":"film build failed","season":{},"reason":"{}"}})", film.season_id,
                 reason);
    if (!detail.empty()) spdlog::debug("ffmpeg output: {}", detail);
    film.status = FilmStatus::kFailed;
    film.error = reason;
    WriteIfLeaseHeld([&] { store_.UpdateFilm(film); });
  };
  struct Scene {
    int slot;
    Clip clip;
    std::string path;
  };
  std::vector<Scene> scenes;
  for (const auto& slot : store_.ListSlots(film.season_id)) {
    if (slot.status != SlotStatus::kLocked || !slot.winner_clip_id) continue;
    auto clip = store_.FindClip(*slot.winner_clip_id);
    if (!clip) continue;
    auto path = objects_.LocalFileOf(clip->video_url);
    std::error_code ec;
    if (!path || !fs::exists(*path, ec))
      return fail("Scene " + std::to_string(slot.position) + " has no media", "");
    scenes.push_back({slot.position, *clip, *path});
  }
  if (scenes.empty()) return fail("The season has no locked scene", "");

  const std::string work = media_.NewIncomingPath() + ".film";
  std::error_code ec;
  fs::create_directories(work, ec);
  auto cleanup = [&] { fs::remove_all(work, ec); };
  std::string list;
  std::string chapters = ";FFMETADATA1\n";
  boost::json::array chapter_json;
  std::int64_t at_ms = 0;
  for (std::size_t i = 0; i < scenes.size(); ++i) {
    const auto& scene = scenes[i];
    const std::string part = work + "/part" + std::to_string(i) + ".mp4";
    const auto scene_probe = ProbeFile(limits_, scene.path, &cancel_);
    const bool has_audio = scene_probe && scene_probe->has_audio;
    std::vector<std::string> argv = {"ffmpeg", "-hide_banner", "-nostdin", "-loglevel",
                                     "error",  "-y",           "-i",       scene.path};
    if (!has_audio) {
      argv.insert(argv.end(), {"-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-map", "0:v:0",
                               "-map", "1:a:0", "-shortest"});
    } else {
      argv.insert(argv.end(), {"-map", "0:v:0", "-map", "0:a:0"});
    }
    argv.insert(
        argv.end(),
        {"-vf",
         "scale=720:1280:force_original_aspect_ratio=decrease,pad=720:1280:(ow-iw)/2:(oh-ih)/2,"
         "fps=30,format=yuv420p,setsar=1"});
    AppendDeliveryCodecs(argv);
    argv.insert(argv.end(), {"-map_metadata", "-1", "-video_track_timescale", "30000", part});
    const auto r = Run(argv, limits_.timeout_seconds);
    if (r.exit_code != 0) {
      cleanup();
      return fail("Scene " + std::to_string(scene.slot) + " could not be converted", r.output);
    }
    std::int64_t part_ms = scene.clip.duration_ms;
    if (const auto part_probe = ProbeFile(limits_, part, &cancel_);
        part_probe && part_probe->duration_ms) {
      part_ms = *part_probe->duration_ms;
    }
    // The concat demuxer reads a relative entry against the list's own folder, not the working
    // directory: with a relative data_dir (`make run` uses ./data) every scene was "missing".
    // Entries are absolute, and quoted the way the list syntax wants ('\'' for a quote).
    std::string entry = fs::absolute(part).string();
    for (std::size_t q = entry.find('\''); q != std::string::npos; q = entry.find('\'', q + 4)) {
      entry.replace(q, 1, "'\\''");
    }
    list += "file '" + entry + "'\n";
    const std::string creator = scene.clip.username.empty() ? "unknown" : scene.clip.username;
    const std::string title = "Slot " + std::to_string(scene.slot) + ": " +
                              (scene.clip.title.empty() ? "Untitled" : scene.clip.title) + " by @" +
                              creator;
    chapters += "[CHAPTER]\nTIMEBASE=1/1000\nSTART=" + std::to_string(at_ms) +
                "\nEND=" + std::to_string(at_ms + part_ms) + "\ntitle=" + FfmetadataEscape(title) +
                "\n";
    chapter_json.push_back(boost::json::object{{"slot", scene.slot},
                                               {"clipId", scene.clip.id},
                                               {"title", scene.clip.title},
                                               {"creator", creator},
                                               {"startMs", at_ms},
                                               {"endMs", at_ms + part_ms}});
    at_ms += part_ms;
    film.progress = static_cast<int>((i + 1) * 90 / scenes.size());
    if (!RenewLease()) {
      cleanup();
      return fail("", "");
    }
    store_.UpdateFilm(film);
  }
  {
    std::ofstream(work + "/parts.txt") << list;
    std::ofstream(work + "/chapters.txt") << chapters;
  }
  const std::string output = work + "/film.mp4";
  const auto joined = Run({"ffmpeg",
                           "-hide_banner",
                           "-nostdin",
                           "-loglevel",
                           "error",
                           "-y",
                           "-f",
                           "concat",
                           "-safe",
                           "0",
                           "-i",
                           work + "/parts.txt",
                           "-i",
                           work + "/chapters.txt",
                           "-map",
                           "0",
                           "-map_metadata",
                           "1",
                           "-map_chapters",
                           "1",
                           "-c",
                           "copy",
                           "-movflags",
                           "+faststart",
                           output},
                          limits_.timeout_seconds);
  if (joined.exit_code != 0) {
    cleanup();
    return fail("The scenes could not be joined", joined.output);
  }
  const std::string key = "films/" + FileSha256Hex(output) + ".mp4";
  std::optional<std::string> url;
  if (media_.Adopt(output, key)) url = objects_.Publish(key, "video/mp4");
  cleanup();
  if (!url) return fail("The film could not be stored", "");
  const std::string previous_url = film.video_url;
  film.status = FilmStatus::kReady;
  film.progress = 100;
  film.video_url = *url;
  film.chapters_json = boost::json::serialize(chapter_json);
  film.duration_ms = at_ms;
  if (!WriteIfLeaseHeld([&] { store_.UpdateFilm(film); })) return;
  // A rebuilt film replaces the old file (which may credit someone who deleted their account).
  if (previous_url != film.video_url) {
    if (auto old_key = ObjectKeyOfUrl(previous_url)) objects_.RemoveObject(*old_key);
  }
  spdlog::info(R"({{"msg":"film built","season":{},"scenes":{},"ms":{}}})", film.season_id,
               scenes.size(), at_ms);
}

media::ProcessResult MediaProcessor::Run(std::vector<std::string> argv, int timeout_seconds,
                                         const std::function<void(std::string_view)>& on_output) {
  const auto limited = Limited(limits_, std::move(argv));
  auto result =
      media::RunProcess(limited, std::chrono::seconds(timeout_seconds), on_output, &cancel_);
  // Killed from outside (the kernel's OOM killer, an operator), not by its own limits (SIGXCPU,
  // our timeout) nor by a shutdown: the job is not at fault, so it runs once more before the
  // clip or film is marked failed. Its outputs are written with -y, so a rerun starts clean.
  const bool killed_from_outside = (result.signal == SIGKILL || result.signal == SIGTERM) &&
                                   !result.timed_out && !result.cancelled && !cancel_;
  if (killed_from_outside) {
    const auto program = std::find_if(limited.begin(), limited.end(), [](const std::string& a) {
      return a == "ffmpeg" || a == "ffprobe";
    });
    spdlog::warn(R"({{"msg":"media command killed; running it again","program":"{}","signal":{}}})",
                 program == limited.end() ? "?" : *program, result.signal);
    result = media::RunProcess(limited, std::chrono::seconds(timeout_seconds), on_output, &cancel_);
  }
  return result;
}

void MediaProcessor::Announce(Id clip_id) {
  if (auto clip = store_.FindClip(clip_id)) live_.ClipStatusChanged(*clip);
}

void MediaProcessor::Process(const Clip& clip) {
  store_.SetProcessing(clip.id, ProcessingStatus::kProcessing, 0, "");
  Announce(clip.id);
  const auto started = std::chrono::steady_clock::now();
  auto fail = [&](const std::string& reason, const std::string& detail) {
    if (cancel_) {
      spdlog::info(
          R"({{"msg":"clip processing interrupted (shutdown or lost lease); it resumes with the next holder","clip":{}}})",
          clip.id);
      return;
    }
    spdlog::warn(R"({{"msg":"clip processing failed","clip":{},"reason":"{}"}})", clip.id, reason);
    if (!detail.empty()) spdlog::debug("ffmpeg output: {}", detail);
    if (!WriteIfLeaseHeld(
            [&] { store_.SetProcessing(clip.id, ProcessingStatus::kFailed, 0, reason); })) {
      return;
    }
    Announce(clip.id);
  };
  const auto source = media_.PathOf(clip.source_key);
  std::error_code ec;
  // A retry after a restart may find the local copy gone; the store still has the original.
  if (source && !fs::exists(*source, ec)) objects_.Fetch(clip.source_key);
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
        if (percent >= last_reported + 10 && RenewLease()) {
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
  std::vector<std::string> argv = {
      "ffmpeg",
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
      "60"};
  AppendDeliveryCodecs(argv);
  argv.insert(argv.end(),
              {"-movflags", "+faststart", "-progress", "pipe:1", "-nostats", video_tmp});
  const auto result = Run(std::move(argv), limits_.timeout_seconds, on_progress);
  if (result.timed_out || result.exit_code != 0) {
    fs::remove(video_tmp, ec);
    return fail(result.timed_out ? "Processing took too long" : "The video could not be converted",
                result.output);
  }
  const auto poster = Run({"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-ss",
                           "0.5", "-i", video_tmp, "-frames:v", "1", "-q:v", "4", poster_tmp},
                          60);
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
  std::int64_t duration_ms = clip.duration_ms;
  if (const auto video_path = media_.PathOf(video_key)) {
    if (auto probe = ProbeFile(limits_, *video_path, &cancel_); probe && probe->duration_ms) {
      duration_ms = *probe->duration_ms;
    }
  }
  const auto video_url = objects_.Publish(video_key, "video/mp4");
  const auto poster_url = objects_.Publish(poster_key, "image/jpeg");
  if (!video_url || !poster_url) return fail("The processed files could not be published", "");
  if (!WriteIfLeaseHeld(
          [&] { store_.FinishProcessing(clip.id, *video_url, *poster_url, duration_ms); })) {
    return;
  }
  // The original is only removed once the processed clip is recorded.
  objects_.RemoveObject(clip.source_key);
  Announce(clip.id);
  spdlog::info(R"({{"msg":"clip processed","clip":{},"ms":{}}})", clip.id,
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count());
}

}  // namespace aimoviez
