#include "net/beast_http_fetcher.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

namespace aimoviez::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Beast's stream deadlines only apply to asynchronous operations, so the exchange runs as a
// coroutine on a private io_context: a provider that stops answering cannot hold a thread.
template <typename Stream>
asio::awaitable<void> Exchange(Stream& stream, http::request<http::string_body>& request,
                               http::response_parser<http::string_body>& parser) {
  beast::flat_buffer buffer;
  co_await http::async_write(stream, request, asio::use_awaitable);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
}

asio::awaitable<void> Run(bool tls, const std::string& host, const std::string& port,
                          std::chrono::milliseconds timeout,
                          const std::function<bool(std::string_view)>& allow_address,
                          http::request<http::string_body>& request,
                          http::response_parser<http::string_body>& parser) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : co_await resolver.async_resolve(host, port, asio::use_awaitable)) {
    const auto address = entry.endpoint().address();
    // A v4-mapped v6 address is judged as the v4 address it is.
    const std::string ip = address.is_v6() && address.to_v6().is_v4_mapped()
                               ? address.to_v6().to_v4().to_string()
                               : address.to_string();
    if (!allow_address || allow_address(ip)) endpoints.push_back(entry.endpoint());
  }
  if (endpoints.empty()) throw std::runtime_error("no allowed address for " + host);
  if (tls) {
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(executor, ctx);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) {
      throw std::runtime_error("cannot set TLS server name");
    }
    stream.set_verify_callback(asio::ssl::host_name_verification(host));
    beast::get_lowest_layer(stream).expires_after(timeout);
    co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
    co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    co_await Exchange(stream, request, parser);
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  } else {
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    co_await Exchange(stream, request, parser);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }
}

}  // namespace

FetchResponse BeastHttpFetcher::Fetch(const FetchRequest& req) {
  FetchResponse out;
  auto url = boost::urls::parse_absolute_uri(req.url);
  if (!url || (url->scheme() != "https" && url->scheme() != "http") || url->host().empty()) {
    out.error = "not an http(s) URL";
    return out;
  }
  const bool tls = url->scheme() == "https";
  std::string host = url->host_address();
  const std::string port = url->has_port() ? std::string(url->port()) : (tls ? "443" : "80");
  std::string target = std::string(url->encoded_path());
  if (target.empty()) target = "/";
  if (url->has_query()) target += "?" + std::string(url->encoded_query());

  http::request<http::string_body> request{http::string_to_verb(req.method), target, 11};
  request.set(http::field::host, std::string(url->encoded_authority()));
  request.set(http::field::user_agent, "aimoviez");
  request.set(http::field::accept, "application/json");
  for (const auto& [name, value] : req.headers) request.set(name, value);
  if (!req.body.empty() || req.method == "POST") {
    request.body() = req.body;
    request.prepare_payload();
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(req.max_response_bytes);
  parser.header_limit(16 * 1024);
  std::exception_ptr failure;
  asio::io_context ioc;
  asio::co_spawn(ioc, Run(tls, host, port, req.timeout, req.allow_address, request, parser),
                 [&failure](std::exception_ptr e) { failure = e; });
  // The deadline covers connect, handshake and exchange; resolution is bounded here too.
  ioc.run_for(req.timeout + std::chrono::seconds(1));
  if (!ioc.stopped()) {
    ioc.stop();
    out.error = "timed out";
    return out;
  }
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      out.error = e.what();
    }
    return out;
  }
  auto& response = parser.get();
  out.status = static_cast<int>(response.result_int());
  out.content_type = std::string(response[http::field::content_type]);
  out.body = std::move(response.body());
  return out;
}

}  // namespace aimoviez::net
