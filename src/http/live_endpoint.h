// The WebSocket handshake's admission check, kept out of the Beast server: the path must be
// /ws, a browser's Origin must be our own (cross-site WebSocket hijacking would otherwise ride
// the user's cookie), and the session cookie, when valid, identifies the user for the "me"
// channel. An admitted handshake yields the connection's LiveClient.
#pragma once

#include <memory>
#include <optional>

#include "http/http_types.h"
#include "http/request_context.h"
#include "realtime/live_client.h"

namespace aimoviez::http {

struct LiveAdmission {
  std::optional<HttpResponse> refusal;
  std::unique_ptr<realtime::LiveClient> client;
};

class LiveEndpoint {
 public:
  LiveEndpoint(AppServices& services, realtime::Hub& hub, realtime::LiveLimits limits)
      : services_(services), hub_(hub), limits_(limits) {}

  LiveAdmission Admit(const HttpRequest& request);

 private:
  AppServices& services_;
  realtime::Hub& hub_;
  realtime::LiveLimits limits_;
};

}  // namespace aimoviez::http
