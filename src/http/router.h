// Routing and the middleware every request passes through, in order: request id, identity
// (session cookie → user, fingerprint → device key), CSRF and same-origin check on mutations,
// route access level, the handler, then error mapping, security headers, metrics and the access
// log. Handlers are thin: parse input, call one service, render.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/rate_limit.h"
#include "http/http_types.h"
#include "http/request_context.h"
#include "http/route_rate_limits.h"

namespace aimoviez::http {

enum class Access { kPublic, kSignedIn, kAdmin };

// Lets an unordered_map keyed by std::string be searched with a string_view.
struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

using SyncHandler = std::function<HttpResponse(RequestContext&)>;
// An async handler answers later (e.g. after a group commit) by calling `respond` exactly once.
using Respond = std::function<void(HttpResponse)>;
using AsyncHandler = std::function<void(RequestContext&, Respond)>;

struct RouteOptions {
  Access access = Access::kPublic;
  bool skip_csrf = false;    // only for endpoints that carry their own proof (none yet)
  bool csrf_on_get = false;  // a GET that hands out a capability (a signed upload URL)
  // The request budget the route counts against (spec 21.5), checked before CSRF and access so
  // refused attempts count too. Answers carry X-RateLimit-* (and Retry-After on 429).
  RateClass rate = RateClass::kByMethod;
};

// The options of most administration routes.
inline constexpr RouteOptions kAdmin{Access::kAdmin};

class Router {
 public:
  explicit Router(AppServices& services);
  ~Router();

  void Add(std::string method, std::string pattern, SyncHandler handler, RouteOptions opts = {});
  void AddAsync(std::string method, std::string pattern, AsyncHandler handler,
                RouteOptions opts = {});
  // Requests no route claims (static files, the SPA, media) go here.
  void SetFallback(SyncHandler handler) { fallback_ = std::move(handler); }

  void Dispatch(HttpRequest request, Respond done);

 private:
  struct Route;
  struct Match;
  std::optional<Match> Find(const std::string& method, const std::string& path,
                            bool& path_known) const;
  // route_name is a route's pattern or a literal: it outlives every request.
  void Finish(const std::shared_ptr<RequestContext>& ctx, HttpResponse response,
              const Respond& done, std::string_view route_name) const;
  void Register(std::unique_ptr<Route> route);

  AppServices& services_;
  std::vector<std::unique_ptr<Route>> routes_;
  // Routes without parameters by their exact path, found without splitting the request's path;
  // only the others are matched segment by segment.
  std::unordered_map<std::string, std::vector<const Route*>, TransparentHash, std::equal_to<>>
      exact_;
  std::vector<const Route*> parameterised_;
  SyncHandler fallback_;
  RouteRateLimits rate_limits_;
};

// The standard headers of an answer counted against a budget: X-RateLimit-Limit, -Remaining and
// -Reset (epoch seconds), and Retry-After when the request was refused. The one place they are
// written: the route budgets (Router), the vote engine's limits and the upload-URL limit.
void SetRateLimitHeaders(HttpResponse& response, int limit, int remaining, EpochMs reset_at_ms,
                         std::int64_t retry_after_seconds);
inline void SetRateLimitHeaders(HttpResponse& response, const RateDecision& rate) {
  SetRateLimitHeaders(response, rate.limit, rate.remaining, rate.reset_at_ms,
                      rate.allowed ? 0 : rate.retry_after_seconds);
}

// Renders the shared error shape {"error", "code", "details"?} with the mapped status.
HttpResponse ErrorResponse(const Error& error);
HttpResponse JsonResponse(int status, const boost::json::value& body);
// A 302 to a path of this site, never cached.
HttpResponse RedirectResponse(std::string location);
// An answer whose JSON text is already written (json::JsonWriter).
HttpResponse JsonTextResponse(int status, std::string json_text);

}  // namespace aimoviez::http
