// The LiveEvents adapter: turns domain announcements into JSON pushes on hub channels. Vote
// tallies are coalesced: a vote only marks its clip dirty, and a flusher thread publishes one
// message per interval with the current counts of every clip that changed, read from the vote
// engine. So a channel gets at most 1000/interval_ms tally messages a second, whatever the vote
// rate, and each message is serialised once for all its subscribers.
#pragma once

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "domain/live_events.h"
#include "domain/vote_engine.h"
#include "realtime/hub.h"

namespace aimoviez::realtime {

class LivePublisher final : public LiveEvents {
 public:
  LivePublisher(Hub& hub, VoteEngine& engine, const Clock& clock, int tally_interval_ms);
  ~LivePublisher() override;

  void Start();
  void Stop();

  void VoteCounted(Id clip_id) override;
  void CommentCreated(const Comment& comment) override;
  void CommentDeleted(Id clip_id, Id comment_id) override;
  void WinnerSelected(const Slot& slot, Id clip_id) override;
  void SlotOpened(const Slot& slot) override;
  void SeasonReset(Id season_id, std::string_view reason) override;
  void SeasonFinished(Id season_id) override;
  void GenreVotesChanged(const GenreVoteView& view) override;
  void SessionEnded(std::string_view session_hash) override;
  void AccountSessionsEnded(Id user_id) override;
  void ClipStatusChanged(const Clip& clip) override;
  void NotificationCreated(const Notification& notification) override;

  // Publishes pending tallies now (the flusher calls it every interval).
  void FlushTallies();

 private:
  void Loop();

  Hub& hub_;
  VoteEngine& engine_;
  const Clock& clock_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::set<Id> dirty_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace aimoviez::realtime
