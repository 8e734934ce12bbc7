#include "storage/s3/sigv4.h"

#include <ctime>
#include <map>

#include "common/crypto.h"

namespace aimoviez::s3 {

namespace {

std::string Scope(const S3Endpoint& e, const std::string& amz_date) {
  return amz_date.substr(0, 8) + "/" + e.region + "/s3/aws4_request";
}

std::string SigningKey(const S3Endpoint& e, const std::string& amz_date) {
  const std::string k_date = crypto::HmacSha256("AWS4" + e.secret_key, amz_date.substr(0, 8));
  const std::string k_region = crypto::HmacSha256(k_date, e.region);
  const std::string k_service = crypto::HmacSha256(k_region, "s3");
  return crypto::HmacSha256(k_service, "aws4_request");
}

std::string Signature(const S3Endpoint& e, const std::string& amz_date,
                      const std::string& canonical_request) {
  const std::string to_sign = "AWS4-HMAC-SHA256\n" + amz_date + "\n" + Scope(e, amz_date) + "\n" +
                              crypto::ToHex(crypto::Sha256(canonical_request));
  return crypto::ToHex(crypto::HmacSha256(SigningKey(e, amz_date), to_sign));
}

}  // namespace

std::string UriEncode(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string S3Endpoint::PathFor(std::string_view key) const {
  return "/" + (path_style ? UriEncode(bucket, false) + "/" : std::string()) + UriEncode(key, true);
}

std::string AmzDate(EpochMs at) {
  const std::time_t seconds = static_cast<std::time_t>(at / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string PresignUrl(const S3Endpoint& e, std::string_view method, std::string_view key,
                       EpochMs at, int expires_seconds,
                       std::optional<std::int64_t> content_length) {
  const std::string amz_date = AmzDate(at);
  // Query parameters in byte order, each name and value encoded.
  std::map<std::string, std::string> query = {
      {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
      {"X-Amz-Credential", e.access_key + "/" + Scope(e, amz_date)},
      {"X-Amz-Date", amz_date},
      {"X-Amz-Expires", std::to_string(expires_seconds)},
      {"X-Amz-SignedHeaders", content_length ? "content-length;host" : "host"}};
  std::string canonical_query;
  for (const auto& [name, value] : query) {
    if (!canonical_query.empty()) canonical_query += "&";
    canonical_query += UriEncode(name, false) + "=" + UriEncode(value, false);
  }
  const std::string headers = content_length
                                  ? "content-length:" + std::to_string(*content_length) +
                                        "\nhost:" + e.HostFor() + "\n\ncontent-length;host"
                                  : "host:" + e.HostFor() + "\n\nhost";
  const std::string canonical_request = std::string(method) + "\n" + e.PathFor(key) + "\n" +
                                        canonical_query + "\n" + headers + "\nUNSIGNED-PAYLOAD";
  return e.UrlFor(key) + "?" + canonical_query +
         "&X-Amz-Signature=" + Signature(e, amz_date, canonical_request);
}

SignedHeaders SignRequest(const S3Endpoint& e, std::string_view method, std::string_view key,
                          EpochMs at) {
  SignedHeaders h;
  h.host = e.HostFor();
  h.amz_date = AmzDate(at);
  const std::string signed_names = "host;x-amz-content-sha256;x-amz-date";
  const std::string canonical_request =
      std::string(method) + "\n" + e.PathFor(key) + "\n\nhost:" + h.host +
      "\nx-amz-content-sha256:" + h.content_sha256 + "\nx-amz-date:" + h.amz_date + "\n\n" +
      signed_names + "\n" + h.content_sha256;
  h.authorization = "AWS4-HMAC-SHA256 Credential=" + e.access_key + "/" + Scope(e, h.amz_date) +
                    ", SignedHeaders=" + signed_names +
                    ", Signature=" + Signature(e, h.amz_date, canonical_request);
  return h;
}

}  // namespace aimoviez::s3
