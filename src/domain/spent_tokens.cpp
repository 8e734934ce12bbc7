#include "domain/spent_tokens.h"

namespace aimoviez {

bool LocalSpentTokens::Spend(std::string_view token, EpochMs expires, EpochMs now) {
  std::lock_guard lock(mutex_);
  if (spent_.size() >= max_live_) {
    std::erase_if(spent_, [now](const auto& entry) { return entry.second <= now; });
    if (spent_.size() >= max_live_) return false;
  }
  return spent_.emplace(std::string(token), expires).second;
}

}  // namespace aimoviez
