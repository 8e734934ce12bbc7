#include "http/server.h"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <sys/resource.h>
#include <vector>

#include "common/thread_name.h"
#include "http/file_slice_body.h"
#include "http/live_endpoint.h"
#include "http/metrics.h"
#include "http/peer_connections.h"
#include "http/request_target.h"
#include "http/router.h"
#include "http/upload_endpoint.h"
#include "realtime/hub.h"

namespace aimoviez::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
// Connections use their context's executor type, not the type-erased any_io_executor: every
// completion of every read and write went through the erased executor's copies, moves and
// dispatch (35.3 K -> 30.8 K user instructions for a plain GET once removed).
using ContextExecutor = asio::io_context::executor_type;
using Socket = tcp::socket::rebind_executor<ContextExecutor>::other;
using Stream = beast::basic_stream<tcp, ContextExecutor, beast::unlimited_rate_policy>;

namespace {

// Milliseconds on the steady clock: connection deadlines.
std::int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// `media_origin` (an object-storage origin serving clips, and taking direct uploads) is allowed
// for images, media and fetches besides our own origin.
std::string ContentSecurityPolicy(const std::string& media_origin) {
  const std::string extra = media_origin.empty() ? "" : " " + media_origin;
  return "default-src 'self'; img-src 'self' data: blob:" + extra +
         "; media-src 'self' blob:" + extra +
         "; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self' ws: wss:" +
         extra +
         "; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
         "object-src 'none'";
}

// Headers every response carries, as they go on the wire (the CSP only when the handler did
// not set its own).
// The one list both response paths (Decorate for files, SendInMemory for the rest) apply.
constexpr std::pair<std::string_view, std::string_view> kSecurityHeaders[] = {
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(self), microphone=(self), geolocation=()"}};
constexpr std::pair<std::string_view, std::string_view> kHstsHeader = {"Strict-Transport-Security",
                                                                       "max-age=31536000"};

std::string FixedSecurityHeaders(bool hsts) {
  std::string out;
  auto add = [&out](const auto& header) {
    out.append(header.first).append(": ").append(header.second).append("\r\n");
  };
  for (const auto& header : kSecurityHeaders) add(header);
  if (hsts) add(kHstsHeader);
  return out;
}

// A header name or value as written: CR and LF (which would end the header early) become spaces.
// Appended whole, then one pass over it (find_first_of with a two-character set had called
// memchr once per character: 2 % of a vote's instructions).
void AppendHeaderText(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out.append(text);
  std::replace_if(
      out.begin() + static_cast<std::ptrdiff_t>(start), out.end(),
      [](char c) { return c == '\r' || c == '\n'; }, ' ');
}

// Converts the parsed Beast request to the transport-neutral form; false on a bad target.
bool ToHttpRequest(bhttp::request<bhttp::string_body>& in, const std::string& peer_ip,
                   const std::vector<net::AddressRange>& trusted_proxies, HttpRequest& out) {
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  if (!ParseRequestTarget(out.target, out.path, out.query)) return false;
  out.headers.reserve(16);
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // field names are ASCII
    }
    auto same = std::find_if(out.headers.begin(), out.headers.end(),
                             [&](const auto& header) { return header.first == name; });
    if (same == out.headers.end()) {
      out.headers.emplace_back(std::move(name), std::string(field.value()));
      continue;
    }
    std::string& merged = same->second;
    if (!merged.empty()) merged += name == "cookie" ? "; " : ", ";
    merged.append(field.value());
  }
  out.body = std::move(in.body());  // the parsed request is not used for its body afterwards
  // Behind a trusted reverse proxy the client is named by X-Forwarded-For; from anyone else
  // that header is the client's own claim and ignored.
  out.remote_ip = net::ClientAddress(peer_ip, out.Header("x-forwarded-for"), trusted_proxies);
  return true;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ServerOptions options, Router& router, HttpMetrics& metrics, LiveEndpoint* live,
       UploadEndpoint* uploads)
      : options_(std::move(options)),
        router_(router),
        metrics_(metrics),
        live_(live),
        uploads_(uploads),
        contexts_(MakeContexts(options_.threads)),
        acceptor_(*contexts_.front()),
        signals_(*contexts_.front(), SIGINT, SIGTERM),
        drain_timer_(*contexts_.front()) {
    for (auto& context : contexts_) keep_running_.emplace_back(context->get_executor());
  }

  class Session;
  class WebSocketSession;

  std::uint16_t Listen() {
    const auto address = asio::ip::make_address(options_.host);
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    LimitConnectionsToDescriptors();
    Accept();
    SweepDeadlines();
    return acceptor_.local_endpoint().port();
  }

  void Run(const std::function<void()>& on_signal) {
    signals_.async_wait([this, on_signal](const beast::error_code& ec, int sig) {
      if (ec) return;
      spdlog::info(R"({{"msg":"signal received, draining","signal":{}}})", sig);
      if (on_signal) on_signal();
      BeginDrain();
    });
    std::vector<std::thread> workers;
    for (std::size_t i = 1; i < contexts_.size(); ++i) {
      workers.emplace_back([this, i] {
        NameThisThread("http-" + std::to_string(i));
        contexts_[i]->run();
      });
    }
    contexts_.front()->run();  // the main thread keeps the process's name (pgrep, ps)
    for (auto& t : workers) t.join();
  }

  void Stop() {
    asio::post(*contexts_.front(), [this] { BeginDrain(); });
  }

  bool draining() const { return draining_.load(); }
  const std::string& csp() const { return csp_; }
  const std::string& fixed_headers() const { return fixed_headers_; }
  const std::string& csp_header() const { return csp_header_; }
  const ServerOptions& options() const { return options_; }
  Router& router() { return router_; }
  HttpMetrics& metrics() { return metrics_; }
  LiveEndpoint* live() { return live_; }
  UploadEndpoint* uploads() { return uploads_; }

  void SessionOpened(const std::shared_ptr<Session>& session);
  void SessionClosed(Session* session);
  // False when the server is full or draining; a true return must be paired with
  // WebSocketClosed.
  bool WebSocketOpening(const std::shared_ptr<WebSocketSession>& session);
  void WebSocketClosed(WebSocketSession* session);

 private:
  // One io_context per HTTP thread, each run by that thread alone: a connection lives on one
  // context for its whole life, so its handlers need no strand, and the threads share no
  // scheduler lock or epoll set (with one shared context, every readiness event went through
  // one lock and woke a second thread). Connections are dealt out round-robin as accepted.
  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int threads) {
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    for (int i = 0; i < std::max(threads, 1); ++i) {
      contexts.push_back(std::make_unique<asio::io_context>(1));
    }
    return contexts;
  }

  void Accept();
  void LimitConnectionsToDescriptors();
  void ResumeAccepting();
  void StopContexts();
  // Once a second: cuts the connections whose read or write deadline has passed.
  void SweepDeadlines();

  // Stops accepting; open connections finish their current exchange and close; after the drain
  // period whatever is left is cut.
  void BeginDrain();

  ServerOptions options_;
  Router& router_;
  HttpMetrics& metrics_;
  LiveEndpoint* live_;
  UploadEndpoint* uploads_;
  std::string csp_ = ContentSecurityPolicy(options_.media_origin);
  std::string fixed_headers_ = FixedSecurityHeaders(options_.hsts);
  std::string csp_header_ = "Content-Security-Policy: " + csp_ + "\r\n";
  // Declared before the io_context: handlers it destroys on shutdown still unregister here.
  std::atomic<bool> draining_{false};
  // Set once the contexts are told to stop: connections destroyed with their context afterwards
  // (possibly after the first context is gone) must not post to it.
  std::atomic<bool> stopped_{false};
  std::atomic<int> sessions_{0};
  PeerConnections peers_{options_.max_connections_per_ip, options_.trusted_proxies};
  std::mutex registry_mutex_;
  std::unordered_map<Session*, std::weak_ptr<Session>> registry_;
  std::unordered_map<WebSocketSession*, std::weak_ptr<WebSocketSession>> websockets_;
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  // Keeps each context's run() going while it has no connection yet.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running_;
  std::size_t next_context_ = 0;  // used on the acceptor's context only
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer drain_timer_;
  asio::steady_timer sweep_timer_{*contexts_.front()};
  // Out of descriptors (EMFILE/ENFILE) or memory, accept fails at once and would fail again at
  // once: the acceptor waits instead, 10 ms doubling to 1 s, and logs once per failing spell.
  asio::steady_timer accept_backoff_{*contexts_.front()};
  std::chrono::milliseconds accept_delay_{0};
  // At the connection limit the acceptor stops (used on the acceptor's context only); the next
  // connection to close lets it go on. Waiting clients queue in the kernel's listen backlog.
  bool accept_paused_ = false;
};

