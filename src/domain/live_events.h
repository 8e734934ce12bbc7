// The live-event port: what the domain announces as it happens, for pushing to connected
// clients (WebSocket). Services call it after their transaction has committed; an adapter
// (realtime/) decides how to serialise, coalesce and fan out. Calls must not block.
#pragma once

#include <string_view>

#include "domain/model.h"
#include "domain/notification_repository.h"

namespace aimoviez {

struct GenreVoteView;

class LiveEvents {
 public:
  virtual ~LiveEvents() = default;
  // A vote on the clip became durable (cast or revoked); tallies are coalesced downstream.
  virtual void VoteCounted(Id clip_id) = 0;
  virtual void CommentCreated(const Comment& comment) = 0;
  virtual void CommentDeleted(Id clip_id, Id comment_id) = 0;
  virtual void WinnerSelected(const Slot& slot, Id clip_id) = 0;
  virtual void SlotOpened(const Slot& slot) = 0;
  // The open round's votes were discarded or the round reopened (reset, unlock, delete).
  virtual void SeasonReset(Id season_id, std::string_view reason) = 0;
  virtual void SeasonFinished(Id season_id) = 0;
  // Told to the clip's creator only.
  virtual void ClipStatusChanged(const Clip& clip) = 0;
  // A notification was stored for its user (told on their "me" channel).
  virtual void NotificationCreated(const Notification& notification) {}
  // A session ended (sign-out) or every session of an account did (sign-out everywhere, a ban,
  // deletion): the live connections they opened are closed.
  virtual void SessionEnded(std::string_view session_hash) {}
  virtual void AccountSessionsEnded(Id user_id) {}
  // The genre vote between seasons changed (its tally for everyone; the caller's own choice in
  // the view is not to be broadcast).
  virtual void GenreVotesChanged(const GenreVoteView& view) {}
};

// For commands (CLI, jobs) that run without connected clients.
class NoLiveEvents final : public LiveEvents {
 public:
  void VoteCounted(Id) override {}
  void CommentCreated(const Comment&) override {}
  void CommentDeleted(Id, Id) override {}
  void WinnerSelected(const Slot&, Id) override {}
  void SlotOpened(const Slot&) override {}
  void SeasonReset(Id, std::string_view) override {}
  void SeasonFinished(Id) override {}
  void ClipStatusChanged(const Clip&) override {}
};

}  // namespace aimoviez
