#include <gtest/gtest.h>

#include <random>
#include <string>

#include "http/request_target.h"

namespace aimoviez::http {
namespace {

struct Parsed {
  bool ok = false;
  std::string path;
  HeaderMap query;
};

Parsed Fast(const std::string& target) {
  Parsed p;
  p.ok = ParseRequestTarget(target, p.path, p.query);
  return p;
}

Parsed Reference(const std::string& target) {
  Parsed p;
  p.ok = ParseRequestTargetWithUrlLibrary(target, p.path, p.query);
  return p;
}

void ExpectSame(const std::string& target) {
  const auto fast = Fast(target);
  const auto reference = Reference(target);
  ASSERT_EQ(fast.ok, reference.ok) << target;
  if (!fast.ok) return;
  EXPECT_EQ(fast.path, reference.path) << target;
  EXPECT_EQ(fast.query, reference.query) << target;
}

TEST(RequestTarget, SplitsPathAndQuery) {
  const auto p = Fast("/api/vote?limit=8&excludeIds=1,2,3");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.path, "/api/vote");
  EXPECT_EQ(p.query, (HeaderMap{{"limit", "8"}, {"excludeIds", "1,2,3"}}));
  const auto decoded = Fast("/media/a%20b?q=x%26y");
  ASSERT_TRUE(decoded.ok);
  EXPECT_EQ(decoded.path, "/media/a b");
  EXPECT_EQ(decoded.query, (HeaderMap{{"q", "x&y"}}));
  EXPECT_FALSE(Fast("api/vote").ok);
  EXPECT_FALSE(Fast("/a b").ok);
}

TEST(RequestTarget, EdgeCasesMatchTheUrlLibrary) {
  for (const char* target :
       {"/",         "/a",     "/a/",         "//",         "//a",      "/a//b",  "/a?",
        "/a?&",      "/a?&&",  "/a?=",        "/a?=x",      "/a?x",     "/a?x=",  "/a?x=1&x=2",
        "/a?x=y=z",  "/a?b?c", "/a?x=1&&y=2", "/a?x/y=z/w", "/a#f",     "/a?x#f", "/a?x=%41",
        "/%2e%2e/x", "/a?x=+", "/a+b",        "/a?%",       "/a?x=%G1", "/a;b=c", "/a@b:c",
        "/a?@:/?",   "/é",     "/a?x=é",      "/a\x01",     "/a?\x7f"}) {
    ExpectSame(target);
  }
}

// Generated targets mixing plain characters with every kind of special one: the direct split
// and the library agree on validity, path and parameters.
TEST(RequestTarget, GeneratedTargetsMatchTheUrlLibrary) {
  const std::string alphabet =
      "abcXYZ019-._~!$&'()*,;=:@/?"  // plain
      "%+# \"<>\\^`{|}[]\x01\x7f\xc3\xa9";
  std::mt19937 rng(11);
  for (int i = 0; i < 100'000; ++i) {
    std::string target = "/";
    const int length = static_cast<int>(rng() % 24);
    for (int k = 0; k < length; ++k) {
      // Mostly plain characters, so many targets take the direct path.
      const std::size_t pick = rng() % 10 < 8 ? rng() % 27 : rng() % alphabet.size();
      target.push_back(alphabet[pick]);
      if (alphabet[pick] == '%' && rng() % 2) target += "41";
    }
    ExpectSame(target);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace aimoviez::http
