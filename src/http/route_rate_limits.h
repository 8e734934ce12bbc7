// The per-client request budgets of spec 21.5, by route class: reads, other API calls, comment
// actions, sign-in attempts, sensitive admin operations and reports, each a sliding window per
// minute.
// The vote and the upload-URL routes keep their own, finer limits in their services (per voter
// and network; per user). A client is the signed-in user, or else the client address.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/rate_windows.h"

namespace aimoviez::http {

enum class RateClass {
  kByMethod,        // the default: kRead for GET and HEAD, kApi for the rest
  kNone,            // limited elsewhere (votes, upload URLs) or by nothing (health, metrics)
  kRead,            // spec "read": 120/min
  kApi,             // spec "api": 60/min
  kComment,         // spec "comment": 15/min, every comment action
  kAuth,            // spec "auth": 5/min, per client address and route
  kAdminSensitive,  // spec "admin_sensitive": 5/min
  kContact,         // spec "contact": 3/min, reports
};

struct RateLimitSettings {
  int read_per_minute = 120;
  int api_per_minute = 60;
  int comment_per_minute = 15;
  int auth_per_minute = 5;
  int admin_sensitive_per_minute = 5;
  int contact_per_minute = 3;
};

class RouteRateLimits {
 public:
  // `windows` counts the budgets: this process's, or the cluster's shared ones.
  RouteRateLimits(const RateLimitSettings& settings, RateWindows& windows);

  static RateClass Resolve(RateClass declared, std::string_view method);
  // Counts the request against its class; nullopt for kNone. `client` is "u:<id>" or
  // "ip:<address>"; sign-in routes are counted per address and route instead. When shared
  // windows cannot be reached, reads are counted in this process instead (the site stays
  // readable, each node holding the read budget); every other class throws LimitsUnavailable.
  std::optional<RateDecision> Admit(RateClass cls, std::string_view client, std::string_view ip,
                                    std::string_view route, EpochMs now);
  // What a refusal says, per class.
  static const char* RefusalMessage(RateClass cls);

 private:
  RateLimitSettings settings_;
  RateWindows& windows_;
  LocalRateWindows read_fallback_;
};

}  // namespace aimoviez::http
