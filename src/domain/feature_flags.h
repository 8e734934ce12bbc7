// A read-mostly cache of the feature flags for hot paths (the vote path checks several per
// request). Refreshed from storage at most once per `ttl_ms`, and at once after an admin toggle
// in this process; other processes' toggles show within the TTL.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "domain/ports.h"

namespace aimoviez {

class FeatureFlags {
 public:
  FeatureFlags(FeatureFlagRepository& repo, const Clock& clock, EpochMs ttl_ms = 1000)
      : repo_(repo), clock_(clock), ttl_ms_(ttl_ms) {}

  bool Enabled(std::string_view key);
  void Invalidate();

 private:
  FeatureFlagRepository& repo_;
  const Clock& clock_;
  EpochMs ttl_ms_;
  std::mutex mutex_;
  std::map<std::string, bool, std::less<>> flags_;  // found by string_view, no copy per check
  EpochMs loaded_at_ = 0;
  bool loaded_ = false;
};

}  // namespace aimoviez
