#include "http/route_rate_limits.h"

namespace aimoviez::http {

RouteRateLimits::RouteRateLimits(const RateLimitSettings& settings, RateWindows& windows)
    : settings_(settings), windows_(windows) {}

RateClass RouteRateLimits::Resolve(RateClass declared, std::string_view method) {
  if (declared != RateClass::kByMethod) return declared;
  return method == "GET" || method == "HEAD" ? RateClass::kRead : RateClass::kApi;
}

std::optional<RateDecision> RouteRateLimits::Admit(RateClass cls, std::string_view client,
                                                   std::string_view ip, std::string_view route,
                                                   EpochMs now) {
  auto count = [&](std::string_view prefix, std::string_view who, int limit) {
    const std::string key = std::string(prefix) + std::string(who);
    try {
      return windows_.Admit(key, limit, now);
    } catch (const LimitsUnavailable&) {
      if (cls != RateClass::kRead) throw;
      return read_fallback_.Admit(key, limit, now);
    }
  };
  switch (cls) {
    case RateClass::kRead:
      return count("read|", client, settings_.read_per_minute);
    case RateClass::kApi:
      return count("api|", client, settings_.api_per_minute);
    case RateClass::kComment:
      return count("comment|", client, settings_.comment_per_minute);
    case RateClass::kAdminSensitive:
      return count("admin|", client, settings_.admin_sensitive_per_minute);
    case RateClass::kContact:
      return count("contact|", client, settings_.contact_per_minute);
    case RateClass::kAuth:
      // Per address and route, signed in or not: the redirect to the provider and the
      // callback each allow the limit, so five complete sign-ins fit in a minute.
      return count("auth|", std::string(ip) + "|" + std::string(route), settings_.auth_per_minute);
    case RateClass::kByMethod:
    case RateClass::kNone:
      break;
  }
  return std::nullopt;
}

const char* RouteRateLimits::RefusalMessage(RateClass cls) {
  switch (cls) {
    case RateClass::kAuth:
      return "Too many sign-in attempts; try again later";
    case RateClass::kComment:
      return "Too many comment actions; slow down";
    case RateClass::kAdminSensitive:
      return "Too many sensitive admin operations; wait a minute";
    case RateClass::kContact:
      return "Too many reports; wait a minute";
    default:
      return "Too many requests; slow down";
  }
}

}  // namespace aimoviez::http
