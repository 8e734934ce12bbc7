#include "http/router.h"

#include <prometheus/text_serializer.h>
#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>

#include <atomic>

#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/splitmix.h"
#include "http/compression.h"
#include "http/metrics.h"

namespace aimoviez::http {

// ---- Metrics ---------------------------------------------------------------------------------

HttpMetrics::HttpMetrics() : registry_(std::make_shared<prometheus::Registry>()) {
  static std::atomic<std::uint64_t> instances{0};
  instance_ = ++instances;
  requests_ = &prometheus::BuildCounter()
                   .Name("aimoviez_http_requests_total")
                   .Help("HTTP requests by method, route and status")
                   .Register(*registry_);
  latency_ = &prometheus::BuildHistogram()
                  .Name("aimoviez_http_request_duration_seconds")
                  .Help("Time from a complete request to its response, by route")
                  .Register(*registry_);
  open_connections_ = &prometheus::BuildGauge()
                           .Name("aimoviez_http_open_connections")
                           .Help("Open client connections")
                           .Register(*registry_)
                           .Add({});
  refused_connections_ = &prometheus::BuildCounter()
                              .Name("aimoviez_http_connections_refused_total")
                              .Help(
                                  "Connections closed at accept: their address had "
                                  "max_connections_per_ip open")
                              .Register(*registry_)
                              .Add({});
  websocket_connections_ = &prometheus::BuildGauge()
                                .Name("aimoviez_websocket_connections")
                                .Help("Open WebSocket connections")
                                .Register(*registry_)
                                .Add({});
  websocket_messages_sent_ = &prometheus::BuildCounter()
                                  .Name("aimoviez_websocket_messages_sent_total")
                                  .Help("Messages written to WebSocket clients")
                                  .Register(*registry_)
                                  .Add({});
  websocket_slow_dropped_ =
      &prometheus::BuildCounter()
           .Name("aimoviez_websocket_slow_consumers_dropped_total")
           .Help("WebSocket connections closed because their send queue was full")
           .Register(*registry_)
           .Add({});
}

namespace {
// The method label comes from a fixed set: a series per invented method would let anyone grow
// the metrics page (and the server's memory) without bound.
std::string_view MetricMethod(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                "PATCH", "DELETE", "OPTIONS"};
  for (const auto known : kKnown) {
    if (method == known) return known;
  }
  return "OTHER";
}
}  // namespace

void HttpMetrics::Observe(std::string_view raw_method, std::string_view route, int status,
                          double seconds) {
  const std::string_view method = MetricMethod(raw_method);
  // A thread answers the same few (method, route, status) combinations over and over: it keeps
  // the series it used in a small list of its own, found without a lock or a key string.
  struct Cached {
    std::uint64_t instance;
    int status;
    std::string method;
    std::string route;
    Series series;
  };
  constexpr std::size_t kMaxCached = 64;
  thread_local std::vector<Cached> cache;
  Series series{};
  bool found = false;
  for (const auto& c : cache) {
    if (c.instance == instance_ && c.status == status && c.route == route && c.method == method) {
      series = c.series;
      found = true;
      break;
    }
  }
  if (!found) {
    series = FindSeries(method, route, status);
    if (cache.size() >= kMaxCached) cache.clear();
    cache.push_back({instance_, status, std::string(method), std::string(route), series});
  }
  series.requests->Increment();
  series.latency->Observe(seconds);
}

HttpMetrics::Series HttpMetrics::FindSeries(std::string_view method, std::string_view route,
                                            int status) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  std::string key(method);
  key.append(" ").append(route).append(" ").append(std::to_string(status));
  std::lock_guard lock(series_mutex_);
  auto it = series_.find(key);
  if (it == series_.end()) {
    const std::string method_label(method);
    const std::string route_label(route);
    Series created{
        &requests_->Add(
            {{"method", method_label}, {"route", route_label}, {"status", std::to_string(status)}}),
        &latency_->Add({{"route", route_label}}, kBuckets)};
    it = series_.emplace(std::move(key), created).first;
  }
  return it->second;
}

