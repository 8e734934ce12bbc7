#include "storage/s3/s3_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <filesystem>

namespace aimoviez::s3 {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTimeout = std::chrono::seconds(120);

std::pair<std::string, std::string> SplitHostPort(const std::string& host, bool tls) {
  const auto colon = host.rfind(':');
  if (colon == std::string::npos || host.find(']') != std::string::npos)
    return {host, tls ? "443" : "80"};
  return {host.substr(0, colon), host.substr(colon + 1)};
}

template <typename Stream, typename Request, typename ResponseParser>
void Exchange(Stream& stream, Request& request, ResponseParser& parser) {
  beast::flat_buffer buffer;
  http::write(stream, request);
  http::read(stream, buffer, parser);
}

// Runs one request over a fresh connection (plain or TLS); `make_parser` builds the response
// parser so downloads can stream into a file.
template <typename Body, typename ResponseBody>
S3Result Run(const S3Endpoint& e, http::request<Body>& request,
             http::response_parser<ResponseBody>& parser) {
  S3Result result;
  try {
    asio::io_context ioc;
    const bool tls = e.scheme == "https";
    const auto [host, port] = SplitHostPort(e.HostFor(), tls);
    tcp::resolver resolver(ioc);
    const auto endpoints = resolver.resolve(host, port);
    parser.body_limit(boost::none);
    if (tls) {
      asio::ssl::context ctx(asio::ssl::context::tls_client);
      ctx.set_default_verify_paths();
      ctx.set_verify_mode(asio::ssl::verify_peer);
      beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
      if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) {
        throw std::runtime_error("cannot set TLS server name");
      }
      stream.set_verify_callback(asio::ssl::host_name_verification(host));
      beast::get_lowest_layer(stream).expires_after(kTimeout);
      beast::get_lowest_layer(stream).connect(endpoints);
      stream.handshake(asio::ssl::stream_base::client);
      Exchange(stream, request, parser);
      beast::error_code ignored;
      stream.shutdown(ignored);
    } else {
      beast::tcp_stream stream(ioc);
      stream.expires_after(kTimeout);
      stream.connect(endpoints);
      Exchange(stream, request, parser);
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }
    result.status = static_cast<int>(parser.get().result_int());
  } catch (const std::exception& ex) {
    result.error = ex.what();
  }
  return result;
}

template <typename Body>
void Sign(const S3Endpoint& e, const Clock& clock, http::request<Body>& request,
          std::string_view key) {
  const auto signed_headers =
      SignRequest(e, std::string(request.method_string()), key, clock.NowMs());
  request.set(http::field::host, signed_headers.host);
  request.set("x-amz-date", signed_headers.amz_date);
  request.set("x-amz-content-sha256", signed_headers.content_sha256);
  request.set(http::field::authorization, signed_headers.authorization);
}

}  // namespace

S3Result S3Client::PutFile(std::string_view key, const std::string& path,
                           std::string_view content_type, std::string_view cache_control) {
  http::request<http::file_body> request{http::verb::put, endpoint_.PathFor(key), 11};
  beast::error_code ec;
  request.body().open(path.c_str(), beast::file_mode::scan, ec);
  if (ec) return S3Result{0, "cannot open " + path + ": " + ec.message()};
  request.set(http::field::content_type, content_type);
  if (!cache_control.empty()) request.set(http::field::cache_control, cache_control);
  Sign(endpoint_, clock_, request, key);
  request.prepare_payload();
  http::response_parser<http::string_body> parser;
  return Run(endpoint_, request, parser);
}

S3Result S3Client::GetToFile(std::string_view key, const std::string& path) {
  http::request<http::empty_body> request{http::verb::get, endpoint_.PathFor(key), 11};
  Sign(endpoint_, clock_, request, key);
  const std::string temp = path + ".download";
  http::response_parser<http::file_body> parser;
  beast::error_code ec;
  parser.get().body().open(temp.c_str(), beast::file_mode::write, ec);
  if (ec) return S3Result{0, "cannot write " + temp + ": " + ec.message()};
  auto result = Run(endpoint_, request, parser);
  parser.get().body().close();
  std::error_code fs_ec;
  if (result.ok()) {
    std::filesystem::rename(temp, path, fs_ec);
    if (fs_ec) result = S3Result{0, fs_ec.message()};
  } else {
    std::filesystem::remove(temp, fs_ec);
  }
  return result;
}

S3Result S3Client::Delete(std::string_view key) {
  http::request<http::empty_body> request{http::verb::delete_, endpoint_.PathFor(key), 11};
  Sign(endpoint_, clock_, request, key);
  http::response_parser<http::string_body> parser;
  return Run(endpoint_, request, parser);
}

S3Result S3Client::Head(std::string_view key) {
  http::request<http::empty_body> request{http::verb::head, endpoint_.PathFor(key), 11};
  Sign(endpoint_, clock_, request, key);
  http::response_parser<http::empty_body> parser;
  parser.skip(true);  // a HEAD answer has no body whatever its Content-Length says
  return Run(endpoint_, request, parser);
}

}  // namespace aimoviez::s3
