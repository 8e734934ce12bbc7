// Rate windows every node shares, counted in Redis: one Lua script per attempt reads this
// minute's and the previous minute's counters and increments this minute's only when the same
// rule as the in-process windows allows it, so the check and the count are one atomic step.
#pragma once

#include <string>
#include <vector>

#include "cluster/redis_client.h"
#include "domain/rate_windows.h"

namespace aimoviez::cluster {

class RedisRateWindows final : public RateWindows {
 public:
  explicit RedisRateWindows(redis::Pool& pool, std::string key_prefix = "aimoviez:rate:");
  // Throws LimitsUnavailable when Redis cannot be reached in time.
  RateDecision Admit(std::string_view key, int limit_per_minute, EpochMs now) override;
  bool AdmitToday(std::string_view key, int limit_per_day, EpochMs now) override;

 private:
  // Runs one script; an unreachable Redis or a reply `well_formed` rejects is LimitsUnavailable,
  // so a limit is never taken as passed when it could not be checked.
  redis::Reply RunScript(const std::vector<std::string>& command,
                         bool (*well_formed)(const redis::Reply&));

  redis::Pool& pool_;
  std::string key_prefix_;
};

}  // namespace aimoviez::cluster