std::string HttpMetrics::Render() const {
  auto families = registry_->Collect();
  for (const auto* source : extra_) {
    auto more = source->Collect();
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  return prometheus::TextSerializer().Serialize(families);
}

// ---- Responses -------------------------------------------------------------------------------

HttpResponse JsonResponse(int status, const boost::json::value& body) {
  return JsonTextResponse(status, boost::json::serialize(body));
}

HttpResponse JsonTextResponse(int status, std::string json_text) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(json_text);
  r.Set("Content-Type", "application/json; charset=utf-8");
  r.Set("Cache-Control", "no-store");
  return r;
}

HttpResponse RedirectResponse(std::string location) {
  HttpResponse r;
  r.status = 302;
  r.Set("Location", std::move(location));
  r.Set("Cache-Control", "no-store");
  return r;
}

void SetRateLimitHeaders(HttpResponse& response, int limit, int remaining, EpochMs reset_at_ms,
                         std::int64_t retry_after_seconds) {
  if (limit <= 0) return;  // nothing was counted
  response.Set("X-RateLimit-Limit", std::to_string(limit));
  response.Set("X-RateLimit-Remaining", std::to_string(remaining));
  response.Set("X-RateLimit-Reset", std::to_string(reset_at_ms / 1000));
  if (retry_after_seconds > 0) response.Set("Retry-After", std::to_string(retry_after_seconds));
}

HttpResponse ErrorResponse(const Error& error) {
  boost::json::object body{{"error", error.message}, {"code", error.code}};
  if (!error.details.empty()) body["details"] = error.details;
  return JsonResponse(HttpStatusFor(error.kind), body);
}

// ---- Routing ---------------------------------------------------------------------------------

struct Router::Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;  // "{name}" segments capture
  SyncHandler sync;
  AsyncHandler async;
  RouteOptions options;
};

struct Router::Match {
  const Route* route;
  std::map<std::string, std::string> params;
};

namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsMutation(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string JsonString(std::string_view text) {
  std::string out;
  json::JsonWriter(out).String(text);
  return out;
}

std::string NewRequestId(const HttpRequest& req) {
  const auto& given = req.Header("x-request-id");
  const bool sane = !given.empty() && given.size() <= 64 &&
                    std::all_of(given.begin(), given.end(), [](unsigned char c) {
                      return std::isalnum(c) || c == '-' || c == '_' || c == '.';
                    });
  if (sane) return given;
  // A correlation id, not a secret: a random start per thread, then a bijective mix of a counter
  // (unique within the thread, unpredictable across threads and restarts) — no RAND_bytes call
  // per request.
  thread_local std::uint64_t state = [] {
    const auto seed = crypto::RandomBytes(8);
    std::uint64_t v = 0;
    for (unsigned char c : seed) v = (v << 8) | c;
    return v;
  }();
  std::uint64_t z = SplitMix64(state);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, z >>= 4) id[static_cast<std::size_t>(i)] = kDigits[z & 0xF];
  return id;
}

}  // namespace

Router::Router(AppServices& services)
    : services_(services), rate_limits_(services.settings.rate_limits, services.rate_windows) {}
Router::~Router() = default;

void Router::Register(std::unique_ptr<Route> route) {
  const bool has_parameter = std::any_of(
      route->segments.begin(), route->segments.end(),
      [](const std::string& s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; });
  if (has_parameter) {
    parameterised_.push_back(route.get());
  } else {
    exact_[route->pattern].push_back(route.get());
  }
  routes_.push_back(std::move(route));
}

void Router::Add(std::string method, std::string pattern, SyncHandler handler, RouteOptions opts) {
  auto r = std::make_unique<Route>();
  r->method = std::move(method);
  r->segments = Split(pattern);
  r->pattern = std::move(pattern);
  r->sync = std::move(handler);
  r->options = opts;
  Register(std::move(r));
}

