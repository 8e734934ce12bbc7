#include "domain/feature_flags.h"

namespace aimoviez {

bool FeatureFlags::Enabled(std::string_view key) {
  std::lock_guard lock(mutex_);
  const EpochMs now = clock_.NowMs();
  if (!loaded_ || now - loaded_at_ >= ttl_ms_ || now < loaded_at_) {
    flags_.clear();
    for (const auto& f : repo_.ListFlags()) flags_[f.key] = f.enabled;
    loaded_at_ = now;
    loaded_ = true;
  }
  auto it = flags_.find(key);
  return it != flags_.end() && it->second;
}

void FeatureFlags::Invalidate() {
  std::lock_guard lock(mutex_);
  loaded_ = false;
}

}  // namespace aimoviez
