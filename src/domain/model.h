// The platform's entities as plain values. No storage or transport types appear here; the
// repositories (ports.h) read and write these, the handlers render them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"

namespace aimoviez {

using Id = std::int64_t;

enum class SeasonStatus { kDraft, kActive, kFinished, kArchived };
enum class SlotStatus { kUpcoming, kVoting, kWaitingForClips, kLocked };
enum class ClipStatus { kPending, kActive, kLocked, kEliminated, kRejected };
// Where an uploaded clip's media stands: queued → processing → ready, or failed (retryable).
enum class ProcessingStatus { kQueued, kProcessing, kReady, kFailed };
enum class UploadStatus { kSigned, kUploaded, kRegistered, kFailed };
enum class FilmStatus { kQueued, kBuilding, kReady, kFailed };

std::string_view ToString(SeasonStatus s);
std::string_view ToString(SlotStatus s);
std::string_view ToString(ClipStatus s);
std::optional<SeasonStatus> ParseSeasonStatus(std::string_view s);
std::optional<SlotStatus> ParseSlotStatus(std::string_view s);
std::optional<ClipStatus> ParseClipStatus(std::string_view s);
std::string_view ToString(ProcessingStatus s);
std::optional<ProcessingStatus> ParseProcessingStatus(std::string_view s);
std::string_view ToString(UploadStatus s);
std::optional<UploadStatus> ParseUploadStatus(std::string_view s);
std::string_view ToString(FilmStatus s);
std::optional<FilmStatus> ParseFilmStatus(std::string_view s);

struct User {
  Id id = 0;
  std::string email;
  std::string username;  // empty until the user picks one
  std::string avatar_url;
  bool is_admin = false;
  bool is_banned = false;
  EpochMs created_at = 0;
};

struct Season {
  Id id = 0;
  std::string label;
  std::string genre;
  std::string description;
  SeasonStatus status = SeasonStatus::kDraft;
  int total_slots = 0;
  std::int64_t voting_window_seconds = 0;
  EpochMs created_at = 0;
  std::optional<EpochMs> activated_at;
  std::optional<EpochMs> finished_at;
};

struct Slot {
  Id id = 0;
  Id season_id = 0;
  int position = 0;  // 1-based
  SlotStatus status = SlotStatus::kUpcoming;
  std::string genre;
  std::string label;
  std::optional<Id> winner_clip_id;
  std::optional<EpochMs> voting_started_at;
  std::optional<EpochMs> voting_ends_at;
  std::optional<EpochMs> locked_at;
};

struct Clip {
  Id id = 0;
  Id season_id = 0;
  int slot_position = 0;
  std::optional<Id> user_id;
  std::string username;  // creator's name, joined on read
  std::string avatar_url;
  std::string title;
  std::string description;
  std::string genre;
  std::string video_url;
  std::string thumbnail_url;
  std::int64_t duration_ms = 0;
  ClipStatus status = ClipStatus::kPending;
  std::int64_t vote_count = 0;
  std::int64_t weighted_score = 0;
  std::int64_t view_count = 0;
  std::int64_t comment_count = 0;  // filled by readers that need it (feed, clip page)
  EpochMs created_at = 0;
  ProcessingStatus processing = ProcessingStatus::kReady;
  int processing_progress = 100;  // percent
  std::string processing_error;
  std::string source_key;  // the uploaded original, kept until processing succeeds
};

// A season's winning scenes assembled into one MP4 with a chapter per slot.
struct Film {
  Id id = 0;
  Id season_id = 0;
  FilmStatus status = FilmStatus::kQueued;
  int progress = 0;  // percent
  std::string error;
  std::string video_url;
  std::string chapters_json;  // [{"slot","title","creator","startMs","endMs"}]
  std::int64_t duration_ms = 0;
  EpochMs created_at = 0;
  EpochMs updated_at = 0;
};

// A signed upload slot: the object key the creator may PUT once, then register as a clip.
struct Upload {
  Id id = 0;
  std::string object_key;
  Id user_id = 0;
  std::int64_t declared_size = 0;
  std::string content_type;
  UploadStatus status = UploadStatus::kSigned;
  std::int64_t received_bytes = 0;
  std::optional<Id> clip_id;
  EpochMs expires_at = 0;
  EpochMs created_at = 0;
  EpochMs updated_at = 0;
};

enum class CommentStatus { kApproved, kPending, kRejected, kFlagged };
std::string_view ToString(CommentStatus s);
std::optional<CommentStatus> ParseCommentStatus(std::string_view s);

struct Comment {
  Id id = 0;
  Id clip_id = 0;
  Id user_id = 0;
  std::string username;  // joined on read
  std::string avatar_url;
  std::optional<Id> parent_id;
  std::string text;
  std::int64_t likes = 0;
  bool liked_by_me = false;
  bool deleted = false;
  CommentStatus status = CommentStatus::kApproved;
  EpochMs created_at = 0;
};

struct AuditEntry {
  Id id = 0;
  std::string action;
  std::string resource_type;
  std::string resource_id;
  std::string admin_email;
  std::optional<Id> admin_user_id;
  std::string details_json;  // serialized object
  EpochMs created_at = 0;
};

struct FeatureFlag {
  std::string key;
  bool enabled = false;
  std::string description;
  std::string category;
  EpochMs updated_at = 0;
};

// The seven genres a season can have and the next season's theme can be voted for.
const std::vector<std::string>& Genres();
bool IsKnownGenre(std::string_view genre);

}  // namespace aimoviez
