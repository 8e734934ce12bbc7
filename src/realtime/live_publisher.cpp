#include "realtime/live_publisher.h"

#include <boost/json/serialize.hpp>

#include "common/thread_name.h"
#include "http/json_views.h"
#include "realtime/live_client.h"

namespace aimoviez::realtime {

namespace {

Payload Serialize(const boost::json::object& message) {
  return MakePayload(boost::json::serialize(message));
}

}  // namespace

LivePublisher::LivePublisher(Hub& hub, VoteEngine& engine, const Clock& clock,
                             int tally_interval_ms)
    : hub_(hub), engine_(engine), clock_(clock), interval_(std::max(1, tally_interval_ms)) {}

LivePublisher::~LivePublisher() {
  Stop();
}

void LivePublisher::Start() {
  thread_ = std::thread([this] {
    NameThisThread("live-publisher");
    Loop();
  });
}

void LivePublisher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

// A throttle with a leading edge: the first vote after a quiet spell goes out at once; under
// a steady stream, one message per interval carries everything that changed meanwhile.
void LivePublisher::Loop() {
  std::unique_lock lock(mutex_);
  auto last_flush = std::chrono::steady_clock::now() - interval_;
  while (!stopping_) {
    cv_.wait(lock, [this] { return stopping_ || !dirty_.empty(); });
    if (stopping_) break;
    cv_.wait_until(lock, last_flush + interval_, [this] { return stopping_; });
    if (stopping_) break;
    last_flush = std::chrono::steady_clock::now();
    lock.unlock();
    FlushTallies();
    lock.lock();
  }
}

void LivePublisher::VoteCounted(Id clip_id) {
  bool was_empty = false;
  {
    std::lock_guard lock(mutex_);
    was_empty = dirty_.empty();
    dirty_.insert(clip_id);
  }
  if (was_empty) cv_.notify_one();
}

void LivePublisher::FlushTallies() {
  std::set<Id> changed;
  {
    std::lock_guard lock(mutex_);
    changed.swap(dirty_);
  }
  if (changed.empty() || !hub_.Listened("tallies")) return;
  const auto round = engine_.Round();
  if (!round) return;
  boost::json::array clips;
  for (Id id : changed) {
    // Counts come from the engine at flush time: the latest value wins, whatever order the
    // votes' callbacks ran in. Clips that left the round are skipped.
    if (auto counts = engine_.Counts(id)) {
      clips.push_back(boost::json::object{{"clipId", id},
                                          {"voteCount", counts->vote_count},
                                          {"weightedScore", counts->weighted_score}});
    }
  }
  if (clips.empty()) return;
  hub_.Publish("tallies", Serialize({{"type", "TallyUpdated"},
                                     {"channel", "tallies"},
                                     {"seasonId", round->season_id},
                                     {"slotPosition", round->position},
                                     {"clips", std::move(clips)},
                                     {"sentAt", clock_.NowMs()}}));
}

void LivePublisher::CommentCreated(const Comment& comment) {
  const std::string channel = "comments:" + std::to_string(comment.clip_id);
  hub_.Publish(channel, Serialize({{"type", "CommentCreated"},
                                   {"channel", channel},
                                   {"clipId", comment.clip_id},
                                   {"comment", http::CommentJson(comment)}}));
}

void LivePublisher::CommentDeleted(Id clip_id, Id comment_id) {
  const std::string channel = "comments:" + std::to_string(clip_id);
  hub_.Publish(channel, Serialize({{"type", "CommentDeleted"},
                                   {"channel", channel},
                                   {"clipId", clip_id},
                                   {"commentId", comment_id}}));
}

void LivePublisher::WinnerSelected(const Slot& slot, Id clip_id) {
  hub_.Publish("season", Serialize({{"type", "WinnerSelected"},
                                    {"channel", "season"},
                                    {"seasonId", slot.season_id},
                                    {"slotPosition", slot.position},
                                    {"clipId", clip_id}}));
}

void LivePublisher::SlotOpened(const Slot& slot) {
  boost::json::object message{{"type", "SlotOpened"},
                              {"channel", "season"},
                              {"seasonId", slot.season_id},
                              {"slotPosition", slot.position}};
  message["votingEndsAt"] = http::OptTime(slot.voting_ends_at);
  hub_.Publish("season", Serialize(message));
}

void LivePublisher::SeasonReset(Id season_id, std::string_view reason) {
  hub_.Publish("season", Serialize({{"type", "SeasonReset"},
                                    {"channel", "season"},
                                    {"seasonId", season_id},
                                    {"reason", reason}}));
}

void LivePublisher::SeasonFinished(Id season_id) {
  hub_.Publish(
      "season",
      Serialize({{"type", "SeasonFinished"}, {"channel", "season"}, {"seasonId", season_id}}));
}

void LivePublisher::GenreVotesChanged(const GenreVoteView& view) {
  auto message = http::GenreVoteJson(view);
  message.erase("myVote");  // the caller's own choice is not everyone's business
  message["type"] = "GenreVotes";
  message["channel"] = "season";
  hub_.Publish("season", Serialize(message));
}

void LivePublisher::ClipStatusChanged(const Clip& clip) {
  if (!clip.user_id) return;
  boost::json::object message{{"type", "ClipStatusChanged"},
                              {"channel", "me"},
                              {"clipId", clip.id},
                              {"status", ToString(clip.status)},
                              {"processingStatus", ToString(clip.processing)},
                              {"processingProgress", clip.processing_progress}};
  if (!clip.processing_error.empty()) message["processingError"] = clip.processing_error;
  hub_.Publish(UserChannel(*clip.user_id), Serialize(message));
}

void LivePublisher::NotificationCreated(const Notification& n) {
  boost::json::object message{
      {"type", "Notification"}, {"channel", "me"}, {"id", n.id},     {"notificationType", n.type},
      {"title", n.title},       {"body", n.body},  {"link", n.link}, {"createdAt", n.created_at}};
  hub_.Publish(UserChannel(n.user_id), Serialize(message));
}

void LivePublisher::SessionEnded(std::string_view session_hash) {
  hub_.DisconnectAll(SessionControlChannel(session_hash), kCloseSessionEnded, "signed out");
}

void LivePublisher::AccountSessionsEnded(Id user_id) {
  hub_.DisconnectAll(AccountControlChannel(user_id), kCloseSessionEnded, "signed out");
}

}  // namespace aimoviez::realtime
