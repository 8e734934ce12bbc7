#include "cluster/redis_rate_windows.h"

#include <spdlog/spdlog.h>

namespace aimoviez::cluster {

namespace {

constexpr std::int64_t kMinuteMs = 60'000;

// KEYS: this minute's counter, the previous minute's. ARGV: the limit, and how many milliseconds
// of the previous minute still overlap the last 60 s. The comparison is JudgeWindow's, in the
// same integer units (Lua's doubles hold these products exactly). Returns {allowed, current,
// previous}, the counters as they were before this attempt.
constexpr const char* kAdmitScript = R"lua(
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local limit = tonumber(ARGV[1])
if previous * tonumber(ARGV[2]) + (current + 1) * 60000 > limit * 60000 then
  return {0, current, previous}
end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], 120000)
return {1, current, previous}
)lua";

// KEYS: the day's counter. ARGV: the limit, the counter's lifetime in ms. Returns 1 when counted.
constexpr const char* kAdmitTodayScript = R"lua(
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
)lua";

constexpr std::int64_t kDayMs = 86'400'000;

}  // namespace

RedisRateWindows::RedisRateWindows(redis::Pool& pool, std::string key_prefix)
    : pool_(pool), key_prefix_(std::move(key_prefix)) {}

RateDecision RedisRateWindows::Admit(std::string_view key, int limit, EpochMs now) {
  const std::int64_t minute = now / kMinuteMs;
  const std::string base = key_prefix_ + std::string(key) + ":";
  const auto reply = RunScript(
      {"EVAL", kAdmitScript, "2", base + std::to_string(minute), base + std::to_string(minute - 1),
       std::to_string(limit), std::to_string(kMinuteMs - now % kMinuteMs)},
      [](const redis::Reply& r) {
        return r.type == redis::Reply::Type::kArray && r.elements.size() == 3;
      });
  RateWindow window;
  window.minute = minute;
  window.current = static_cast<int>(reply.elements[1].integer);
  window.previous = static_cast<int>(reply.elements[2].integer);
  RateDecision decision = JudgeWindow(window, limit, now);
  decision.allowed = reply.elements[0].integer == 1;  // the script's verdict is the one counted
  return decision;
}

bool RedisRateWindows::AdmitToday(std::string_view key, int limit_per_day, EpochMs now) {
  const std::string counter =
      key_prefix_ + std::string(key) + ":day:" + std::to_string(now / kDayMs);
  // Kept a day past its own, so a clock a little behind another node's still finds it.
  const auto reply =
      RunScript({"EVAL", kAdmitTodayScript, "1", counter, std::to_string(limit_per_day),
                 std::to_string(2 * kDayMs)},
                [](const redis::Reply& r) { return r.type == redis::Reply::Type::kInteger; });
  return reply.integer == 1;
}

redis::Reply RedisRateWindows::RunScript(const std::vector<std::string>& command,
                                         bool (*well_formed)(const redis::Reply&)) {
  redis::Reply reply;
  try {
    reply = pool_.Command(command);
  } catch (const redis::RedisError& e) {
    if (!e.unavailable()) spdlog::error("rate windows: {}", e.what());
    throw LimitsUnavailable(e.what());
  }
  if (!well_formed(reply)) {
    spdlog::error("rate windows: unexpected script reply");
    throw LimitsUnavailable("unexpected script reply");
  }
  return reply;
}

}  // namespace aimoviez::cluster