// One WebSocket client. Reads the client's messages one at a time and hands them to its
// LiveClient; pushes from the hub queue here (shared payloads, no copies) and are written one
// at a time. A client whose queue passes the byte limit is cut off: a slow reader costs at
// most that much memory.
class HttpServer::Impl::WebSocketSession final
    : public realtime::Subscriber,
      public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(Impl& server, Socket socket, PeerConnections::Slot slot,
                   std::unique_ptr<realtime::LiveClient> client)
      : server_(server),
        slot_(std::move(slot)),
        ws_(std::move(socket)),
        client_(std::move(client)) {}

  ~WebSocketSession() override {
    if (registered_) server_.WebSocketClosed(this);
  }

  void Start(bhttp::request<bhttp::string_body> request) {
    const auto& limits = server_.options().websocket;
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(10);
    timeouts.idle_timeout = std::chrono::seconds(limits.idle_seconds);
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.read_message_max(limits.max_message_bytes);
    if (limits.socket_send_buffer_bytes > 0) {
      beast::error_code ignored;
      beast::get_lowest_layer(ws_).socket().set_option(
          asio::socket_base::send_buffer_size(limits.socket_send_buffer_bytes), ignored);
    }
    ws_.auto_fragment(false);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(bhttp::field::server, "aimoviez");
      res.set("X-Content-Type-Options", "nosniff");
    }));
    registered_ = server_.WebSocketOpening(shared_from_this());
    if (!registered_) {
      // Full or draining: answer the handshake with 503 instead of upgrading.
      auto response = std::make_shared<bhttp::response<bhttp::string_body>>(
          bhttp::status::service_unavailable, request.version());
      response->set(bhttp::field::content_type, "application/json; charset=utf-8");
      response->set(bhttp::field::retry_after, "5");
      response->body() = R"({"error":"Too many live connections","code":"WS_UNAVAILABLE"})";
      response->prepare_payload();
      response->keep_alive(false);
      auto& stream = beast::get_lowest_layer(ws_);
      bhttp::async_write(stream, *response,
                         [self = shared_from_this(), response](beast::error_code, std::size_t) {
                           beast::error_code ignored;
                           beast::get_lowest_layer(self->ws_).socket().shutdown(
                               tcp::socket::shutdown_both, ignored);
                         });
      return;
    }
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Finish();
      self->server_.metrics().websocket_connections().Increment();
      self->counted_ = true;
      self->client_->Attach(self);
      self->Read();
    });
  }

  void Deliver(const realtime::Payload& message) override {
    asio::post(ws_.get_executor(),
               [self = shared_from_this(), message] { self->Enqueue(message); });
  }

  void Disconnect(int code, std::string_view reason) override {
    asio::post(ws_.get_executor(), [self = shared_from_this(), code, why = std::string(reason)] {
      self->CloseWith(static_cast<websocket::close_code>(code), why);
    });
  }

  // Drain: tell the client we are going away.
  void GoingAway() {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      self->CloseWith(websocket::close_code::going_away, "server shutting down");
    });
  }

 private:
  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->OnRead(ec);
    });
  }

  void OnRead(beast::error_code ec) {
    // Any read failure ends the connection: the peer closed, the idle timer fired, or a frame
    // broke a limit (Beast has already sent the close frame, e.g. 1009 for a too-big message).
    if (ec) return Finish();
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (!ws_.got_text()) return CloseWith(websocket::close_code::bad_payload, "text frames only");
    auto action = client_->OnMessage(text, shared_from_this(), std::chrono::steady_clock::now());
    if (!action.reply.empty()) Enqueue(realtime::MakePayload(std::move(action.reply)));
    if (action.close_code != 0) {
      return CloseWith(static_cast<websocket::close_code>(action.close_code), action.close_reason);
    }
    Read();
  }

  void Enqueue(const realtime::Payload& message) {
    if (closing_) return;
    if (queued_bytes_ + message->size() > server_.options().websocket.send_queue_bytes) {
      server_.metrics().websocket_slow_dropped().Increment();
      closing_ = true;
      queue_.clear();
      queued_bytes_ = 0;
      // No close handshake: the peer is not reading. Closing the socket fails the pending
      // read, which detaches the client from the hub.
      beast::error_code ignored;
      beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(ws_).socket().close(ignored);
      return;
    }
    queued_bytes_ += message->size();
    queue_.push_back(message);
    if (!writing_) WriteNext();
  }

  void WriteNext() {
    writing_ = true;
    ws_.text(true);
    // The handler keeps the payload alive: a drop may clear the queue mid-write.
    auto message = queue_.front();
    ws_.async_write(asio::buffer(*message),
                    [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                      self->writing_ = false;
                      if (self->queue_.empty()) return;  // dropped meanwhile
                      self->queued_bytes_ -= self->queue_.front()->size();
                      self->queue_.pop_front();
                      if (ec)
                        return;  // the pending read reports the failure and finishes the session
                      self->server_.metrics().websocket_messages_sent().Increment();
                      if (!self->queue_.empty() && !self->closing_) self->WriteNext();
                    });
  }

  void CloseWith(websocket::close_code code, std::string reason) {
    if (closing_) return;
    closing_ = true;
    queue_.clear();
    queued_bytes_ = 0;
    websocket::close_reason why(code);
    why.reason = std::move(reason);
    ws_.async_close(why, [self = shared_from_this()](beast::error_code) {
      // The pending read completes with `closed` once the peer answers (or the timeout fires).
    });
  }

  void Finish() {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    queue_.clear();
    client_->Detach();  // the hub releases its references to this session
    if (counted_) server_.metrics().websocket_connections().Decrement();
    counted_ = false;
  }

  Impl& server_;
  PeerConnections::Slot slot_;  // the client's place, handed on from its HTTP connection
  websocket::stream<Stream> ws_;
  beast::flat_buffer buffer_;
  std::unique_ptr<realtime::LiveClient> client_;
  std::deque<realtime::Payload> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
  bool registered_ = false;
  bool counted_ = false;
};

