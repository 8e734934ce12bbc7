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

// The feed streams a clip from the engine's snapshot plus the answer's counts; it must read the
// same as the tree form of that clip with those counts.
TEST(JsonViews, StreamedFeedClipEqualsTheTreeForm) {
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
  c.vote_count = 1;  // the snapshot's counts are stale; the answer's win
  c.created_at = 1'795'000'000'123;
  auto expect_same = [](const FeedClip& feed_clip, std::int64_t comments) {
    std::string text;
    json::JsonWriter w(text);
    WriteFeedClip(w, feed_clip, comments);
    Clip expected = *feed_clip.clip;
    expected.vote_count = feed_clip.vote_count;
    expected.weighted_score = feed_clip.weighted_score;
    expected.view_count = feed_clip.view_count;
    expected.comment_count = comments;
    EXPECT_EQ(boost::json::parse(text), boost::json::value(ClipJson(expected))) << text;
  };
  for (const auto user : {std::optional<Id>{}, std::optional<Id>{5}}) {
    c.user_id = user;
    // A new snapshot of the same clip (as after a reload) is rendered afresh; the same snapshot
    // again, with other counts, reuses the rendering.
    const auto snapshot = std::make_shared<const Clip>(c);
    expect_same(FeedClip{snapshot, 12, 30, 4}, 2);
    expect_same(FeedClip{snapshot, 13, 33, 5}, 0);
  }
  c.title = "Renamed";
  expect_same(FeedClip{std::make_shared<const Clip>(c), 14, 34, 6}, 1);
}

}  // namespace
}  // namespace aimoviez::http
