#include "domain/rate_limit.h"

#include <algorithm>

namespace aimoviez {

namespace {
constexpr std::int64_t kMinuteMs = 60'000;
}

RateDecision AdmitToWindow(RateWindow& w, int limit, EpochMs now) {
  const std::int64_t minute = now / kMinuteMs;
  if (minute != w.minute) {
    w.previous = minute == w.minute + 1 ? w.current : 0;
    w.current = 0;
    w.minute = minute;
  }
  // The previous minute counts in proportion to how much of it still overlaps the last 60 s.
  const double overlap = 1.0 - static_cast<double>(now % kMinuteMs) / kMinuteMs;
  const double used = w.previous * overlap + w.current;
  RateDecision d;
  d.limit = limit;
  d.reset_at_ms = (minute + 1) * kMinuteMs;
  if (used + 1 > limit) {
    d.allowed = false;
    std::int64_t wait_ms = d.reset_at_ms - now;
    if (w.previous > 0 && w.current < limit) {
      const double needed = (used + 1 - limit) / w.previous;  // fraction of a minute to slide
      wait_ms = std::min<std::int64_t>(wait_ms, static_cast<std::int64_t>(needed * kMinuteMs) + 1);
    }
    d.retry_after_seconds = std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
    return d;
  }
  ++w.current;
  d.remaining = std::max(0, static_cast<int>(limit - used - 1));
  return d;
}

RateDecision KeyedRateLimiter::Admit(const std::string& key, EpochMs now) {
  std::lock_guard lock(mutex_);
  if (windows_.size() > 100'000) {
    const std::int64_t minute = now / kMinuteMs;
    std::erase_if(windows_, [&](const auto& kv) { return kv.second.minute < minute - 1; });
  }
  return AdmitToWindow(windows_[key], limit_, now);
}

}  // namespace aimoviez