class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, Socket socket, PeerConnections::Slot slot)
      : server_(server), socket_(std::move(socket)), slot_(std::move(slot)) {}
  ~Session() { server_.SessionClosed(this); }

  void Start() {
    server_.SessionOpened(shared_from_this());
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  bool Overdue(std::int64_t now_ms) const {
    return deadline_ms_.load(std::memory_order_relaxed) <= now_ms;
  }

  // Cuts the connection if the deadline of what it is doing has passed (the server's sweep calls
  // this from its own thread; the check is repeated on the connection's thread, which may have
  // moved on to a new phase meanwhile). The pending read or write ends with operation_aborted.
  void CutIfOverdue() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      if (self->Overdue(SteadyMs())) self->Cut();
    });
  }

  void CloseIfIdle() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      if (self->idle_ && self->buffer_.size() == 0) self->Cut();
    });
  }

 private:
  void Read() {
    parser_.emplace();
    // The limit is applied once the header says which route this is (uploads have their own).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    parser_->header_limit(16 * 1024);
    SetDeadline(server_.options().read_timeout_seconds);
    idle_ = true;
    if (server_.draining() && buffer_.size() == 0) return Close();
    // The header first: an upload is decided on before any of its body is read.
    bhttp::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    idle_ = false;
    // A request's headers are held in a small vector searched by name; a header made of
    // thousands of tiny fields is refused rather than searched (servers commonly allow ~100).
    if (!ec && std::distance(parser_->get().begin(), parser_->get().end()) > kMaxHeaderFields) {
      return SendError(431, "HEADERS_TOO_LARGE", "Too many request header fields", true);
    }
    if (!ec && server_.uploads() != nullptr) {
      const auto& head = parser_->get();
      if (UploadEndpoint::Claims(std::string(head.method_string()),
                                 std::string(head.target().substr(0, head.target().find('?'))))) {
        return BeginUpload();
      }
    }
    if (ec) return OnRead(ec);
    const auto limit = server_.options().max_body_bytes;
    if (const auto length = parser_->content_length(); length && *length > limit) {
      return SendError(413, "PAYLOAD_TOO_LARGE", "Request body is larger than the limit", true);
    }
    parser_->body_limit(limit);
    bhttp::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec2, std::size_t) { self->OnRead(ec2); });
  }

  // Streams an admitted upload into a temporary file; refusals are answered from the header
  // alone and the connection is closed without reading the body.
  void BeginUpload() {
    idle_ = false;
    auto& head = parser_->get();  // only the header has been read: there is no body to move
    keep_alive_ = head.keep_alive();
    version_ = head.version();
    head_ = false;
    HttpRequest converted;
    if (!ToHttpRequest(head, slot_->ip(), server_.options().trusted_proxies, converted)) {
      return SendError(400, "BAD_REQUEST", "Malformed request target", true);
    }
    auto admission = std::make_shared<UploadAdmission>(server_.uploads()->Admit(converted));
    if (admission->refusal) {
      keep_alive_ = false;
      LeaveBodyUnread(/*at_header=*/true);
      return Write(std::move(*admission->refusal));
    }
    upload_parser_.emplace(std::move(*parser_));
    upload_parser_->body_limit(admission->max_bytes);
    beast::error_code ec;
    upload_parser_->get().body().open(admission->temp_path.c_str(), beast::file_mode::write_new,
                                      ec);
    if (ec) {
      keep_alive_ = false;
      LeaveBodyUnread(/*at_header=*/false);  // the header parser has moved into upload_parser_
      return Write(ErrorResponse(Error::Internal("Could not open a temporary file")));
    }
    SetDeadline(server_.uploads()->timeout_seconds());
    bhttp::async_read(
        socket_, buffer_, *upload_parser_,
        [self = shared_from_this(), admission](beast::error_code read_ec, std::size_t) {
          self->OnUploadRead(read_ec, *admission);
        });
  }

  void OnUploadRead(beast::error_code ec, const UploadAdmission& admission) {
    upload_parser_->get().body().close();
    std::error_code size_ec;
    const auto bytes = std::filesystem::file_size(admission.temp_path, size_ec);
    upload_parser_.reset();
    ClearDeadline();
    if (ec) {
      // Over the limit: say so and drop the connection (the rest of the body is not read).
      const bool too_large = ec == bhttp::error::body_limit;
      auto response = server_.uploads()->Abort(admission, too_large);
      if (!too_large) return Close();
      keep_alive_ = false;
      LeaveBodyUnread(/*at_header=*/false);
      return Write(std::move(response));
    }
    Write(server_.uploads()->Complete(admission, bytes));
  }

  void OnRead(beast::error_code ec) {
    idle_ = false;
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      return Close();
    }
    if (ec == bhttp::error::body_limit) {
      return SendError(413, "PAYLOAD_TOO_LARGE", "Request body is larger than the limit");
    }
    if (ec == bhttp::error::header_limit) {
      return SendError(431, "HEADERS_TOO_LARGE", "Request headers are too large");
    }
    if (ec) return SendError(400, "BAD_REQUEST", "Malformed HTTP request");

    auto request = parser_->release();
    keep_alive_ = request.keep_alive();
    HttpRequest converted;
    if (!ToHttpRequest(request, slot_->ip(), server_.options().trusted_proxies, converted)) {
      return SendError(400, "BAD_REQUEST", "Malformed request target");
    }
    head_ = request.method() == bhttp::verb::head;
    version_ = request.version();
    if (websocket::is_upgrade(request)) return Upgrade(std::move(request), converted);
    // No timeout while the handler works (it may wait for a group commit).
    ClearDeadline();
    server_.router().Dispatch(std::move(converted),
                              [self = shared_from_this()](HttpResponse response) {
                                // Responses may come from any thread; the write happens on the
                                // connection's own context.
                                asio::dispatch(self->socket_.get_executor(),
                                               [self, response = std::move(response)]() mutable {
                                                 self->Write(std::move(response));
                                               });
                              });
  }

  // Hands the connection to a WebSocket session when the endpoint admits the handshake; this
  // HTTP session ends here either way (a refusal closes the connection).
  void Upgrade(bhttp::request<bhttp::string_body> request, const HttpRequest& converted) {
    LiveAdmission admission;
    if (server_.live() == nullptr) {
      admission.refusal = ErrorResponse(Error::NotFound("Route"));
    } else {
      admission = server_.live()->Admit(converted);
    }
    if (admission.refusal) {
      keep_alive_ = false;
      return Write(std::move(*admission.refusal));
    }
    ClearDeadline();  // the WebSocket session keeps its own timeouts
    std::make_shared<WebSocketSession>(server_, std::move(socket_), std::move(*slot_),
                                       std::move(admission.client))
        ->Start(std::move(request));
    slot_.reset();  // handed on with the socket
  }

  // `at_header`: only the request's header has been read (its body, if any, is all unread).
  void SendError(int status, const char* code, const char* message, bool at_header = false) {
    HttpResponse r = ErrorResponse(Error{ErrorKind::kInvalidInput, code, message, {}});
    r.status = status;
    keep_alive_ = false;  // the rest of the stream cannot be trusted
    LeaveBodyUnread(at_header);
    Write(std::move(r));
  }

  // The answer goes out before the request's body has been read. With only the header read and
  // a declared length, exactly that much is still to come; otherwise (chunked, or refused
  // mid-body) the client's close ends it.
  void LeaveBodyUnread(bool at_header) {
    boost::optional<std::uint64_t> length;
    if (at_header && parser_) length = parser_->content_length();
    unread_ = length ? Unread::kLength : Unread::kUntilClose;
    unread_bytes_ = length.value_or(0);
  }

  template <typename Message>
  void Decorate(Message& msg, const HttpResponse& r) {
    msg.version(version_);
    msg.result(static_cast<unsigned>(r.status));
    for (const auto& [name, value] : r.headers) msg.insert(name, value);
    for (const auto& [name, value] : kSecurityHeaders) msg.set(name, value);
    if (!r.Has("Content-Security-Policy")) msg.set("Content-Security-Policy", server_.csp());
    if (server_.options().hsts) msg.set(kHstsHeader.first, kHstsHeader.second);
    msg.keep_alive(keep_alive_ && !server_.draining());
  }

  void Write(HttpResponse r) {
    if (r.file) {
      if (r.status == 200 && !head_) {
        bhttp::file_body::value_type body;
        beast::error_code ec;
        body.open(r.file->path.c_str(), beast::file_mode::scan, ec);
        if (!ec) {
          auto msg = std::make_shared<bhttp::response<bhttp::file_body>>();
          Decorate(*msg, r);
          msg->body() = std::move(body);
          msg->prepare_payload();
          return Send(msg);
        }
      }
      if (r.status == 206 && !head_) {
        // A range streams from the file as the socket drains: no answer holds more than a
        // small fixed buffer, whatever the range's size.
        FileSliceBody::value_type slice;
        beast::error_code ec;
        slice.file.open(r.file->path.c_str(), beast::file_mode::read, ec);
        if (ec) return Write(ErrorResponse(Error::Internal("Could not read file")));
        slice.offset = r.file->offset;
        slice.length = r.file->length;
        auto msg = std::make_shared<bhttp::response<FileSliceBody>>();
        Decorate(*msg, r);
        msg->body() = std::move(slice);
        msg->prepare_payload();
        return Send(msg);
      }
      if (!head_) return Write(ErrorResponse(Error::Internal("Could not read file")));
      // HEAD: the header alone, with the length the body would have.
      const auto declared = r.file->length;
      r.file.reset();
      auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
      Decorate(*msg, r);
      msg->content_length(declared);
      return Send(msg);
    }
    SendInMemory(std::move(r));
  }

  // Answers held in memory (every API answer) are rendered here rather than through Beast's
  // fields and serializer, which allocate per header and walk a buffer sequence per write: the
  // head is one string (the fixed headers rendered once per server), written with the body in
  // one gathered write. Same headers as Decorate.
  void SendInMemory(HttpResponse r) {
    struct Wire {
      std::string head;
      std::string body;
    };
    auto wire = std::make_shared<Wire>();
    std::string& head = wire->head;
    head.reserve(512 + server_.csp_header().size());
    const auto status = static_cast<bhttp::status>(r.status);
    head.append(version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    head.append(std::to_string(r.status)).push_back(' ');
    head.append(bhttp::obsolete_reason(status)).append("\r\n");
    for (const auto& [name, value] : r.headers) {
      AppendHeaderText(head, name);
      head.append(": ");
      AppendHeaderText(head, value);
      head.append("\r\n");
    }
    head.append(server_.fixed_headers());
    if (!r.Has("Content-Security-Policy")) head.append(server_.csp_header());
    // 1xx, 204 and 304 answers have no body and no length.
    const bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
    if (!bodiless)
      head.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
    const bool keep_alive = keep_alive_ && !server_.draining();
    if (version_ == 10 && keep_alive) head.append("Connection: keep-alive\r\n");
    if (version_ != 10 && !keep_alive) head.append("Connection: close\r\n");
    head.append("\r\n");
    if (!head_ && !bodiless) wire->body = std::move(r.body);

    SetDeadline(kWriteTimeoutSeconds);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(wire->head),
                                                    asio::buffer(wire->body)};
    asio::async_write(socket_, buffers,
                      [self = shared_from_this(), wire, close = !keep_alive](
                          beast::error_code ec, std::size_t) { self->AfterWrite(ec, close); });
  }

  template <typename Message>
  void Send(std::shared_ptr<Message> msg) {
    const bool close = !msg->keep_alive();
    SetDeadline(kWriteTimeoutSeconds);
    if (head_) {
      // Only the header goes on the wire for HEAD.
      auto serializer =
          std::make_shared<bhttp::response_serializer<typename Message::body_type>>(*msg);
      bhttp::async_write_header(
          socket_, *serializer,
          [self = shared_from_this(), msg, serializer, close](beast::error_code ec, std::size_t) {
            self->AfterWrite(ec, close);
          });
      return;
    }
    bhttp::async_write(socket_, *msg,
                       [self = shared_from_this(), msg, close](beast::error_code ec, std::size_t) {
                         self->AfterWrite(ec, close);
                       });
  }

  // Deadlines are kept here and enforced by the server's once-a-second sweep, not by the stream's
  // per-operation timers: those were set, started and cancelled around every read and write —
  // two asio timers, three times per request — for limits counted in tens of seconds.
  void SetDeadline(int seconds) {
    deadline_ms_.store(SteadyMs() + std::int64_t{seconds} * 1000, std::memory_order_relaxed);
  }
  void ClearDeadline() { deadline_ms_.store(kNoDeadline, std::memory_order_relaxed); }

  void AfterWrite(beast::error_code ec, bool close) {
    if (ec) return Close();
    if (close) return unread_ == Unread::kNone ? Close() : Linger();
    Read();
  }

  void Close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
  }

  // The answer was sent before the request's body was read (a refused upload, a body over the
  // limit). Closing now would leave the client's body unread, and a socket closed with unread
  // data sends a reset that destroys the answer before the client reads it (it sees EPIPE or
  // ECONNRESET instead of the 403 or 413); ending our side first (FIN) makes clients such as
  // Node's fetch give up on sending and fail the same way. So the rest of the body is read and
  // thrown away — exactly the declared length, or until the client closes — and only then is
  // the connection closed, within bounds: kLingerSeconds in all, kLingerIdleSeconds between
  // reads and kLingerMaxBytes, so a client can neither hold the connection nor make the server
  // read without end (past them the connection is simply closed).
  void Linger() {
    linger_budget_ = kLingerMaxBytes;
    linger_until_ms_ = SteadyMs() + kLingerSeconds * 1000;
    Discarded(buffer_.size());  // what arrived with the header or past the limit
    buffer_.consume(buffer_.size());
    discard_.resize(16 * 1024);
    DiscardSome();
  }

  void Discarded(std::uint64_t n) {
    linger_budget_ -= std::min(n, linger_budget_);
    if (unread_ == Unread::kLength) unread_bytes_ -= std::min(n, unread_bytes_);
  }

  void DiscardSome() {
    if (unread_ == Unread::kLength && unread_bytes_ == 0) return Close();  // all of it is read
    const std::int64_t now = SteadyMs();
    if (linger_budget_ == 0 || now >= linger_until_ms_) return;  // the session ends: closed
    deadline_ms_.store(std::min(now + kLingerIdleSeconds * 1000, linger_until_ms_),
                       std::memory_order_relaxed);
    std::uint64_t want = std::min<std::uint64_t>(discard_.size(), linger_budget_);
    if (unread_ == Unread::kLength) want = std::min(want, unread_bytes_);
    socket_.async_read_some(asio::buffer(discard_.data(), want),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return;  // the client closed (or the deadline cut it)
                              self->Discarded(n);
                              self->DiscardSome();
                            });
  }

  // Ends the connection from outside its exchange (drain, sweep): the pending read or write
  // completes with operation_aborted and the session lets go of itself.
  void Cut() {
    beast::error_code ignored;
    socket_.cancel(ignored);
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
  }

  Impl& server_;
  // A plain socket: Beast's timed stream wrapped every read and write in an operation of its
  // own; deadlines are swept instead (SetDeadline).
  Socket socket_;
  std::optional<PeerConnections::Slot> slot_;  // this client's place; ip() is the peer address
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::request_parser<bhttp::file_body>> upload_parser_;
  bool keep_alive_ = true;
  bool idle_ = false;  // waiting for the next request on a kept-alive connection
  bool head_ = false;
  // The answer went out before the request's body was read: close by lingering (Linger).
  enum class Unread { kNone, kLength, kUntilClose };
  Unread unread_ = Unread::kNone;
  std::uint64_t unread_bytes_ = 0;
  std::uint64_t linger_budget_ = 0;
  std::int64_t linger_until_ms_ = 0;
  std::vector<char> discard_;
  unsigned version_ = 11;
  static constexpr std::int64_t kLingerSeconds = 30;
  static constexpr std::int64_t kLingerIdleSeconds = 5;
  static constexpr std::uint64_t kLingerMaxBytes = 64u << 20;
  static constexpr std::int64_t kNoDeadline = std::numeric_limits<std::int64_t>::max();
  static constexpr int kWriteTimeoutSeconds = 60;
  static constexpr std::ptrdiff_t kMaxHeaderFields = 100;
  std::atomic<std::int64_t> deadline_ms_{kNoDeadline};  // steady clock; read by the sweep
};

