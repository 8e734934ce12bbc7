#include "http/live_endpoint.h"

#include <spdlog/spdlog.h>

#include "http/metrics.h"
#include "http/router.h"

namespace aimoviez::http {

LiveAdmission LiveEndpoint::Admit(const HttpRequest& request) {
  LiveAdmission out;
  const auto started = std::chrono::steady_clock::now();
  auto refuse = [&](Error error) {
    out.refusal = ErrorResponse(error);
    services_.metrics.Observe(
        request.method, "/ws", out.refusal->status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return std::move(out);
  };
  if (request.path != "/ws") return refuse(Error::NotFound("Route"));
  if (request.method != "GET") {
    return refuse(
        Error{ErrorKind::kMethodNotAllowed, "METHOD_NOT_ALLOWED", "Use GET to open /ws", {}});
  }
  // Browsers always send Origin on a WebSocket handshake; a foreign one is refused. Clients
  // that are not browsers send none and cannot carry a victim's cookies.
  if (!request.Header("origin").empty() && !IsSameOrigin(request, services_.settings)) {
    return refuse(Error::Forbidden("WS_ORIGIN", "Cross-origin WebSocket refused"));
  }
  std::optional<Id> user_id;
  std::string session_hash;
  const std::string token = CookieValue(request.Header("cookie"), kSessionCookie);
  if (!token.empty()) {
    if (auto user = services_.identity.ResolveSession(token)) {
      user_id = user->id;
      session_hash = IdentityService::HashToken(token);
    }
  }
  out.client = std::make_unique<realtime::LiveClient>(hub_, user_id, std::move(session_hash),
                                                      limits_, std::chrono::steady_clock::now());
  services_.metrics.Observe(
      request.method, "/ws", 101,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return out;
}

}  // namespace aimoviez::http
