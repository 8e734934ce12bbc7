#include "http/route_rate_limits.h"

namespace aimoviez::http {

RouteRateLimits::RouteRateLimits(const RateLimitSettings& s)
    : read_(s.read_per_minute),
      api_(s.api_per_minute),
      comment_(s.comment_per_minute),
      auth_(s.auth_per_minute),
      admin_sensitive_(s.admin_sensitive_per_minute),
      contact_(s.contact_per_minute) {}

RateClass RouteRateLimits::Resolve(RateClass declared, std::string_view method) {
  if (declared != RateClass::kByMethod) return declared;
  return method == "GET" || method == "HEAD" ? RateClass::kRead : RateClass::kApi;
}

std::optional<RateDecision> RouteRateLimits::Admit(RateClass cls, std::string_view client,
                                                   std::string_view ip, std::string_view route,
                                                   EpochMs now) {
  switch (cls) {
    case RateClass::kRead:
      return read_.Admit(std::string(client), now);
    case RateClass::kApi:
      return api_.Admit(std::string(client), now);
    case RateClass::kComment:
      return comment_.Admit(std::string(client), now);
    case RateClass::kAdminSensitive:
      return admin_sensitive_.Admit(std::string(client), now);
    case RateClass::kContact:
      return contact_.Admit(std::string(client), now);
    case RateClass::kAuth:
      // Per address and route, signed in or not: the redirect to the provider and the
      // callback each allow the limit, so five complete sign-ins fit in a minute.
      return auth_.Admit(std::string(ip) + "|" + std::string(route), now);
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