void HttpServer::Impl::BeginDrain() {
  if (draining_.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_backoff_.cancel();
  });
  signals_.cancel();
  // Keep-alive connections waiting for their next request are closed now; busy ones close
  // after their response.
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(registry_mutex_);
    for (auto& [ptr, weak] : registry_) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
  }
  for (auto& s : open) s->CloseIfIdle();
  std::vector<std::shared_ptr<WebSocketSession>> sockets;
  {
    std::lock_guard lock(registry_mutex_);
    for (auto& [ptr, weak] : websockets_) {
      if (auto s = weak.lock()) sockets.push_back(std::move(s));
    }
  }
  for (auto& s : sockets) s->GoingAway();
  if (sessions_ == 0) {
    StopContexts();
    return;
  }
  drain_timer_.expires_after(std::chrono::seconds(options_.drain_seconds));
  drain_timer_.async_wait([this](const beast::error_code& ec) {
    if (!ec) StopContexts();
  });
}

void HttpServer::Impl::SweepDeadlines() {
  sweep_timer_.expires_after(std::chrono::seconds(1));
  sweep_timer_.async_wait([this](const beast::error_code& ec) {
    if (ec || stopped_) return;
    const std::int64_t now = SteadyMs();
    std::vector<std::shared_ptr<Session>> overdue;
    {
      std::lock_guard lock(registry_mutex_);
      // Reading through the raw pointer is safe under the lock: a session leaves the registry
      // (SessionClosed, under this lock) before its members are destroyed. Only overdue sessions
      // are locked, and their references leave in `overdue`: dropping a last reference here would
      // run ~Session, which takes this lock.
      for (auto& [session, weak] : registry_) {
        if (!session->Overdue(now)) continue;
        if (auto s = weak.lock()) overdue.push_back(std::move(s));
      }
    }
    for (auto& s : overdue) s->CutIfOverdue();
    SweepDeadlines();
  });
}

