#include "http/peer_connections.h"

namespace aimoviez::http {

std::optional<PeerConnections::Slot> PeerConnections::Admit(std::string ip) {
  for (const auto& range : exempt_) {
    if (range.Contains(ip)) {
      ++total_;
      return Slot(this, false, std::move(ip));
    }
  }
  std::lock_guard lock(mutex_);
  int& open = open_[ip];
  if (open >= max_per_peer_) {
    if (open == 0) open_.erase(ip);
    return std::nullopt;
  }
  ++open;
  ++total_;
  return Slot(this, true, std::move(ip));
}

void PeerConnections::Release(const std::string& ip, bool per_peer) {
  if (per_peer) {
    std::lock_guard lock(mutex_);
    auto it = open_.find(ip);
    if (it != open_.end() && --it->second <= 0) open_.erase(it);
  }
  // The acceptor paused when the total reached the limit; this place lets it go on.
  if (total_.fetch_sub(1) == max_total_ && on_room_) on_room_();
}

}  // namespace aimoviez::http
