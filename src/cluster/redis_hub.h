// The cluster's live-push hub: this node's connections are held by a LocalHub, and every
// publication and every "disconnect this channel" is also relayed through one Redis pub/sub
// channel, so a client connected to node B hears what happened on node A, and signing out on
// node A closes the sockets it opened on node B.
//
// Publish never waits on Redis: messages go out through a bounded queue on a sender thread, and
// a receiver thread holds the subscription. While Redis is unreachable each node still serves
// its own connections; relayed messages of that time are lost (the tallies come again every
// interval, and the web app refetches when its socket reconnects), counted and logged once per
// outage.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/redis_client.h"
#include "realtime/hub.h"

namespace aimoviez::cluster {

class RedisHub final : public realtime::Hub {
 public:
  RedisHub(redis::Endpoint endpoint, std::chrono::milliseconds timeout,
           std::string bus = "aimoviez:live");
  ~RedisHub() override;  // stops both threads

  void Subscribe(const std::string& channel,
                 std::shared_ptr<realtime::Subscriber> subscriber) override;
  void Unsubscribe(const std::string& channel, const realtime::Subscriber* subscriber) override;
  void Publish(const std::string& channel, const realtime::Payload& message) override;
  std::size_t SubscriberCount(const std::string& channel) const override;
  // Another node may have subscribers whenever the relay is up.
  bool Listened(const std::string& channel) const override {
    return relaying_.load() || local_.SubscriberCount(channel) > 0;
  }
  void DisconnectAll(const std::string& channel, int code, std::string_view reason) override;
  // Lets go of this node's subscribers (at shutdown).
  void Clear() { local_.Clear(); }

  // True while the subscription to the bus is live (tests wait for it).
  bool relaying() const { return relaying_.load(); }
  // Relayed messages that could not be sent (Redis away, or the queue full).
  std::uint64_t dropped() const { return dropped_.load(); }

 private:
  void Enqueue(std::string message);
  void SendLoop();
  void ReceiveLoop();
  void Apply(const std::string& message);
  // Waits up to `delay` unless the hub is stopping; false when it is.
  bool Pause(std::chrono::milliseconds delay);

  realtime::LocalHub local_;
  redis::Endpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::string bus_;
  std::string node_id_;  // messages this node sent come back from Redis: they are skipped

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> outbox_;
  bool stopping_ = false;
  std::atomic<bool> relaying_{false};
  std::atomic<std::uint64_t> dropped_{0};
  std::thread sender_;
  std::thread receiver_;
};

}  // namespace aimoviez::cluster