void HttpServer::Impl::StopContexts() {
  stopped_ = true;
  for (auto& context : contexts_) context->stop();
}

void HttpServer::Impl::SessionOpened(const std::shared_ptr<Session>& session) {
  ++sessions_;
  metrics_.open_connections().Increment();
  std::lock_guard lock(registry_mutex_);
  registry_[session.get()] = session;
}

void HttpServer::Impl::SessionClosed(Session* session) {
  metrics_.open_connections().Decrement();
  {
    std::lock_guard lock(registry_mutex_);
    registry_.erase(session);
  }
  if (--sessions_ == 0 && draining_ && !stopped_) {
    asio::post(*contexts_.front(), [this] { StopContexts(); });
  }
}

bool HttpServer::Impl::WebSocketOpening(const std::shared_ptr<WebSocketSession>& session) {
  std::lock_guard lock(registry_mutex_);
  if (draining_ ||
      websockets_.size() >= static_cast<std::size_t>(options_.websocket.max_connections)) {
    return false;
  }
  websockets_[session.get()] = session;
  ++sessions_;
  return true;
}

void HttpServer::Impl::WebSocketClosed(WebSocketSession* session) {
  {
    std::lock_guard lock(registry_mutex_);
    websockets_.erase(session);
  }
  if (--sessions_ == 0 && draining_ && !stopped_) {
    asio::post(*contexts_.front(), [this] { StopContexts(); });
  }
}

