// The media adapters of the upload pipeline: ffprobe reads uploaded files (MediaInspector), and
// a worker thread normalises queued clips with ffmpeg (ProcessingQueue). ffmpeg and ffprobe run
// as child processes under a wall-clock timeout, a CPU-time limit and an address-space limit,
// at low priority; one clip at a time, so the box keeps serving votes.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/media_tools.h"
#include "domain/live_events.h"
#include "domain/ports.h"
#include "domain/upload_service.h"
#include "storage/local_media_store.h"

namespace aimoviez {

struct MediaJobLimits {
  int timeout_seconds = 180;
  int cpu_seconds = 300;
  std::int64_t memory_bytes = 2LL << 30;
};

class FfprobeInspector final : public MediaInspector {
 public:
  FfprobeInspector(const LocalMediaStore& media, MediaJobLimits limits)
      : media_(media), limits_(limits) {}
  std::optional<MediaInspection> Inspect(std::string_view object_key) override;

 private:
  const LocalMediaStore& media_;
  MediaJobLimits limits_;
};

// ffprobe's JSON (-show_format -show_streams) as the domain's ProbeInfo.
ProbeInfo ParseFfprobeJson(std::string_view json);

class MediaProcessor final : public ProcessingQueue {
 public:
  // `media` is the local working area (temporary files, ffmpeg inputs and outputs); `objects`
  // is where results are published (the same disk, or a bucket).
  MediaProcessor(Store& store, const LocalMediaStore& media, ObjectStorage& objects,
                 LiveEvents& live, MediaJobLimits limits)
      : store_(store), media_(media), objects_(objects), live_(live), limits_(limits) {}
  ~MediaProcessor() override;

  void Start();
  void Stop();
  void Wake() override;
  // Processes every queued clip now, on the caller's thread (used by the worker and the CLI).
  int Drain();

 private:
  void Loop();
  void Process(const Clip& clip);
  void BuildFilm(Film film);
  // Runs a limited media command that Stop() can interrupt.
  media::ProcessResult Run(std::vector<std::string> argv, int timeout_seconds,
                           const std::function<void(std::string_view)>& on_output = nullptr);
  void Announce(Id clip_id);

  Store& store_;
  const LocalMediaStore& media_;
  ObjectStorage& objects_;
  LiveEvents& live_;
  MediaJobLimits limits_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  // Set by Stop(): the running ffmpeg is killed and its job left to be requeued at next start.
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace aimoviez
