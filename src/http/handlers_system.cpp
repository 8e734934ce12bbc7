#include <fstream>
#include <sstream>

#include "http/handlers.h"
#include "http/metrics.h"
#include "http/static_files.h"

namespace aimoviez::http {

namespace {

HttpResponse Health(RequestContext& ctx) {
  const bool ready = !ctx.services.ready || ctx.services.ready();
  return JsonResponse(ready ? 200 : 503,
                      boost::json::object{{"status", ready ? "ok" : "starting"},
                                          {"version", AIMOVIEZ_VERSION},
                                          {"time", FormatIso8601(ctx.services.clock.NowMs())}});
}

HttpResponse Metrics(RequestContext& ctx) {
  HttpResponse r;
  r.body = ctx.services.metrics.Render();
  r.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.Set("Cache-Control", "no-store");
  return r;
}

HttpResponse Csrf(RequestContext& ctx) {
  ctx.EnsureDeviceCookie();
  return JsonResponse(
      200, boost::json::object{
               {"token", ctx.services.csrf.Issue(ctx.CsrfBinding(), ctx.services.clock.NowMs())}});
}

HttpResponse OpenApi(RequestContext& ctx) {
  std::ifstream in(ctx.services.settings.openapi_path);
  if (!in) return ErrorResponse(Error::NotFound("OpenAPI document"));
  std::ostringstream ss;
  ss << in.rdbuf();
  HttpResponse r;
  r.body = ss.str();
  r.Set("Content-Type", "application/yaml; charset=utf-8");
  r.Set("Cache-Control", "no-cache");
  return r;
}

// A readable index of the API for people; machines read /docs/openapi.yaml.
HttpResponse DocsPage(RequestContext&) {
  HttpResponse r;
  r.body =
      "<!doctype html><html lang=en><head><meta charset=utf-8><title>aimoviez API</title>"
      "<meta name=viewport content='width=device-width,initial-scale=1'>"
      "<style>body{font:16px system-ui;background:#0b0b12;color:#eee;max-width:720px;margin:40px "
      "auto;padding:0 16px}"
      "a{color:#3CF2FF}</style></head><body><h1>aimoviez API</h1>"
      "<p>The OpenAPI 3 description of every route is at <a "
      "href='/docs/openapi.yaml'>/docs/openapi.yaml</a>.</p>"
      "<p>Errors always have the shape <code>{\"error\", \"code\", \"details\"?}</code>. Mutations "
      "need "
      "<code>X-CSRF-Token</code> from <code>GET /api/csrf</code> and a same-origin "
      "request.</p></body></html>";
  r.Set("Content-Type", "text/html; charset=utf-8");
  return r;
}

}  // namespace

void RegisterSystemRoutes(Router& router) {
  // Probes and scrapes come from monitoring, often all from one address: not budgeted.
  constexpr RouteOptions kProbe{.rate = RateClass::kNone};
  router.Add("GET", "/api/health", Health, kProbe);
  router.Add(
      "GET", "/healthz",
      [](RequestContext&) {
        return JsonResponse(200, boost::json::object{{"status", "ok"}});
      },
      kProbe);
  router.Add("GET", "/readyz", Health, kProbe);
  router.Add("GET", "/metrics", Metrics, kProbe);
  // Stateless and needed to sign in: a visitor whose address has used its read budget (a busy
  // campus) must still be able to fetch a token and sign in to be counted as themselves.
  router.Add("GET", "/api/csrf", Csrf, kProbe);
  router.Add("GET", "/docs", DocsPage);
  router.Add("GET", "/docs/openapi.yaml", OpenApi);
  // /ws without the upgrade headers (the server hands real handshakes to the live endpoint).
  router.Add("GET", "/ws", [](RequestContext&) {
    return JsonResponse(426, boost::json::object{{"error", "Open /ws as a WebSocket"},
                                                 {"code", "UPGRADE_REQUIRED"}})
        .Set("Upgrade", "websocket");
  });
  router.SetFallback(ServeWebApp);
}

}  // namespace aimoviez::http