// Every connection takes a descriptor, and one that streams media a second; the database, its
// journal, uploads and child processes need some too. Open connections are capped so that they
// never take the last ones: out of descriptors, a server fails in places that have no good answer
// (a vote batch that cannot open its journal, a child that cannot get a pipe).
void HttpServer::Impl::LimitConnectionsToDescriptors() {
  constexpr int kReservedDescriptors = 32;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return;
  std::error_code ec;
  int open_now = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++open_now;
  }
  const auto available = static_cast<long long>(std::min<rlim_t>(limit.rlim_cur, 1 << 24)) -
                         open_now - kReservedDescriptors;
  const int max_open = static_cast<int>(std::max<long long>(available / 2, 8));
  peers_.SetTotalLimit(max_open, [this] {
    if (stopped_) return;
    asio::post(acceptor_.get_executor(), [this] { ResumeAccepting(); });
  });
  spdlog::info(R"({{"msg":"connection limit","max_open":{},"descriptor_limit":{}}})", max_open,
               static_cast<unsigned long long>(limit.rlim_cur));
}

void HttpServer::Impl::ResumeAccepting() {
  if (!accept_paused_ || !acceptor_.is_open() || peers_.Full()) return;
  accept_paused_ = false;
  spdlog::info(R"({"msg":"accepting again"})");
  Accept();
}

