// Spent one-use tokens in Redis: SET NX with the token's expiry, so the first node to spend a
// token wins and every other node sees it spent; Redis forgets it when it expires.
#pragma once

#include <string>

#include "cluster/redis_client.h"
#include "domain/spent_tokens.h"

namespace aimoviez::cluster {

class RedisSpentTokens final : public SpentTokens {
 public:
  explicit RedisSpentTokens(redis::Pool& pool, std::string key_prefix = "aimoviez:spent:");
  bool Spend(std::string_view token, EpochMs expires, EpochMs now) override;

 private:
  redis::Pool& pool_;
  std::string key_prefix_;
};

}  // namespace aimoviez::cluster
