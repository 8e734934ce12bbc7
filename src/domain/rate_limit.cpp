#include "domain/rate_limit.h"

#include "domain/rate_windows.h"

#include <algorithm>

namespace aimoviez {

namespace {
constexpr std::int64_t kMinuteMs = 60'000;
}

void RollWindow(RateWindow& w, EpochMs now) {
  const std::int64_t minute = now / kMinuteMs;
  if (minute != w.minute) {
    w.previous = minute == w.minute + 1 ? w.current : 0;
    w.current = 0;
    w.minute = minute;
  }
}

RateDecision JudgeWindow(const RateWindow& w, int limit, EpochMs now) {
  const std::int64_t minute = now / kMinuteMs;
  // In 1/60000ths of an attempt: the overlapping part of the previous minute, this minute, and
  // the attempt being judged.
  const std::int64_t overlap_ms = kMinuteMs - now % kMinuteMs;
  const std::int64_t used_after =
      std::int64_t{w.previous} * overlap_ms + (std::int64_t{w.current} + 1) * kMinuteMs;
  const std::int64_t allowed = std::int64_t{limit} * kMinuteMs;
  RateDecision d;
  d.limit = limit;
  d.reset_at_ms = (minute + 1) * kMinuteMs;
  if (used_after > allowed) {
    d.allowed = false;
    std::int64_t wait_ms = d.reset_at_ms - now;
    if (w.previous > 0 && w.current < limit) {
      // The previous minute must slide out by (used_after - allowed) / previous milliseconds.
      wait_ms = std::min<std::int64_t>(wait_ms, (used_after - allowed) / w.previous + 1);
    }
    d.retry_after_seconds = std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
    return d;
  }
  d.remaining = static_cast<int>((allowed - used_after) / kMinuteMs);
  return d;
}

RateDecision AdmitToWindow(RateWindow& w, int limit, EpochMs now) {
  RollWindow(w, now);
  const RateDecision d = JudgeWindow(w, limit, now);
  if (d.allowed) ++w.current;
  return d;
}

RateWindow& KeyedWindows::For(const std::string& key, EpochMs now) {
  if (auto it = windows_.find(key); it != windows_.end()) return it->second;
  const std::int64_t minute = now / kMinuteMs;
  if (windows_.size() >= kSweepAbove && minute != swept_minute_) {
    swept_minute_ = minute;
    std::erase_if(windows_, [&](const auto& kv) { return kv.second.minute < minute - 1; });
  }
  if (windows_.size() >= kHardCap) windows_.clear();
  return windows_[key];
}

RateDecision LocalRateWindows::Admit(std::string_view key, int limit, EpochMs now) {
  std::lock_guard lock(mutex_);
  return AdmitToWindow(windows_.For(std::string(key), now), limit, now);
}

bool LocalRateWindows::AdmitToday(std::string_view key, int limit_per_day, EpochMs now) {
  const std::int64_t day = now / 86'400'000;
  std::string name(key);
  std::lock_guard lock(mutex_);
  auto it = daily_.find(name);
  if (it == daily_.end()) {
    if (daily_.size() >= kMaxDailyKeys) {
      std::erase_if(daily_, [&](const auto& kv) { return kv.second.day != day; });
      if (daily_.size() >= kMaxDailyKeys) return false;
    }
    it = daily_.emplace(std::move(name), DayCount{}).first;
  }
  if (it->second.day != day) it->second = DayCount{day, 0};
  if (it->second.count >= limit_per_day) return false;
  ++it->second.count;
  return true;
}

}  // namespace aimoviez
