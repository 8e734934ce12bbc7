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
#include "domain/job_lease.h"
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

// Every node runs one; the one that holds the "media" job lease drains the queue (see Drain), so
// a clip or film is worked on by one node at a time and picked up by another if that one dies.
class MediaProcessor final : public ProcessingQueue {
 public:
  // `media` is the local working area (temporary files, ffmpeg inputs and outputs); `objects`
  // is where results are published (the same disk, or a bucket); `holder` names this process
  // in the job lock.
  MediaProcessor(Store& store, const Clock& clock, const LocalMediaStore& media,
                 ObjectStorage& objects, LiveEvents& live, MediaJobLimits limits,
                 std::string holder)
      : store_(store),
        clock_(clock),
        media_(media),
        objects_(objects),
        live_(live),
        limits_(limits),
        holder_(std::move(holder)) {}
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
  // Keeps the lease through a long job; false (and the job cancelled) once it is lost.
  bool RenewLease();
  // Runs `write` (a job's outcome) in a transaction only while the lease is still this worker's.
  bool WriteIfLeaseHeld(const std::function<void()>& write);
  EpochMs LeaseMs() const;

  Store& store_;
  const Clock& clock_;
  const LocalMediaStore& media_;
  ObjectStorage& objects_;
  LiveEvents& live_;
  MediaJobLimits limits_;
  std::string holder_;
  JobLease* lease_ = nullptr;  // set while Drain holds the media lease
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  // Set by Stop() or a lost lease: the running ffmpeg is killed and its job left to be requeued
  // by the next holder of the lease.
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace aimoviez
