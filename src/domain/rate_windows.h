// Where sliding rate windows are counted: in this process (embedded mode), or in a store every
// node shares (Redis, cluster mode), so a client's budget is one budget whichever node it reaches.
#pragma once

#include <string_view>

#include "domain/errors.h"
#include "domain/rate_limit.h"

namespace aimoviez {

// The shared store could not be asked. Limits fail closed: the request that needed the limit is
// refused with 503 LIMITS_UNAVAILABLE instead of passing unchecked.
class LimitsUnavailable : public ApiError {
 public:
  explicit LimitsUnavailable(const std::string& cause)
      : ApiError(Error{ErrorKind::kUnavailable,
                       "LIMITS_UNAVAILABLE",
                       "Request limits cannot be checked right now; try again shortly",
                       {}}),
        cause_(cause) {}
  const std::string& cause() const { return cause_; }

 private:
  std::string cause_;
};

class RateWindows {
 public:
  virtual ~RateWindows() = default;
  // Counts the attempt under `key` if `limit_per_minute` allows it, and says what is left.
  // Throws LimitsUnavailable when the windows live elsewhere and cannot be reached.
  virtual RateDecision Admit(std::string_view key, int limit_per_minute, EpochMs now) = 0;
  // Counts one more under `key` for now's UTC day if fewer than `limit_per_day` were counted;
  // whether it did. Throws LimitsUnavailable like Admit.
  virtual bool AdmitToday(std::string_view key, int limit_per_day, EpochMs now) = 0;
};

// This process's windows: a map of 16-byte windows, stale keys dropped as it grows.
class LocalRateWindows final : public RateWindows {
 public:
  RateDecision Admit(std::string_view key, int limit_per_minute, EpochMs now) override;
  bool AdmitToday(std::string_view key, int limit_per_day, EpochMs now) override;

 private:
  struct DayCount {
    std::int64_t day = -1;
    int count = 0;
  };
  // Past this many keys counted today, a new key is refused: the map has a bound.
  static constexpr std::size_t kMaxDailyKeys = 100'000;
  std::mutex mutex_;
  KeyedWindows windows_;
  std::unordered_map<std::string, DayCount> daily_;
};

}  // namespace aimoviez
