// Sliding-window rate limiting (this minute plus the overlapping part of the previous one):
// 16 bytes per key, no background work. Used by the vote engine and the comment service.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/time.h"

namespace aimoviez {

struct RateWindow {
  std::int64_t minute = -1;
  int current = 0;
  int previous = 0;
};

struct RateDecision {
  bool allowed = true;
  int limit = 0;
  int remaining = 0;
  EpochMs reset_at_ms = 0;
  std::int64_t retry_after_seconds = 0;
};

// Moves the window to now's minute (the minute before becomes `previous`, or 0 after a gap).
void RollWindow(RateWindow& window, EpochMs now);
// Judges one more attempt against a window already rolled to now's minute, without counting it.
// The previous minute counts in proportion to how much of it overlaps the last 60 s; integer
// arithmetic, so a shared store (a Redis script) can apply the same rule exactly.
RateDecision JudgeWindow(const RateWindow& window, int limit_per_minute, EpochMs now);
// Rolls, judges, and counts this attempt in the window when allowed.
RateDecision AdmitToWindow(RateWindow& window, int limit_per_minute, EpochMs now);

// A thread-safe keyed limiter; stale keys are dropped as the map grows.
class KeyedRateLimiter {
 public:
  explicit KeyedRateLimiter(int limit_per_minute) : limit_(limit_per_minute) {}
  RateDecision Admit(const std::string& key, EpochMs now);

 private:
  int limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, RateWindow> windows_;
};

}  // namespace aimoviez