void Router::AddAsync(std::string method, std::string pattern, AsyncHandler handler,
                      RouteOptions opts) {
  auto r = std::make_unique<Route>();
  r->method = std::move(method);
  r->segments = Split(pattern);
  r->pattern = std::move(pattern);
  r->async = std::move(handler);
  r->options = opts;
  Register(std::move(r));
}

std::optional<Router::Match> Router::Find(const std::string& method, const std::string& path,
                                          bool& path_known) const {
  const auto method_fits = [&method](const Route& route) {
    return route.method == method || (method == "HEAD" && route.method == "GET");
  };
  path_known = false;
  if (const auto it = exact_.find(path); it != exact_.end()) {
    path_known = true;
    for (const Route* route : it->second) {
      if (method_fits(*route)) return Match{route, {}};
    }
  }
  if (parameterised_.empty()) return std::nullopt;
  const auto segments = Split(path);
  for (const Route* route : parameterised_) {
    if (route->segments.size() != segments.size()) continue;
    Match m{route, {}};
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& want = route->segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        if (segments[i].empty())
          ok = false;
        else
          m.params[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        ok = want == segments[i];
      }
    }
    if (!ok) continue;
    path_known = true;
    if (method_fits(*route)) return m;
  }
  return std::nullopt;
}

void Router::Finish(const std::shared_ptr<RequestContext>& ctx, HttpResponse response,
                    const Respond& done, std::string_view route_name) const {
  response.Set("X-Request-Id", ctx->request_id);
  for (auto& [name, value] : ctx->response_headers) response.Set(name, std::move(value));
  if (ctx->route_budget) SetRateLimitHeaders(response, *ctx->route_budget);
  for (auto& cookie : ctx->set_cookies) response.Set("Set-Cookie", std::move(cookie));
  CompressAnswer(ctx->request, response);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx->started).count();
  services_.metrics.Observe(ctx->request.method, route_name, response.status, seconds);
  if (spdlog::should_log(spdlog::level::info)) {
    // The method and path are the client's text: written as escaped JSON strings, so a quote
    // or a newline in them cannot break or forge a log line.
    spdlog::info(
        R"({{"msg":"request","id":"{}","method":{},"path":{},"route":"{}","status":{},"ms":{:.3f},"ip":"{}","user":{}}})",
        ctx->request_id, JsonString(ctx->request.method), JsonString(ctx->request.path), route_name,
        response.status, seconds * 1000, ctx->request.remote_ip,
        ctx->actor.user ? std::to_string(ctx->actor.user->id) : "null");
  }
  done(std::move(response));
}

