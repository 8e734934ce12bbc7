// Content coding for answers: what the client accepts (Accept-Encoding, RFC 9110 §12.5.3), gzip
// for answers built in memory (JSON, the app shell with link-preview tags), and the choice of a
// precompressed sibling (`app.js.br`, `app.js.gz`, written by the web build) for static files.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.h"

namespace aimoviez::http {

enum class ContentCoding { kIdentity, kGzip, kBrotli };

struct AcceptedCodings {
  bool gzip = false;
  bool brotli = false;
};

// Codings listed with q > 0, or covered by "*" with q > 0 and not refused by name.
AcceptedCodings ParseAcceptEncoding(std::string_view header);

// `data` as a gzip stream (RFC 1952), or nullopt if zlib fails.
std::optional<std::string> GzipCompress(std::string_view data);

// Compresses an in-memory answer in place when it is worth it and safe: text types, 1 KiB or
// more, not already coded, the client accepts gzip. An answer that sets a cookie is left alone:
// it is the kind that carries secrets (session, CSRF token), and compressing a secret beside
// text an attacker chose leaks it through the length (BREACH).
void CompressAnswer(const HttpRequest& request, HttpResponse& response);

// The coding to serve a static file with, given which precompressed siblings exist.
ContentCoding ChooseStaticCoding(std::string_view accept_encoding, bool have_brotli,
                                 bool have_gzip);

}  // namespace aimoviez::http
