#include "app/shared_state.h"

#include "cluster/redis_client.h"
#include "cluster/redis_hub.h"
#include "cluster/redis_rate_windows.h"
#include "cluster/redis_spent_tokens.h"

namespace aimoviez {

namespace {

class InProcessState final : public SharedState {
 public:
  RateWindows& rate_windows() override { return windows_; }
  SpentTokens& spent_tokens() override { return spent_; }
  realtime::Hub& hub() override { return hub_; }
  void ReleaseSubscribers() override { hub_.Clear(); }
  std::string Describe() const override { return "in-process"; }

 private:
  LocalRateWindows windows_;
  LocalSpentTokens spent_;
  realtime::LocalHub hub_;
};

class RedisState final : public SharedState {
 public:
  explicit RedisState(const Config& config)
      : url_(config.redis_url),
        timeout_(config.redis_timeout_ms),
        pool_(redis::Endpoint::Parse(config.redis_url), config.redis_pool_size, timeout_),
        windows_(pool_),
        spent_(pool_),
        hub_(pool_.endpoint(), timeout_) {}
  RateWindows& rate_windows() override { return windows_; }
  SpentTokens& spent_tokens() override { return spent_; }
  realtime::Hub& hub() override { return hub_; }
  void ReleaseSubscribers() override { hub_.Clear(); }
  std::string Describe() const override { return RedactedUrl(url_); }

 private:
  std::string url_;
  std::chrono::milliseconds timeout_;
  redis::Pool pool_;
  cluster::RedisRateWindows windows_;
  cluster::RedisSpentTokens spent_;
  cluster::RedisHub hub_;
};

}  // namespace

std::unique_ptr<SharedState> SharedState::Open(const Config& config) {
  if (config.redis_url.empty()) return std::make_unique<InProcessState>();
  return std::make_unique<RedisState>(config);
}

}  // namespace aimoviez