void Router::Dispatch(HttpRequest request, Respond done) {
  auto ctx = std::make_shared<RequestContext>(std::move(request), services_);
  ctx->request_id = NewRequestId(ctx->request);
  std::string_view route_name = "unmatched";
  try {
    const auto& req = ctx->request;
    // Identity is resolved for every request: handlers never parse cookies themselves.
    ctx->actor.ip = req.remote_ip;
    const std::string device = CookieValue(req.Header("cookie"), kDeviceCookie);
    // Any well-formed device cookie binds CSRF tokens; only one this server signed names the
    // voter. Without it the voter is the request's fingerprint, on a tighter budget.
    if (device.size() >= 16 && device.size() <= 64) ctx->device_cookie = device;
    if (auto key = services_.identity.DeviceKeyForCookie(device)) {
      ctx->actor.device_key = std::move(*key);
      ctx->actor.device_verified = true;
    } else {
      ctx->actor.device_key = services_.identity.DeviceKey(
          {req.remote_ip, req.Header("user-agent"), req.Header("accept-language"),
           req.Header("sec-ch-ua"), req.Header("sec-ch-ua-platform"),
           req.Header("sec-ch-ua-mobile"), req.Header("accept-encoding")});
    }
    const std::string token = CookieValue(req.Header("cookie"), kSessionCookie);
    if (!token.empty()) {
      ctx->actor.user = services_.identity.ResolveSession(token);
      if (ctx->actor.user) {
        ctx->session_token = token;
      } else {
        ctx->ClearSessionCookie();  // expired or revoked: stop sending it
      }
    }

    bool path_known = false;
    auto match = Find(req.method, req.path, path_known);
    if (!match) {
      if (path_known) {
        return Finish(ctx,
                      ErrorResponse(Error{ErrorKind::kMethodNotAllowed,
                                          "METHOD_NOT_ALLOWED",
                                          "Method not allowed on this path",
                                          {}}),
                      done, "unmatched");
      }
      if (req.path.rfind("/api/", 0) == 0 || !fallback_) {
        return Finish(ctx, ErrorResponse(Error::NotFound("Route")), done, "unmatched");
      }
      route_name = "static";
      return Finish(ctx, fallback_(*ctx), done, route_name);
    }
    route_name = match->route->pattern;
    ctx->params = std::move(match->params);
    const auto& opts = match->route->options;

    const RateClass rate_class = RouteRateLimits::Resolve(opts.rate, req.method);
    const std::string client =
        ctx->actor.user ? "u:" + std::to_string(ctx->actor.user->id) : "ip:" + req.remote_ip;
    if (auto rate = rate_limits_.Admit(rate_class, client, req.remote_ip, match->route->pattern,
                                       services_.clock.NowMs())) {
      ctx->route_budget = rate;
      if (!rate->allowed) {
        return Finish(ctx,
                      ErrorResponse(Error{ErrorKind::kRateLimited,
                                          "RATE_LIMITED",
                                          RouteRateLimits::RefusalMessage(rate_class),
                                          {{"retryAfterSeconds", rate->retry_after_seconds}}}),
                      done, route_name);
      }
    }

    if ((IsMutation(req.method) || opts.csrf_on_get) && !opts.skip_csrf) {
      if (!IsSameOrigin(req, services_.settings)) {
        return Finish(
            ctx, ErrorResponse(Error::Forbidden("CSRF_ORIGIN", "Cross-origin request refused")),
            done, route_name);
      }
      const auto verdict = services_.csrf.Verify(req.Header("x-csrf-token"), ctx->CsrfBinding(),
                                                 services_.clock.NowMs());
      if (verdict != CsrfTokens::Verdict::kValid) {
        const char* code =
            verdict == CsrfTokens::Verdict::kExpired ? "CSRF_EXPIRED" : "CSRF_INVALID";
        return Finish(
            ctx,
            ErrorResponse(Error::Forbidden(code, "Missing or invalid CSRF token; fetch /api/csrf")),
            done, route_name);
      }
    }
    if (opts.access != Access::kPublic && !ctx->actor.user) {
      return Finish(ctx, ErrorResponse(Error::AuthRequired()), done, route_name);
    }
    if (opts.access == Access::kAdmin && !ctx->actor.is_admin()) {
      return Finish(ctx, ErrorResponse(Error::Forbidden("ADMIN_REQUIRED", "Admin access required")),
                    done, route_name);
    }
    if (match->route->sync) {
      return Finish(ctx, match->route->sync(*ctx), done, route_name);
    }
    // The async handler may answer from another thread; the context lives until it does.
    match->route->async(*ctx, [this, ctx, done, route_name](HttpResponse response) {
      Finish(ctx, std::move(response), done, route_name);
    });
    return;
  } catch (const ApiError& e) {
    return Finish(ctx, ErrorResponse(e.error()), done, route_name);
  } catch (const StorageFailure& e) {
    if (e.transient()) {
      spdlog::warn(R"({{"msg":"storage unavailable","id":"{}","error":"{}"}})", ctx->request_id,
                   e.what());
      return Finish(ctx, ErrorResponse(StorageFailure::UnavailableError()), done, route_name);
    }
    spdlog::error(R"({{"msg":"unhandled","id":"{}","error":"{}"}})", ctx->request_id, e.what());
    return Finish(ctx, ErrorResponse(Error::Internal()), done, route_name);
  } catch (const std::exception& e) {
    spdlog::error(R"({{"msg":"unhandled","id":"{}","error":"{}"}})", ctx->request_id, e.what());
    return Finish(ctx, ErrorResponse(Error::Internal()), done, route_name);
  }
}

}  // namespace aimoviez::http
