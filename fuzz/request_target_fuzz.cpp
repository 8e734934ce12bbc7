// libFuzzer harness: an HTTP request head as a client sends it, through Beast's parser (the
// server's own limits), then the request target, the client address behind proxies and the
// Range header as the server reads them. The fast target splitter is checked against Boost.URL
// on every input: the two must agree on validity, path and query.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/net_address.h"
#include "http/media_paths.h"
#include "http/request_target.h"

namespace bhttp = boost::beast::http;
using namespace aimoviez;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // The target alone, both ways.
  std::string fast_path, url_path;
  http::HeaderMap fast_query, url_query;
  const bool fast = http::ParseRequestTarget(input, fast_path, fast_query);
  const bool reference = http::ParseRequestTargetWithUrlLibrary(input, url_path, url_query);
  if (fast != reference || (fast && (fast_path != url_path || fast_query != url_query))) {
    std::abort();
  }

  // A whole head.
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;
  const auto& head = parser.get();
  std::string path;
  http::HeaderMap query;
  if (!http::ParseRequestTarget(std::string_view(head.target()), path, query)) return 0;

  static const auto trusted = *net::ParseRanges("127.0.0.1, 10.0.0.0/8, ::1");
  const std::string client =
      net::ClientAddress("127.0.0.1", std::string(head["X-Forwarded-For"]), trusted);
  const std::string network = net::NetworkOf(client);
  if (network.empty()) std::abort();

  http::ByteRange range;
  const std::uint64_t file_size = size * 1000;
  if (http::ParseRange(std::string(head["Range"]), file_size, range) == http::RangeParse::kOk) {
    if (range.first > range.last || range.last >= file_size) std::abort();
  }
  if (auto joined = http::SafeJoin("/root", path)) {
    if (joined->rfind("/root", 0) != 0 || joined->find("/../") != std::string::npos) std::abort();
  }
  return 0;
}
