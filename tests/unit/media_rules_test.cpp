#include <gtest/gtest.h>

#include <cctype>

#include "app/media_pipeline.h"
#include "domain/media_rules.h"

namespace aimoviez {
namespace {

std::string Bytes(std::initializer_list<unsigned char> b) {
  return std::string(b.begin(), b.end());
}

TEST(MediaRules, SniffsContainersByContentNotName) {
  EXPECT_EQ(SniffContainer(std::string("\0\0\0\x20"
                                       "ftypisom\0\0\0\0",
                                       16)),
            Container::kMp4);
  EXPECT_EQ(SniffContainer(std::string("\0\0\0\x14"
                                       "ftypqt  \0\0\0\0",
                                       16)),
            Container::kMov);
  EXPECT_EQ(SniffContainer(std::string("\0\0\0\x08"
                                       "wide\0\0\0\0",
                                       12)),
            Container::kMov);
  EXPECT_EQ(SniffContainer(Bytes({0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01}) +
                           "\x42\x82\x84webm"),
            Container::kWebm);
  EXPECT_EQ(SniffContainer(Bytes({0x1A, 0x45, 0xDF, 0xA3}) + "\x42\x82\x88matroska"), std::nullopt);
  EXPECT_EQ(SniffContainer(Bytes({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0})),
            std::nullopt);
  EXPECT_EQ(SniffContainer(Bytes({0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0})), std::nullopt);
  EXPECT_EQ(SniffContainer("<!doctype html><html>"), std::nullopt);
  EXPECT_EQ(SniffContainer(""), std::nullopt);
}

ProbeInfo GoodProbe() {
  ProbeInfo p;
  p.format_name = "mov,mp4,m4a,3gp,3g2,mj2";
  p.has_video = true;
  p.width = 1080;
  p.height = 1920;
  p.fps = 30;
  p.duration_ms = 8400;
  return p;
}

std::string CodeOf(const Status& s) {
  return s ? "" : s.error().code;
}

TEST(MediaRules, ValidatesDurationStreamsAndShape) {
  const MediaLimits limits;
  EXPECT_TRUE(ValidateClipMedia(Container::kMp4, GoodProbe(), limits));
  auto p = GoodProbe();
  p.duration_ms = 8501;
  EXPECT_EQ(CodeOf(ValidateClipMedia(Container::kMp4, p, limits)), "TOO_LONG");
  p = GoodProbe();
  p.duration_ms.reset();
  EXPECT_EQ(CodeOf(ValidateClipMedia(Container::kMp4, p, limits)), "UNREADABLE");
  p = GoodProbe();
  p.has_video = false;
  EXPECT_EQ(CodeOf(ValidateClipMedia(Container::kMp4, p, limits)), "NO_VIDEO");
  p = GoodProbe();
  EXPECT_EQ(CodeOf(ValidateClipMedia(Container::kWebm, p, limits)), "UNSUPPORTED_FORMAT");
  p.format_name.clear();
  EXPECT_EQ(CodeOf(ValidateClipMedia(Container::kMp4, p, limits)), "UNREADABLE");
  p = GoodProbe();
  p.width = 10000;
  EXPECT_EQ(CodeOf(ValidateClipMedia(Container::kMp4, p, limits)), "UNREADABLE");
  p = GoodProbe();
  p.fps = 500;
  EXPECT_EQ(CodeOf(ValidateClipMedia(Container::kMp4, p, limits)), "UNREADABLE");
}

TEST(MediaRules, ObjectKeysHaveOneShape) {
  EXPECT_TRUE(IsValidObjectKey("uploads/0123456789abcdef0123456789abcdef.mp4"));
  EXPECT_TRUE(IsValidObjectKey("clips/" + std::string(64, 'a') + ".mp4"));
  const std::vector<std::string> bad_keys = {"uploads/../secret.mp4",
                                             "../uploads/0123456789abcdef.mp4",
                                             "/etc/passwd",
                                             "uploads/0123456789abcdef0123456789abcdef.html",
                                             std::string("uploads/0123456789abcdef\0.mp4", 29),
                                             "uploads/%2e%2e.mp4",
                                             "other/0123456789abcdef0123456789abcdef.mp4",
                                             "uploads//0123456789abcdef.mp4",
                                             "uploads/0123456789ABCDEF0123456789abcdef.mp4",
                                             ""};
  for (const auto& bad : bad_keys) {
    EXPECT_FALSE(IsValidObjectKey(bad)) << bad;
  }
}

TEST(MediaRules, ReadsFfprobeJson) {
  const auto info = ParseFfprobeJson(R"({"streams":[
      {"codec_type":"video","width":720,"height":1280,"avg_frame_rate":"30000/1001","disposition":{"attached_pic":0}},
      {"codec_type":"audio"}],
    "format":{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"8.400000"}})");
  EXPECT_TRUE(info.has_video);
  EXPECT_TRUE(info.has_audio);
  EXPECT_EQ(info.width, 720);
  EXPECT_NEAR(info.fps, 29.97, 0.01);
  EXPECT_EQ(info.duration_ms, 8400);
  // Cover art is not a video stream.
  const auto art = ParseFfprobeJson(R"({"streams":[{"codec_type":"video","width":10,"height":10,
      "disposition":{"attached_pic":1}}],"format":{"format_name":"mov,mp4","duration":"3.0"}})");
  EXPECT_FALSE(art.has_video);
  EXPECT_EQ(ParseFfprobeJson("not json").format_name, "");
}

TEST(UploadSignatureTest, OnlyTheServersSignatureOfTheKeyAndExpiryIsAccepted) {
  const std::string key = "uploads/0123456789abcdef0123456789abcdef.mp4";
  const std::string sig = UploadSignature("secret", key, 1'800'000'000'000);
  EXPECT_EQ(sig.size(), 64U);
  EXPECT_EQ(VerifiedUploadExpiry("secret", key, "1800000000000", sig), 1'800'000'000'000);
  // Another secret, key or expiry, or the signature in another case, is refused.
  EXPECT_FALSE(VerifiedUploadExpiry("other", key, "1800000000000", sig));
  EXPECT_FALSE(VerifiedUploadExpiry("secret", "uploads/x.mp4", "1800000000000", sig));
  EXPECT_FALSE(VerifiedUploadExpiry("secret", key, "1800000000001", sig));
  std::string upper = sig;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != sig) EXPECT_FALSE(VerifiedUploadExpiry("secret", key, "1800000000000", upper));
  // Malformed expiries never reach the comparison.
  for (const char* bad :
       {"", "0", "-1", "+1800000000000", "1800000000000x", "9999999999999999", " 1800000000000"}) {
    EXPECT_FALSE(VerifiedUploadExpiry("secret", key, bad, sig)) << bad;
  }
}

}  // namespace
}  // namespace aimoviez
