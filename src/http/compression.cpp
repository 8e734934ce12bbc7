#include "http/compression.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>

namespace aimoviez::http {

namespace {

constexpr std::size_t kMinCompressedSize = 1024;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The q value of one list member ("gzip;q=0.5"): 1 when absent, 0 when malformed.
double Quality(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const auto param = Trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      const auto value = param.substr(2);
      if (value.empty() || value.size() > 5 || (value[0] != '0' && value[0] != '1')) return 0;
      if (value.size() == 1) return value[0] == '1' ? 1 : 0;
      if (value[1] != '.') return 0;
      double q = value[0] - '0';
      double scale = 0.1;
      for (char c : value.substr(2)) {
        if (c < '0' || c > '9') return 0;
        q += (c - '0') * scale;
        scale /= 10;
      }
      return std::min(q, 1.0);
    }
  }
  return 1;
}

bool IsTextType(std::string_view type) {
  return type.rfind("application/json", 0) == 0 || type.rfind("text/", 0) == 0 ||
         type.rfind("application/manifest+json", 0) == 0 ||
         type.rfind("application/yaml", 0) == 0 || type.rfind("image/svg+xml", 0) == 0;
}

const std::string* HeaderOf(const HttpResponse& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (EqualsIgnoreCase(n, name)) return &v;
  }
  return nullptr;
}

}  // namespace

AcceptedCodings ParseAcceptEncoding(std::string_view header) {
  std::optional<double> gzip, brotli, any;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto member = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto semi = member.find(';');
    const auto coding = Trim(member.substr(0, semi));
    const double q = semi == std::string_view::npos ? 1 : Quality(member.substr(semi + 1));
    if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip"))
      gzip = q;
    else if (EqualsIgnoreCase(coding, "br"))
      brotli = q;
    else if (coding == "*")
      any = q;
  }
  const double fallback = any.value_or(0);
  return {gzip.value_or(fallback) > 0, brotli.value_or(fallback) > 0};
}

std::optional<std::string> GzipCompress(std::string_view data) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's. Level 5: most of level 9's
  // ratio on JSON for a fraction of its time.
  if (deflateInit2(&z, 5, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return std::nullopt;
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(data.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const auto written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  out.resize(written);
  return out;
}

void CompressAnswer(const HttpRequest& request, HttpResponse& response) {
  if (response.file || response.body.size() < kMinCompressedSize || request.method == "HEAD") {
    return;
  }
  if (response.Has("Content-Encoding") || response.Has("Set-Cookie")) return;
  const std::string* type = HeaderOf(response, "Content-Type");
  if (type == nullptr || !IsTextType(*type)) return;
  // Whether or not this client gets gzip, a cache must key the answer on Accept-Encoding.
  response.Set("Vary", "Accept-Encoding");
  if (!ParseAcceptEncoding(request.Header("accept-encoding")).gzip) return;
  auto compressed = GzipCompress(response.body);
  if (!compressed || compressed->size() >= response.body.size()) return;
  response.body = std::move(*compressed);
  response.Set("Content-Encoding", "gzip");
}

ContentCoding ChooseStaticCoding(std::string_view accept_encoding, bool have_brotli,
                                 bool have_gzip) {
  const auto accepted = ParseAcceptEncoding(accept_encoding);
  if (have_brotli && accepted.brotli) return ContentCoding::kBrotli;
  if (have_gzip && accepted.gzip) return ContentCoding::kGzip;
  return ContentCoding::kIdentity;
}

}  // namespace aimoviez::http
