// Open connections per client address and in total, HTTP and WebSocket alike: one host cannot
// take the server's descriptors or WebSocket places for itself (trusted reverse proxies, which
// carry everyone's connections, are not capped per address), and all clients together cannot
// take the descriptors the server needs for its database, media files and child processes.
// Thread-safe; a Slot gives its place back when destroyed, so it travels with the connection
// (an HTTP connection that upgrades to a WebSocket hands its slot on).
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/net_address.h"

namespace aimoviez::http {

class PeerConnections {
 public:
  class Slot {
   public:
    Slot(Slot&& other) noexcept
        : owner_(other.owner_), per_peer_(other.per_peer_), ip_(std::move(other.ip_)) {
      other.owner_ = nullptr;
    }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot() {
      if (owner_ != nullptr) owner_->Release(ip_, per_peer_);
    }
    const std::string& ip() const { return ip_; }

   private:
    friend class PeerConnections;
    Slot(PeerConnections* owner, bool per_peer, std::string ip)
        : owner_(owner), per_peer_(per_peer), ip_(std::move(ip)) {}
    PeerConnections* owner_;  // null: moved from
    bool per_peer_;           // false: an exempt peer, counted in the total only
    std::string ip_;
  };

  PeerConnections(int max_per_peer, std::vector<net::AddressRange> exempt)
      : max_per_peer_(max_per_peer), exempt_(std::move(exempt)) {}

  // The most connections open at once, and what to call when one closes while all were taken
  // (the acceptor stops accepting at the limit and resumes from that call). Set before serving.
  void SetTotalLimit(int max_total, std::function<void()> on_room) {
    max_total_ = max_total;
    on_room_ = std::move(on_room);
  }
  bool Full() const { return total_.load() >= max_total_; }
  int Open() const { return total_.load(); }

  // A slot for a new connection from `ip`, or nullopt when that address has its maximum open.
  std::optional<Slot> Admit(std::string ip);

 private:
  void Release(const std::string& ip, bool per_peer);

  const int max_per_peer_;
  int max_total_ = 1 << 30;
  std::function<void()> on_room_;
  std::atomic<int> total_{0};
  const std::vector<net::AddressRange> exempt_;
  std::mutex mutex_;
  std::unordered_map<std::string, int> open_;  // only addresses with a connection open
};

}  // namespace aimoviez::http
