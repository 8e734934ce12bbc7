// Open connections per client address, HTTP and WebSocket alike: one host cannot take the
// server's descriptors or WebSocket places for itself. Trusted reverse proxies, which carry
// everyone's connections, are not capped. Thread-safe; a Slot gives its place back when
// destroyed, so it travels with the connection (an HTTP connection that upgrades to a
// WebSocket hands its slot on).
#pragma once

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
    Slot(Slot&& other) noexcept : owner_(other.owner_), ip_(std::move(other.ip_)) {
      other.owner_ = nullptr;
    }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot() {
      if (owner_ != nullptr) owner_->Release(ip_);
    }
    const std::string& ip() const { return ip_; }

   private:
    friend class PeerConnections;
    Slot(PeerConnections* owner, std::string ip) : owner_(owner), ip_(std::move(ip)) {}
    PeerConnections* owner_;  // null: not counted (an exempt peer, or moved from)
    std::string ip_;
  };

  PeerConnections(int max_per_peer, std::vector<net::AddressRange> exempt)
      : max_per_peer_(max_per_peer), exempt_(std::move(exempt)) {}

  // A slot for a new connection from `ip`, or nullopt when that address has its maximum open.
  std::optional<Slot> Admit(std::string ip);

 private:
  void Release(const std::string& ip);

  const int max_per_peer_;
  const std::vector<net::AddressRange> exempt_;
  std::mutex mutex_;
  std::unordered_map<std::string, int> open_;  // only addresses with a connection open
};

}  // namespace aimoviez::http