void HttpServer::Impl::Accept() {
  if (peers_.Full()) {
    if (!accept_paused_) {
      spdlog::warn(R"({{"msg":"connection limit reached; accepting paused","open":{}}})",
                   peers_.Open());
    }
    accept_paused_ = true;
    return;
  }
  auto& context = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  acceptor_.async_accept(context, [this](beast::error_code ec, Socket socket) {
    if (!acceptor_.is_open()) return;
    if (ec && ec != asio::error::operation_aborted) {
      if (accept_delay_.count() == 0) {
        spdlog::warn(R"({{"msg":"accept failing; backing off","error":"{}"}})", ec.message());
      }
      accept_delay_ = std::min(std::max(accept_delay_ * 2, std::chrono::milliseconds(10)),
                               std::chrono::milliseconds(1000));
      accept_backoff_.expires_after(accept_delay_);
      accept_backoff_.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec && acceptor_.is_open()) Accept();
      });
      return;
    }
    if (!ec) {
      if (accept_delay_.count() != 0) spdlog::info(R"({"msg":"accepting again"})");
      accept_delay_ = std::chrono::milliseconds(0);
      beast::error_code peer_ec;
      const auto peer = socket.remote_endpoint(peer_ec);
      if (auto slot = peers_.Admit(peer_ec ? "unknown" : peer.address().to_string())) {
        std::make_shared<Session>(*this, std::move(socket), std::move(*slot))->Start();
      } else {
        // That address has its share of connections open: closed at once, unread.
        metrics_.refused_connections().Increment();
        beast::error_code ignored;
        socket.close(ignored);
      }
    }
    Accept();
  });
}

HttpServer::HttpServer(ServerOptions options, Router& router, HttpMetrics& metrics,
                       LiveEndpoint* live, UploadEndpoint* uploads)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, live, uploads)) {}
HttpServer::~HttpServer() = default;
std::uint16_t HttpServer::Listen() {
  return impl_->Listen();
}
void HttpServer::Run(const std::function<void()>& on_signal) {
  impl_->Run(on_signal);
}
void HttpServer::Stop() {
  impl_->Stop();
}

}  // namespace aimoviez::http
