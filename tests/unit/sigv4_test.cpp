#include <gtest/gtest.h>

#include "storage/s3/sigv4.h"

namespace aimoviez::s3 {
namespace {

// AWS's published example (S3 documentation, "Authenticating Requests: Using Query Parameters"):
// GET examplebucket/test.txt at 2013-05-24T00:00:00Z, valid 86400 s.
S3Endpoint AwsExample(bool path_style) {
  S3Endpoint e;
  e.scheme = "https";
  e.host = "s3.amazonaws.com";
  e.region = "us-east-1";
  e.bucket = "examplebucket";
  e.access_key = "AKIAIOSFODNN7EXAMPLE";
  e.secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  e.path_style = path_style;
  return e;
}

constexpr EpochMs kMay24 = 1369353600000;  // 2013-05-24T00:00:00Z

TEST(SigV4, PresignedUrlMatchesAwsPublishedExample) {
  const auto url = PresignUrl(AwsExample(false), "GET", "test.txt", kMay24, 86400);
  EXPECT_EQ(url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4, PathStyleNamesTheBucketInThePath) {
  auto e = AwsExample(true);
  e.scheme = "http";
  e.host = "127.0.0.1:4569";
  const auto url = PresignUrl(e, "PUT", "uploads/ab.mp4", kMay24, 900);
  EXPECT_EQ(url.rfind("http://127.0.0.1:4569/examplebucket/uploads/ab.mp4?", 0), 0u) << url;
  // A signed length is part of the signature: another size needs another URL.
  const auto sized = PresignUrl(e, "PUT", "uploads/ab.mp4", kMay24, 900, 1000);
  EXPECT_NE(sized.find("X-Amz-SignedHeaders=content-length%3Bhost"), std::string::npos);
  EXPECT_NE(sized.substr(sized.find("X-Amz-Signature=")),
            PresignUrl(e, "PUT", "uploads/ab.mp4", kMay24, 900, 1001)
                .substr(sized.find("X-Amz-Signature=")));
  // A different method, key or moment signs differently.
  EXPECT_NE(url, PresignUrl(e, "GET", "uploads/ab.mp4", kMay24, 900));
  EXPECT_NE(url, PresignUrl(e, "PUT", "uploads/ac.mp4", kMay24, 900));
}

TEST(SigV4, HeaderSignatureHasTheDocumentedShape) {
  const auto h = SignRequest(AwsExample(false), "GET", "test.txt", kMay24);
  EXPECT_EQ(h.host, "examplebucket.s3.amazonaws.com");
  EXPECT_EQ(h.amz_date, "20130524T000000Z");
  EXPECT_EQ(h.authorization.rfind(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                "aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=",
                0),
            0u);
  EXPECT_EQ(UriEncode("a b/c~", true), "a%20b/c~");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
}

}  // namespace
}  // namespace aimoviez::s3
