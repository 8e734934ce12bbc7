#include "cluster/redis_hub.h"

#include <spdlog/spdlog.h>

#include "common/crypto.h"

namespace aimoviez::cluster {

namespace {

constexpr std::size_t kOutboxLimit = 10'000;
constexpr auto kReceiveWait = std::chrono::milliseconds(200);
constexpr auto kRetryDelay = std::chrono::milliseconds(500);

// A relayed message: "<node>\n<kind>\n<code>\n<channel>\n<payload or reason>". Channel names are
// the server's own (no newline); the last field is taken whole.
std::string Encode(const std::string& node, char kind, int code, const std::string& channel,
                   std::string_view body) {
  std::string out;
  out.reserve(node.size() + channel.size() + body.size() + 16);
  out.append(node).append(1, '\n').append(1, kind).append(1, '\n');
  out.append(std::to_string(code)).append(1, '\n').append(channel).append(1, '\n');
  out.append(body);
  return out;
}

struct Relayed {
  std::string_view node;
  char kind = 0;
  int code = 0;
  std::string channel;
  std::string_view body;
};

bool Decode(std::string_view text, Relayed& out) {
  std::string_view fields[4];
  for (auto& field : fields) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) return false;
    field = text.substr(0, end);
    text.remove_prefix(end + 1);
  }
  if (fields[1].size() != 1) return false;
  out.node = fields[0];
  out.kind = fields[1][0];
  out.code = 0;
  for (char c : fields[2]) {
    if (c < '0' || c > '9' || out.code > 100'000) return false;
    out.code = out.code * 10 + (c - '0');
  }
  out.channel = std::string(fields[3]);
  out.body = text;
  return true;
}

}  // namespace

RedisHub::RedisHub(redis::Endpoint endpoint, std::chrono::milliseconds timeout, std::string bus)
    : endpoint_(std::move(endpoint)),
      timeout_(timeout),
      bus_(std::move(bus)),
      node_id_(crypto::ToHex(crypto::RandomBytes(8))) {
  sender_ = std::thread([this] { SendLoop(); });
  receiver_ = std::thread([this] { ReceiveLoop(); });
}

RedisHub::~RedisHub() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  sender_.join();
  receiver_.join();
}

void RedisHub::Subscribe(const std::string& channel,
                         std::shared_ptr<realtime::Subscriber> subscriber) {
  local_.Subscribe(channel, std::move(subscriber));
}

void RedisHub::Unsubscribe(const std::string& channel, const realtime::Subscriber* subscriber) {
  local_.Unsubscribe(channel, subscriber);
}

std::size_t RedisHub::SubscriberCount(const std::string& channel) const {
  return local_.SubscriberCount(channel);
}

void RedisHub::Publish(const std::string& channel, const realtime::Payload& message) {
  local_.Publish(channel, message);
  Enqueue(Encode(node_id_, 'P', 0, channel, *message));
}

void RedisHub::DisconnectAll(const std::string& channel, int code, std::string_view reason) {
  local_.DisconnectAll(channel, code, reason);
  Enqueue(Encode(node_id_, 'D', code, channel, reason));
}

void RedisHub::Enqueue(std::string message) {
  {
    std::lock_guard lock(mutex_);
    if (outbox_.size() >= kOutboxLimit) {
      outbox_.pop_front();  // the oldest goes: a live view wants the newest state
      ++dropped_;
    }
    outbox_.push_back(std::move(message));
  }
  wake_.notify_all();
}

bool RedisHub::Pause(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, delay, [&] { return stopping_; });
}

void RedisHub::SendLoop() {
  std::unique_ptr<redis::Connection> connection;
  bool reported = false;  // one log line per outage
  for (;;) {
    std::string message;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !outbox_.empty(); });
      if (stopping_) return;
      message = std::move(outbox_.front());
      outbox_.pop_front();
    }
    try {
      if (!connection || connection->broken()) {
        connection = std::make_unique<redis::Connection>(endpoint_, timeout_);
      }
      connection->Command({"PUBLISH", bus_, message});
      if (reported) spdlog::info("live relay: sending through redis again");
      reported = false;
    } catch (const redis::RedisError& e) {
      ++dropped_;
      connection.reset();
      if (!reported)
        spdlog::warn("live relay: cannot publish ({}); this node's clients only", e.what());
      reported = true;
      if (!Pause(kRetryDelay)) return;
    }
  }
}

void RedisHub::ReceiveLoop() {
  bool reported = false;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      redis::Connection connection(endpoint_, timeout_);
      connection.Send({"SUBSCRIBE", bus_});
      redis::Reply reply;
      for (;;) {
        {
          std::lock_guard lock(mutex_);
          if (stopping_) break;
        }
        if (!connection.Receive(reply, kReceiveWait)) continue;
        if (reply.type != redis::Reply::Type::kArray || reply.elements.size() != 3) continue;
        const std::string& kind = reply.elements[0].text;
        if (kind == "subscribe") {
          relaying_ = true;
          if (reported) spdlog::info("live relay: subscribed to redis again");
          reported = false;
        } else if (kind == "message") {
          Apply(reply.elements[2].text);
        }
      }
    } catch (const redis::RedisError& e) {
      if (!reported) spdlog::warn("live relay: subscription lost ({}); retrying", e.what());
      reported = true;
    }
    relaying_ = false;
    if (!Pause(kRetryDelay)) return;
  }
}

void RedisHub::Apply(const std::string& message) {
  Relayed relayed;
  if (!Decode(message, relayed) || relayed.node == node_id_) return;
  if (relayed.kind == 'P') {
    local_.Publish(relayed.channel, realtime::MakePayload(std::string(relayed.body)));
  } else if (relayed.kind == 'D') {
    local_.DisconnectAll(relayed.channel, relayed.code, relayed.body);
  }
}

}  // namespace aimoviez::cluster
