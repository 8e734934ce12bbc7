#include "realtime/hub.h"

#include <vector>

namespace aimoviez::realtime {

void LocalHub::Subscribe(const std::string& channel, std::shared_ptr<Subscriber> subscriber) {
  std::lock_guard lock(mutex_);
  const Subscriber* key = subscriber.get();
  channels_[channel].emplace(key, std::move(subscriber));
}

void LocalHub::Unsubscribe(const std::string& channel, const Subscriber* subscriber) {
  std::shared_ptr<Subscriber> released;  // destroyed after the lock is let go
  std::lock_guard lock(mutex_);
  auto it = channels_.find(channel);
  if (it == channels_.end()) return;
  if (auto member = it->second.find(subscriber); member != it->second.end()) {
    released = std::move(member->second);
    it->second.erase(member);
  }
  if (it->second.empty()) channels_.erase(it);
}

void LocalHub::Publish(const std::string& channel, const Payload& message) {
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(channel);
    if (it == channels_.end()) return;
    targets.reserve(it->second.size());
    for (const auto& [key, member] : it->second) targets.push_back(member);
  }
  for (const auto& target : targets) target->Deliver(message);
}

void LocalHub::Clear() {
  std::unordered_map<std::string, Members> released;
  {
    std::lock_guard lock(mutex_);
    released.swap(channels_);
  }
}

std::size_t LocalHub::SubscriberCount(const std::string& channel) const {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(channel);
  return it == channels_.end() ? 0 : it->second.size();
}

void LocalHub::DisconnectAll(const std::string& channel, int code, std::string_view reason) {
  std::vector<std::shared_ptr<Subscriber>> members;
  {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(channel);
    if (it == channels_.end()) return;
    for (const auto& [key, subscriber] : it->second) members.push_back(subscriber);
  }
  for (const auto& subscriber : members) subscriber->Disconnect(code, reason);
}

}  // namespace aimoviez::realtime
