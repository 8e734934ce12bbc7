#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "http/json_views.h"
#include "http/request_context.h"
#include "http/static_files.h"

namespace aimoviez::http {
namespace {

TEST(SafeJoin, RefusesTraversalAndNul) {
  EXPECT_EQ(SafeJoin("/root", "/a/b.mp4"), "/root/a/b.mp4");
  EXPECT_EQ(SafeJoin("/root", "/a/./b.mp4"), "/root/a/b.mp4");
  EXPECT_FALSE(SafeJoin("/root", "/../etc/passwd").has_value());
  EXPECT_FALSE(SafeJoin("/root", "/a/../../x").has_value());
  EXPECT_FALSE(SafeJoin("/root", std::string("/a\0b", 4)).has_value());
  EXPECT_FALSE(SafeJoin("/root", "/a\\..\\b").has_value());
}

TEST(Range, ParsesSingleRanges) {
  ByteRange r;
  EXPECT_EQ(ParseRange("bytes=0-99", 1000, r), RangeParse::kOk);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 99u);
  EXPECT_EQ(ParseRange("bytes=900-", 1000, r), RangeParse::kOk);
  EXPECT_EQ(r.last, 999u);
  EXPECT_EQ(ParseRange("bytes=-10", 1000, r), RangeParse::kOk);
  EXPECT_EQ(r.first, 990u);
  EXPECT_EQ(ParseRange("bytes=990-5000", 1000, r), RangeParse::kOk);
  EXPECT_EQ(r.last, 999u);
  EXPECT_EQ(ParseRange("bytes=1000-", 1000, r), RangeParse::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=5-1", 1000, r), RangeParse::kIgnored);
  EXPECT_EQ(ParseRange("bytes=0-1,5-6", 1000, r), RangeParse::kIgnored);
  EXPECT_EQ(ParseRange("", 1000, r), RangeParse::kNone);
}

TEST(Cookies, FindsNamedValue) {
  EXPECT_EQ(CookieValue("a=1; aimoviez_session=tok; b=2", "aimoviez_session"), "tok");
  EXPECT_EQ(CookieValue("aimoviez_session=x", "aimoviez_session"), "x");
  EXPECT_EQ(CookieValue("xaimoviez_session=x", "aimoviez_session"), "");
  EXPECT_EQ(CookieValue("", "aimoviez_session"), "");
}

}  // namespace
}  // namespace aimoviez::http

namespace aimoviez::http {
namespace {

TEST(JsonViews, StreamedClipEqualsTheTreeForm) {
  Clip c;
  c.id = 7;
  c.season_id = 2;
  c.slot_position = 3;
  c.username = "ana";
  c.title = "A \"quoted\" title\nwith a newline, é and 🎬";
  c.description = std::string("nul ") + std::string(1, '\0') + " inside";
  c.genre = "Comedy";
  c.video_url = "/media/clips/abc.mp4";
  c.status = ClipStatus::kActive;
  c.vote_count = 12;
  c.weighted_score = 30;
  c.created_at = 1'795'000'000'123;
  for (const auto user : {std::optional<Id>{}, std::optional<Id>{5}}) {
    c.user_id = user;
    std::string text;
    json::JsonWriter w(text);
    WriteClip(w, c);
    EXPECT_EQ(boost::json::parse(text), boost::json::value(ClipJson(c))) << text;
  }
}

}  // namespace
}  // namespace aimoviez::http
