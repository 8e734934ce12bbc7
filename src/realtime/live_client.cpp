#include "realtime/live_client.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>

namespace aimoviez::realtime {

namespace {

std::string Reply(std::string_view type, std::string_view channel) {
  boost::json::object o{{"type", type}};
  if (!channel.empty()) o["channel"] = channel;
  return boost::json::serialize(o);
}

ClientAction ErrorReply(std::string_view code, std::string_view message) {
  return ClientAction{boost::json::serialize(boost::json::object{
                          {"type", "error"}, {"code", code}, {"message", message}}),
                      0,
                      {}};
}

std::optional<Id> ParsePositiveId(std::string_view digits) {
  if (digits.empty() || digits.size() > 18 || digits.front() == '0') return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  Id id = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return id;
}

}  // namespace

std::string UserChannel(Id user_id) {
  return "user:" + std::to_string(user_id);
}

std::string SessionControlChannel(std::string_view session_hash) {
  return "control:session:" + std::string(session_hash);
}

std::string AccountControlChannel(Id user_id) {
  return "control:account:" + std::to_string(user_id);
}

LiveClient::LiveClient(Hub& hub, std::optional<Id> user_id, std::string session_hash,
                       LiveLimits limits, TimePoint now)
    : hub_(hub),
      user_id_(user_id),
      session_hash_(std::move(session_hash)),
      limits_(limits),
      tokens_(limits.burst),
      refilled_at_(now) {}

void LiveClient::Attach(const std::shared_ptr<Subscriber>& self) {
  if (!user_id_ || session_hash_.empty()) return;
  self_ = self.get();
  for (auto channel : {SessionControlChannel(session_hash_), AccountControlChannel(*user_id_)}) {
    hub_.Subscribe(channel, self);
    control_.insert(std::move(channel));
  }
}

LiveClient::~LiveClient() {
  Detach();
}

void LiveClient::Detach() {
  for (const auto& channel : subscriptions_) hub_.Unsubscribe(channel, self_);
  subscriptions_.clear();
  for (const auto& channel : control_) hub_.Unsubscribe(channel, self_);
  control_.clear();
}

bool LiveClient::Admit(TimePoint now) {
  const double elapsed = std::chrono::duration<double>(now - refilled_at_).count();
  tokens_ = std::min(limits_.burst, tokens_ + std::max(0.0, elapsed) * limits_.per_second);
  refilled_at_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

std::optional<std::string> LiveClient::Resolve(std::string_view channel,
                                               std::string& error_code) const {
  if (channel == "tallies" || channel == "season") return std::string(channel);
  if (channel == "me") {
    if (user_id_) return UserChannel(*user_id_);
    error_code = "AUTH_REQUIRED";
    return std::nullopt;
  }
  constexpr std::string_view kComments = "comments:";
  if (channel.substr(0, kComments.size()) == kComments) {
    if (auto id = ParsePositiveId(channel.substr(kComments.size()))) {
      return "comments:" + std::to_string(*id);
    }
  }
  error_code = "UNKNOWN_CHANNEL";
  return std::nullopt;
}

ClientAction LiveClient::OnMessage(std::string_view text, const std::shared_ptr<Subscriber>& self,
                                   TimePoint now) {
  self_ = self.get();
  if (!Admit(now)) return ClientAction{{}, 1008, "message rate exceeded"};

  boost::system::error_code ec;
  const auto parsed = boost::json::parse(text, ec);
  if (ec || !parsed.is_object()) return ErrorReply("BAD_MESSAGE", "Send a JSON object");
  const auto& msg = parsed.as_object();
  const auto* type = msg.if_contains("type");
  if (type == nullptr || !type->is_string()) return ErrorReply("BAD_MESSAGE", "Missing type");
  const std::string_view kind = type->as_string();

  if (kind == "ping") return ClientAction{Reply("pong", ""), 0, {}};
  if (kind != "subscribe" && kind != "unsubscribe") {
    return ErrorReply("BAD_MESSAGE", "Unknown message type");
  }
  const auto* channel_value = msg.if_contains("channel");
  if (channel_value == nullptr || !channel_value->is_string() ||
      channel_value->as_string().size() > 64) {
    return ErrorReply("BAD_MESSAGE", "Missing channel");
  }
  const std::string_view channel = channel_value->as_string();
  std::string error_code;
  const auto hub_channel = Resolve(channel, error_code);
  if (!hub_channel) {
    return ErrorReply(error_code, error_code == "AUTH_REQUIRED" ? "Sign in to follow your clips"
                                                                : "Unknown channel");
  }

  if (kind == "subscribe") {
    if (!subscriptions_.contains(*hub_channel)) {
      if (subscriptions_.size() >= limits_.max_subscriptions) {
        return ErrorReply("SUBSCRIPTION_LIMIT", "Too many subscriptions on this connection");
      }
      subscriptions_.insert(*hub_channel);
      hub_.Subscribe(*hub_channel, self);
    }
    return ClientAction{Reply("subscribed", channel), 0, {}};
  }
  if (subscriptions_.erase(*hub_channel) > 0) hub_.Unsubscribe(*hub_channel, self_);
  return ClientAction{Reply("unsubscribed", channel), 0, {}};
}

}  // namespace aimoviez::realtime
