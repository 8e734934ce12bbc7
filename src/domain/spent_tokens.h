// Tokens good for one use (a solved captcha challenge): where a spent one is remembered until it
// expires. In this process (embedded mode), or in the store every node shares (Redis, cluster
// mode), so a token spent on one node is spent on all of them.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/time.h"

namespace aimoviez {

class SpentTokens {
 public:
  virtual ~SpentTokens() = default;
  // Records `token` as spent until `expires`; false when it was spent already, or when it
  // cannot be recorded (fail closed: the caller fetches another). Throws LimitsUnavailable
  // when the shared store cannot be asked.
  virtual bool Spend(std::string_view token, EpochMs expires, EpochMs now) = 0;
};

// This process's record: bounded, expired tokens dropped when it is full.
class LocalSpentTokens final : public SpentTokens {
 public:
  explicit LocalSpentTokens(std::size_t max_live = 200'000) : max_live_(max_live) {}
  bool Spend(std::string_view token, EpochMs expires, EpochMs now) override;

 private:
  std::size_t max_live_;
  std::mutex mutex_;
  std::unordered_map<std::string, EpochMs> spent_;
};

}  // namespace aimoviez
