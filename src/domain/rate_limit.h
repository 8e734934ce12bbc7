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

// Windows keyed by client (an address, a voter), with a bound; not thread-safe. Past
// kSweepAbove keys, windows idle for over a minute are dropped, at most once a minute: sweeping on
// every request would scan the whole map each time once a flood of fresh keys fills it (a vote
// then cost a pass over 100 000 windows). Past kHardCap keys, all seen in the last two minutes,
// the map starts over, so memory stays bounded whatever the traffic.
class KeyedWindows {
 public:
  static constexpr std::size_t kSweepAbove = 100'000;
  static constexpr std::size_t kHardCap = 1'000'000;

  // The window of `key`, created empty if new.
  RateWindow& For(const std::string& key, EpochMs now);
  std::size_t size() const { return windows_.size(); }

 private:
  std::unordered_map<std::string, RateWindow> windows_;
  std::int64_t swept_minute_ = -1;
};

}  // namespace aimoviez
