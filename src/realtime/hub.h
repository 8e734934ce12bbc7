// Channel fan-out for live pushes. Connections subscribe to named channels; publishers hand
// over one serialised payload that every subscriber shares (no per-connection copies). The
// interface is what a cluster hub would implement to relay between nodes.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace aimoviez::realtime {

using Payload = std::shared_ptr<const std::string>;

inline Payload MakePayload(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

// A connected client as the hub sees it (implemented by the WebSocket transport).
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Queues the message for sending. Never blocks; may be called from any thread. A transport
  // that cannot keep up drops its connection rather than buffering without bound.
  virtual void Deliver(const Payload& message) = 0;
  // Ends the connection with a WebSocket close code (its session ended, say). Never blocks.
  virtual void Disconnect(int code, std::string_view reason) = 0;
};

class Hub {
 public:
  virtual ~Hub() = default;
  virtual void Subscribe(const std::string& channel, std::shared_ptr<Subscriber> subscriber) = 0;
  virtual void Unsubscribe(const std::string& channel, const Subscriber* subscriber) = 0;
  virtual void Publish(const std::string& channel, const Payload& message) = 0;
  // This node's subscribers of the channel.
  virtual std::size_t SubscriberCount(const std::string& channel) const = 0;
  // Whether a publication on the channel can reach anyone: here, or through a cluster hub on
  // another node. Publishers that skip work nobody would receive ask this.
  virtual bool Listened(const std::string& channel) const { return SubscriberCount(channel) > 0; }
  // Disconnects every subscriber of the channel.
  virtual void DisconnectAll(const std::string& channel, int code, std::string_view reason) = 0;
};

// The single-node hub: an in-process map guarded by one mutex. Delivery happens outside the
// lock, so a publisher never waits on a connection.
class LocalHub final : public Hub {
 public:
  void Subscribe(const std::string& channel, std::shared_ptr<Subscriber> subscriber) override;
  void Unsubscribe(const std::string& channel, const Subscriber* subscriber) override;
  void Publish(const std::string& channel, const Payload& message) override;
  std::size_t SubscriberCount(const std::string& channel) const override;
  void DisconnectAll(const std::string& channel, int code, std::string_view reason) override;
  // Lets go of every subscriber (at shutdown, before the transport goes away).
  void Clear();

 private:
  using Members = std::unordered_map<const Subscriber*, std::shared_ptr<Subscriber>>;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Members> channels_;
};

}  // namespace aimoviez::realtime
