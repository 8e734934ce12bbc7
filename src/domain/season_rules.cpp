#include "domain/season_rules.h"

#include <algorithm>

#include "common/text.h"

namespace aimoviez {

namespace {
constexpr std::pair<SeasonStatus, std::string_view> kSeasonNames[] = {
    {SeasonStatus::kDraft, "draft"},
    {SeasonStatus::kActive, "active"},
    {SeasonStatus::kFinished, "finished"},
    {SeasonStatus::kArchived, "archived"}};
constexpr std::pair<SlotStatus, std::string_view> kSlotNames[] = {
    {SlotStatus::kUpcoming, "upcoming"},
    {SlotStatus::kVoting, "voting"},
    {SlotStatus::kWaitingForClips, "waiting_for_clips"},
    {SlotStatus::kLocked, "locked"}};
constexpr std::pair<ClipStatus, std::string_view> kClipNames[] = {
    {ClipStatus::kPending, "pending"},
    {ClipStatus::kActive, "active"},
    {ClipStatus::kLocked, "locked"},
    {ClipStatus::kEliminated, "eliminated"},
    {ClipStatus::kRejected, "rejected"}};

constexpr std::pair<CommentStatus, std::string_view> kCommentNames[] = {
    {CommentStatus::kApproved, "approved"},
    {CommentStatus::kPending, "pending"},
    {CommentStatus::kRejected, "rejected"},
    {CommentStatus::kFlagged, "flagged"}};

template <typename E, std::size_t N>
std::string_view NameOf(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> ValueOf(const std::pair<E, std::string_view> (&table)[N], std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}
}  // namespace

std::string_view ToString(SeasonStatus s) {
  return NameOf(kSeasonNames, s);
}
std::string_view ToString(SlotStatus s) {
  return NameOf(kSlotNames, s);
}
constexpr std::pair<ProcessingStatus, std::string_view> kProcessingNames[] = {
    {ProcessingStatus::kQueued, "queued"},
    {ProcessingStatus::kProcessing, "processing"},
    {ProcessingStatus::kReady, "ready"},
    {ProcessingStatus::kFailed, "failed"}};
constexpr std::pair<UploadStatus, std::string_view> kUploadNames[] = {
    {UploadStatus::kSigned, "signed"},
    {UploadStatus::kUploaded, "uploaded"},
    {UploadStatus::kRegistered, "registered"},
    {UploadStatus::kFailed, "failed"}};
constexpr std::pair<FilmStatus, std::string_view> kFilmNames[] = {
    {FilmStatus::kQueued, "queued"},
    {FilmStatus::kBuilding, "building"},
    {FilmStatus::kReady, "ready"},
    {FilmStatus::kFailed, "failed"}};
std::string_view ToString(FilmStatus s) {
  return NameOf(kFilmNames, s);
}
std::optional<FilmStatus> ParseFilmStatus(std::string_view s) {
  return ValueOf(kFilmNames, s);
}
std::string_view ToString(ProcessingStatus s) {
  return NameOf(kProcessingNames, s);
}
std::optional<ProcessingStatus> ParseProcessingStatus(std::string_view s) {
  return ValueOf(kProcessingNames, s);
}
std::string_view ToString(UploadStatus s) {
  return NameOf(kUploadNames, s);
}
std::optional<UploadStatus> ParseUploadStatus(std::string_view s) {
  return ValueOf(kUploadNames, s);
}
std::string_view ToString(ClipStatus s) {
  return NameOf(kClipNames, s);
}
std::string_view ToString(CommentStatus s) {
  return NameOf(kCommentNames, s);
}
std::optional<CommentStatus> ParseCommentStatus(std::string_view s) {
  return ValueOf(kCommentNames, s);
}
std::optional<SeasonStatus> ParseSeasonStatus(std::string_view s) {
  return ValueOf(kSeasonNames, s);
}
std::optional<SlotStatus> ParseSlotStatus(std::string_view s) {
  return ValueOf(kSlotNames, s);
}
std::optional<ClipStatus> ParseClipStatus(std::string_view s) {
  return ValueOf(kClipNames, s);
}

const std::vector<std::string>& Genres() {
  static const std::vector<std::string> kGenres = {"Thriller", "Comedy",    "Action", "Sci-Fi",
                                                   "Romance",  "Animation", "Horror"};
  return kGenres;
}

bool IsKnownGenre(std::string_view genre) {
  const auto& g = Genres();
  return std::find(g.begin(), g.end(), genre) != g.end();
}

bool CanTransition(SeasonStatus from, SeasonStatus to) {
  using S = SeasonStatus;
  switch (from) {
    case S::kDraft:
      return to == S::kActive;
    case S::kActive:
      return to == S::kFinished;
    // finished → active happens only when an admin unlocks the last slot.
    case S::kFinished:
      return to == S::kArchived || to == S::kActive;
    case S::kArchived:
      return to == S::kFinished;
  }
  return false;
}

bool CanTransition(SlotStatus from, SlotStatus to) {
  using S = SlotStatus;
  switch (from) {
    case S::kUpcoming:
      return to == S::kVoting || to == S::kWaitingForClips;
    case S::kVoting:
      return to == S::kLocked || to == S::kWaitingForClips;
    case S::kWaitingForClips:
      return to == S::kVoting || to == S::kLocked;
    case S::kLocked:
      return to == S::kVoting;
  }
  return false;
}

Status CheckSeasonTransition(SeasonStatus from, SeasonStatus to) {
  if (CanTransition(from, to)) return Ok{};
  return Error::Conflict("INVALID_TRANSITION", "A season cannot go from " +
                                                   std::string(ToString(from)) + " to " +
                                                   std::string(ToString(to)))
      .With("from", boost::json::string(ToString(from)))
      .With("to", boost::json::string(ToString(to)));
}

Status CheckSlotTransition(SlotStatus from, SlotStatus to) {
  if (CanTransition(from, to)) return Ok{};
  return Error::Conflict("INVALID_TRANSITION", "A slot cannot go from " +
                                                   std::string(ToString(from)) + " to " +
                                                   std::string(ToString(to)))
      .With("from", boost::json::string(ToString(from)))
      .With("to", boost::json::string(ToString(to)));
}

Result<SeasonDraft> ValidateSeasonDraft(SeasonDraft draft, int max_slots) {
  draft.label = text::Sanitize(draft.label);
  draft.description = text::Sanitize(draft.description, true);
  if (!text::IsValidUtf8(draft.label) || draft.label.empty() ||
      text::CodePointCount(draft.label) > 80) {
    return Error::InvalidInput("label must be 1-80 characters").With("field", "label");
  }
  if (text::CodePointCount(draft.description) > 1000) {
    return Error::InvalidInput("description must be at most 1000 characters")
        .With("field", "description");
  }
  if (!draft.genre.empty() && !IsKnownGenre(draft.genre)) {
    return Error::InvalidInput("genre is not one of the known genres").With("field", "genre");
  }
  if (draft.total_slots < 1 || draft.total_slots > max_slots) {
    return Error::InvalidInput("total_slots must be between 1 and " + std::to_string(max_slots))
        .With("field", "total_slots");
  }
  // One minute is the shortest window the minute-granular auto-advance job can honour; 30 days
  // is a sanity ceiling.
  if (draft.voting_window_seconds < 60 || draft.voting_window_seconds > 30LL * 86'400) {
    return Error::InvalidInput("voting_window_seconds must be between 60 and 2592000")
        .With("field", "voting_window_seconds");
  }
  return draft;
}

}  // namespace aimoviez
