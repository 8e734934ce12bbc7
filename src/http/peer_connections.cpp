#include "http/peer_connections.h"

namespace aimoviez::http {

std::optional<PeerConnections::Slot> PeerConnections::Admit(std::string ip) {
  for (const auto& range : exempt_) {
    if (range.Contains(ip)) return Slot(nullptr, std::move(ip));
  }
  std::lock_guard lock(mutex_);
  int& open = open_[ip];
  if (open >= max_per_peer_) {
    if (open == 0) open_.erase(ip);
    return std::nullopt;
  }
  ++open;
  return Slot(this, std::move(ip));
}

void PeerConnections::Release(const std::string& ip) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(ip);
  if (it != open_.end() && --it->second <= 0) open_.erase(it);
}

}  // namespace aimoviez::http
