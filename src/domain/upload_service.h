// The upload use cases (spec 10, issue 5): sign an upload slot for one server-chosen key, admit
// the PUT that carries the file, register it as a pending clip after the server has looked at
// the file itself, and retry failed processing. Storage and ffprobe sit behind ports.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "domain/actor.h"
#include "domain/errors.h"
#include "domain/live_events.h"
#include "domain/media_rules.h"
#include "domain/ports.h"
#include "domain/rate_limit.h"
#include "domain/rate_windows.h"

namespace aimoviez {

// What the server sees in an uploaded object: its first bytes and ffprobe's reading.
struct MediaInspection {
  std::string head;  // the first bytes of the file (for sniffing)
  ProbeInfo probe;
};

// Reads uploaded objects (implemented over local disk or object storage plus ffprobe).
class MediaInspector {
 public:
  virtual ~MediaInspector() = default;
  virtual std::optional<MediaInspection> Inspect(std::string_view object_key) = 0;
};

// Where uploaded and processed media objects live: local disk, or an S3-compatible bucket
// mirrored through local disk (ffmpeg works on local files).
class ObjectStorage {
 public:
  virtual ~ObjectStorage() = default;
  // A URL the creator PUTs the file to directly (a presigned bucket URL bound to `size`), or
  // nullopt to use the server's own signed upload route.
  virtual std::optional<std::string> DirectUploadUrl(std::string_view key, int expires_seconds,
                                                     std::int64_t size) = 0;
  // Makes an uploaded object readable on local disk; its size, or nullopt when it is absent.
  virtual std::optional<std::int64_t> Fetch(std::string_view key) = 0;
  // Stores a finished local file under its key; the URL it is served from, nullopt on failure.
  virtual std::optional<std::string> Publish(std::string_view key,
                                             std::string_view content_type) = 0;
  virtual bool RemoveObject(std::string_view key) = 0;
  // The local file behind a served URL (downloaded first when needed).
  virtual std::optional<std::string> LocalFileOf(std::string_view url) = 0;
};

// Wakes the media processing worker (clips are queued in storage; this only signals).
class ProcessingQueue {
 public:
  virtual ~ProcessingQueue() = default;
  virtual void Wake() = 0;
};

struct SignedUpload {
  std::string key;
  std::string upload_url;  // relative to the server for local storage
  std::string method = "PUT";
  std::string content_type;
  std::int64_t max_bytes = 0;
  EpochMs expires_at = 0;
};

struct ClipSubmission {
  std::string key;
  std::string genre;
  std::string title;
  std::string description;
};

class UploadService {
 public:
  // `windows`: where each creator's signing budget is counted (shared by every node in cluster
  // mode).
  UploadService(Store& store, const Clock& clock, std::string secret, MediaLimits limits,
                MediaInspector& inspector, ProcessingQueue& queue, ObjectStorage& objects,
                RateWindows& windows)
      : store_(store),
        clock_(clock),
        secret_(std::move(secret)),
        limits_(limits),
        inspector_(inspector),
        queue_(queue),
        objects_(objects),
        windows_(windows) {}

  void SetLiveEvents(LiveEvents& live) { live_ = &live; }
  const MediaLimits& limits() const { return limits_; }

  Result<SignedUpload> Sign(const User& user, std::string_view filename,
                            std::string_view content_type, std::int64_t size,
                            RateDecision* rate = nullptr);
  // Checks a PUT before any of its body is read: key shape, signature, expiry, one upload per
  // slot, and the declared length against the signed size.
  Result<Upload> AuthorizePut(std::string_view key, std::string_view expires,
                              std::string_view signature,
                              std::optional<std::uint64_t> content_length);
  // Records a fully received upload of `bytes`.
  Result<Upload> CompletePut(std::string_view key, std::uint64_t bytes);
  Result<Clip> Register(const User& user, const ClipSubmission& submission);
  // A clip with its processing state, for its creator or an admin (NOT_FOUND for anyone else).
  Result<Clip> ClipForOwner(const User& user, Id clip_id);
  // Queues a failed clip's processing again (its creator or an admin).
  Result<Clip> RetryProcessing(const User& user, Id clip_id);

  std::string Signature(std::string_view key, EpochMs expires_at) const;

  // The cleanup job: uploads never registered (or refused) and older than the grace period
  // lose their object and their row; an object any clip still points at is never removed.
  int RemoveAbandoned(EpochMs grace_ms);

 private:
  Store& store_;
  const Clock& clock_;
  std::string secret_;
  MediaLimits limits_;
  MediaInspector& inspector_;
  ProcessingQueue& queue_;
  ObjectStorage& objects_;
  RateWindows& windows_;
  NoLiveEvents no_live_;
  LiveEvents* live_ = &no_live_;
};

}  // namespace aimoviez
