#include "cluster/redis_spent_tokens.h"

#include <spdlog/spdlog.h>

#include "domain/rate_windows.h"

namespace aimoviez::cluster {

RedisSpentTokens::RedisSpentTokens(redis::Pool& pool, std::string key_prefix)
    : pool_(pool), key_prefix_(std::move(key_prefix)) {}

bool RedisSpentTokens::Spend(std::string_view token, EpochMs expires, EpochMs now) {
  if (expires <= now) return false;
  redis::Reply reply;
  try {
    // Relative: the node's clock and Redis's need not agree.
    reply = pool_.Command(
        {"SET", key_prefix_ + std::string(token), "1", "NX", "PX", std::to_string(expires - now)});
  } catch (const redis::RedisError& e) {
    if (!e.unavailable()) spdlog::error("spent tokens: {}", e.what());
    throw LimitsUnavailable(e.what());
  }
  // OK: this call spent it; nil: some node had.
  return reply.type == redis::Reply::Type::kStatus;
}

}  // namespace aimoviez::cluster
