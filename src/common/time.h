// Time as the domain sees it: milliseconds since the Unix epoch, from an injectable clock so
// tests can move across a UTC day boundary or past a voting deadline without sleeping.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aimoviez {

using EpochMs = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual EpochMs NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  EpochMs NowMs() const override;
};

// A clock that reads the system time plus an adjustable offset (tests and the demo use it to
// jump forward in time through an explicit, opt-in configuration switch).
class OffsetClock final : public Clock {
 public:
  EpochMs NowMs() const override;
  void AdvanceMs(EpochMs delta) { offset_ms_ += delta; }
  EpochMs OffsetMs() const { return offset_ms_.load(); }

 private:
  std::atomic<EpochMs> offset_ms_{0};
};

// "2026-11-21T23:16:49.123Z"
std::string FormatIso8601(EpochMs ms);
std::optional<EpochMs> ParseIso8601(std::string_view text);
// Start of the UTC day containing `ms`, and of the next one.
EpochMs UtcDayStart(EpochMs ms);
EpochMs NextUtcDayStart(EpochMs ms);

}  // namespace aimoviez
