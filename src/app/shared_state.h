// What the nodes of a cluster share besides the records: the request budgets, the spent
// one-use tokens (solved captchas) and the live-push fan-out. Embedded mode keeps both in this
// process; with redis_url they live in Redis, so a client's budget is one budget and a live update
// reaches every node's sockets. The one place that picks these adapters.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "domain/rate_windows.h"
#include "domain/spent_tokens.h"
#include "realtime/hub.h"

namespace aimoviez {

class SharedState {
 public:
  static std::unique_ptr<SharedState> Open(const Config& config);
  virtual ~SharedState() = default;

  virtual RateWindows& rate_windows() = 0;
  virtual SpentTokens& spent_tokens() = 0;
  virtual realtime::Hub& hub() = 0;
  // Lets go of this node's live subscribers (at shutdown, before the transport goes away).
  virtual void ReleaseSubscribers() = 0;
  // For the start-up log line: "in-process" or the Redis URL without its password.
  virtual std::string Describe() const = 0;
};

}  // namespace aimoviez
