// The HTTP listener (Boost.Beast/Asio), confined to server.cpp: keep-alive connections, a body
// limit and a read timeout on every request, one write in flight per connection, security
// headers on every response, and a graceful drain on SIGINT/SIGTERM.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/net_address.h"

namespace aimoviez::http {

class Router;
class HttpMetrics;
class LiveEndpoint;
class UploadEndpoint;

// Limits of the WebSocket endpoint (/ws).
struct WebSocketOptions {
  int max_connections = 20000;
  std::size_t max_message_bytes = 4096;  // larger client messages close with 1009
  // Bytes queued for one client before it counts as a slow consumer and is dropped.
  std::size_t send_queue_bytes = 256 * 1024;
  // SO_SNDBUF for WebSocket sockets; 0 keeps the kernel's autotuning (which may grow to MBs
  // per stalled client before the queue above sees any back-pressure).
  int socket_send_buffer_bytes = 0;
  // No frame from the client for this long closes the connection; a ping goes out at half.
  int idle_seconds = 60;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 2;
  std::uint64_t max_body_bytes = 1 << 20;
  int read_timeout_seconds = 30;
  int drain_seconds = 10;
  bool hsts = false;
  std::string media_origin;  // an object-storage origin the pages may load media from
  std::vector<net::AddressRange> trusted_proxies;  // peers whose X-Forwarded-For is believed
  int max_connections_per_ip = 256;                // open at once; trusted proxies exempt
  WebSocketOptions websocket;
};

class HttpServer {
 public:
  // `live` admits WebSocket handshakes and `uploads` takes signed PUTs; without them those
  // requests are refused.
  HttpServer(ServerOptions options, Router& router, HttpMetrics& metrics,
             LiveEndpoint* live = nullptr, UploadEndpoint* uploads = nullptr);
  ~HttpServer();

  // Binds and starts accepting; returns the bound port (useful with port 0).
  std::uint16_t Listen();
  // Runs the worker threads until a signal or Stop() has drained the server.
  // `on_signal` runs once when SIGINT/SIGTERM arrives, before the drain starts.
  void Run(const std::function<void()>& on_signal);
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aimoviez::http
