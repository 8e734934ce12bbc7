// One WebSocket client's side of the live protocol, free of any transport: it parses the
// client's JSON messages, keeps the connection's subscriptions within their limits, throttles
// the message rate, and decides when the connection must be closed.
//
// Client → server:  {"type":"subscribe","channel":C}  {"type":"unsubscribe","channel":C}
//                   {"type":"ping"}
// Server → client:  {"type":"subscribed"|"unsubscribed","channel":C}  {"type":"pong"}
//                   {"type":"error","code":...,"message":...}  and the pushed events.
// Channels: "tallies" (the open slot's counts), "season" (winners, opened slots, resets),
// "comments:<clipId>", and "me" (the signed-in user's own clip status changes).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "domain/model.h"
#include "realtime/hub.h"

namespace aimoviez::realtime {

struct LiveLimits {
  std::size_t max_subscriptions = 32;
  // Token bucket: `burst` messages at once, refilled at `per_second`. A client that exceeds it
  // is closed with 1008 (policy violation); a well-behaved one sends a handful per minute.
  double burst = 30;
  double per_second = 5;
};

struct ClientAction {
  std::string reply;   // sent back when not empty
  int close_code = 0;  // close the connection with this code when non-zero
  std::string close_reason;
};

// The hub channel that carries a user's own events.
std::string UserChannel(Id user_id);
// Control channels no client can ask for: every connection opened with a session joins its
// session's and its account's, so ending a session (sign-out) or every session of an account
// (sign-out everywhere, a ban, deletion) closes the connections it opened.
std::string SessionControlChannel(std::string_view session_hash);
std::string AccountControlChannel(Id user_id);

// WebSocket close code for a connection whose session ended (4000-4999: the application's).
inline constexpr int kCloseSessionEnded = 4001;

class LiveClient {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // `session_hash`: the SHA-256 (hex) of the session token the connection was opened with.
  LiveClient(Hub& hub, std::optional<Id> user_id, std::string session_hash, LiveLimits limits,
             TimePoint now);
  ~LiveClient();
  LiveClient(const LiveClient&) = delete;
  LiveClient& operator=(const LiveClient&) = delete;

  // `self` is the transport's subscriber handle for this connection.
  ClientAction OnMessage(std::string_view text, const std::shared_ptr<Subscriber>& self,
                         TimePoint now);
  // Joins the control channels (signed-in connections only); called once the handshake is done.
  void Attach(const std::shared_ptr<Subscriber>& self);
  // Leaves every channel; called once when the connection ends.
  void Detach();

  std::size_t subscription_count() const { return subscriptions_.size(); }

 private:
  // Maps a client-facing channel name to the hub channel; nullopt when unknown or forbidden.
  std::optional<std::string> Resolve(std::string_view channel, std::string& error_code) const;
  bool Admit(TimePoint now);

  Hub& hub_;
  std::optional<Id> user_id_;
  std::string session_hash_;
  LiveLimits limits_;
  double tokens_;
  TimePoint refilled_at_;
  const Subscriber* self_ = nullptr;
  std::set<std::string> subscriptions_;  // hub channel names
  std::set<std::string> control_;        // control channels, outside the subscription limit
};

}  // namespace aimoviez::realtime
