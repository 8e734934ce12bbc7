// Content coding: Accept-Encoding as RFC 9110 reads it, gzip that zlib reads back, and which
// answers are compressed (text, 1 KiB or more, never one that sets a cookie).
#include "http/compression.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace aimoviez::http {
namespace {

std::string Gunzip(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

HttpRequest RequestAccepting(std::string accept_encoding, std::string method = "GET") {
  HttpRequest r;
  r.method = std::move(method);
  r.headers.emplace_back("accept-encoding", std::move(accept_encoding));
  return r;
}

HttpResponse JsonAnswer(std::size_t size) {
  HttpResponse r;
  r.Set("Content-Type", "application/json");
  r.body = "[";
  while (r.body.size() < size) r.body += R"({"id":12,"title":"Rain on glass"},)";
  r.body.back() = ']';
  return r;
}

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(AcceptEncodingTest, ReadsCodingsAndQualities) {
  EXPECT_TRUE(ParseAcceptEncoding("gzip, deflate, br").gzip);
  EXPECT_TRUE(ParseAcceptEncoding("gzip, deflate, br").brotli);
  EXPECT_FALSE(ParseAcceptEncoding("").gzip);
  EXPECT_FALSE(ParseAcceptEncoding("identity").gzip);
  EXPECT_FALSE(ParseAcceptEncoding("gzip;q=0, br").gzip);
  EXPECT_TRUE(ParseAcceptEncoding("gzip;q=0, br").brotli);
  EXPECT_TRUE(ParseAcceptEncoding("GZIP ; q=0.5").gzip);
  EXPECT_FALSE(ParseAcceptEncoding("gzip;q=0.000").gzip);
  EXPECT_TRUE(ParseAcceptEncoding("*").gzip);
  EXPECT_FALSE(ParseAcceptEncoding("*, gzip;q=0").gzip);
  EXPECT_TRUE(ParseAcceptEncoding("*, gzip;q=0").brotli);
  EXPECT_FALSE(ParseAcceptEncoding("gzip;q=2x").gzip) << "a malformed quality refuses";
}

TEST(CompressionTest, GzipRoundTrips) {
  const std::string text = JsonAnswer(5000).body;
  const auto packed = GzipCompress(text);
  ASSERT_TRUE(packed.has_value());
  EXPECT_LT(packed->size(), text.size() / 4);
  EXPECT_EQ(Gunzip(*packed), text);
}

TEST(CompressionTest, CompressesLargeTextAnswersForClientsThatAcceptGzip) {
  auto r = JsonAnswer(4000);
  const std::string original = r.body;
  CompressAnswer(RequestAccepting("gzip, br"), r);
  EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderOf(r, "Vary"), "Accept-Encoding");
  EXPECT_EQ(Gunzip(r.body), original);
}

TEST(CompressionTest, LeavesAloneWhatShouldNotBeCompressed) {
  auto small = JsonAnswer(200);
  CompressAnswer(RequestAccepting("gzip"), small);
  EXPECT_EQ(HeaderOf(small, "Content-Encoding"), "");

  auto refused = JsonAnswer(4000);
  CompressAnswer(RequestAccepting("identity"), refused);
  EXPECT_EQ(HeaderOf(refused, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(refused, "Vary"), "Accept-Encoding") << "caches must still key on it";

  auto with_cookie = JsonAnswer(4000);
  with_cookie.Set("Set-Cookie", "aimoviez_session=secret");
  CompressAnswer(RequestAccepting("gzip"), with_cookie);
  EXPECT_EQ(HeaderOf(with_cookie, "Content-Encoding"), "") << "secrets beside reflected text";

  auto image = JsonAnswer(4000);
  image.headers.clear();
  image.Set("Content-Type", "image/jpeg");
  CompressAnswer(RequestAccepting("gzip"), image);
  EXPECT_EQ(HeaderOf(image, "Content-Encoding"), "");

  auto head = JsonAnswer(4000);
  CompressAnswer(RequestAccepting("gzip", "HEAD"), head);
  EXPECT_EQ(HeaderOf(head, "Content-Encoding"), "");
}

TEST(CompressionTest, StaticFilesPreferBrotliThenGzip) {
  EXPECT_EQ(ChooseStaticCoding("gzip, br", true, true), ContentCoding::kBrotli);
  EXPECT_EQ(ChooseStaticCoding("gzip", true, true), ContentCoding::kGzip);
  EXPECT_EQ(ChooseStaticCoding("gzip, br", false, true), ContentCoding::kGzip);
  EXPECT_EQ(ChooseStaticCoding("br", false, true), ContentCoding::kIdentity);
  EXPECT_EQ(ChooseStaticCoding("", true, true), ContentCoding::kIdentity);
}

}  // namespace
}  // namespace aimoviez::http
