// The sliding rate window, and the two places its windows can live: this process, or Redis
// (shared by a cluster's nodes). Both must give the same decisions for the same attempts.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "cluster/redis_client.h"
#include "cluster/redis_rate_windows.h"
#include "common/crypto.h"
#include "domain/rate_windows.h"
#include "redis_support.h"

namespace aimoviez {
namespace {

constexpr EpochMs kMinute = 60'000;
constexpr EpochMs kT0 = 1'800'000'000'000 - 1'800'000'000'000 % kMinute;  // a minute's start

TEST(RateWindow, AllowsTheLimitThenRefusesWithRetryAfter) {
  RateWindow w;
  for (int i = 0; i < 5; ++i) {
    const auto d = AdmitToWindow(w, 5, kT0 + 1000);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, 4 - i);
  }
  const auto refused = AdmitToWindow(w, 5, kT0 + 1000);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 59);  // the window resets at the next minute
  EXPECT_EQ(refused.reset_at_ms, kT0 + kMinute);
  EXPECT_EQ(w.current, 5);  // a refusal is not counted
}

TEST(RateWindow, ThePreviousMinuteCountsByItsOverlap) {
  RateWindow w;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(AdmitToWindow(w, 10, kT0 + 59'000).allowed);
  // A quarter into the next minute, three quarters of the previous ten still count: 7.5 used.
  const auto d = AdmitToWindow(w, 10, kT0 + kMinute + 15'000);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 1);  // 10 - 8.5, rounded down
  EXPECT_TRUE(AdmitToWindow(w, 10, kT0 + kMinute + 15'000).allowed);
  const auto refused = AdmitToWindow(w, 10, kT0 + kMinute + 15'000);
  EXPECT_FALSE(refused.allowed);
  // 10.5 would be used: half an attempt must slide out, 1/20 of a minute = 3 s.
  EXPECT_EQ(refused.retry_after_seconds, 4);
  // After a gap of more than a minute nothing carries over.
  EXPECT_EQ(AdmitToWindow(w, 10, kT0 + 5 * kMinute).remaining, 9);
}

TEST(KeyedWindows, IdleWindowsGoOnceTheMapIsLargeAndTheMapHasABound) {
  KeyedWindows windows;
  const auto fill = [&](std::size_t from, std::size_t to, EpochMs at) {
    for (std::size_t i = from; i < to; ++i) {
      AdmitToWindow(windows.For("k" + std::to_string(i), at), 10, at);
    }
  };
  fill(0, KeyedWindows::kSweepAbove, kT0);
  fill(0, 1, kT0 + 2 * kMinute - 1);  // k0 is used again a minute later
  EXPECT_EQ(windows.size(), KeyedWindows::kSweepAbove);
  // A new key then sweeps the windows idle for over a minute; k0's stays, with its count.
  fill(KeyedWindows::kSweepAbove, KeyedWindows::kSweepAbove + 1, kT0 + 2 * kMinute);
  EXPECT_EQ(windows.size(), 2U);
  EXPECT_EQ(windows.For("k0", kT0 + 2 * kMinute).current, 1);
  // Fresh keys are not swept (and a flood of them sweeps once a minute, not once a key), but
  // past the hard cap the map starts over.
  fill(0, KeyedWindows::kHardCap, kT0 + 3 * kMinute);
  EXPECT_EQ(windows.size(), KeyedWindows::kHardCap);
  fill(KeyedWindows::kHardCap, KeyedWindows::kHardCap + 1, kT0 + 3 * kMinute);
  EXPECT_EQ(windows.size(), 1U);
}

// The same attempts against local windows and against another implementation give the same
// decisions, field by field.
void ExpectSameDecisions(RateWindows& other, const std::string& key) {
  LocalRateWindows local;
  const EpochMs times[] = {kT0 + 100,
                           kT0 + 200,
                           kT0 + 30'000,
                           kT0 + 59'999,
                           kT0 + kMinute + 1,
                           kT0 + kMinute + 20'000,
                           kT0 + kMinute + 40'000,
                           kT0 + 3 * kMinute};
  for (EpochMs t : times) {
    for (int i = 0; i < 3; ++i) {
      const auto a = local.Admit(key, 4, t);
      const auto b = other.Admit(key, 4, t);
      EXPECT_EQ(a.allowed, b.allowed) << "at " << t - kT0;
      EXPECT_EQ(a.remaining, b.remaining) << "at " << t - kT0;
      EXPECT_EQ(a.retry_after_seconds, b.retry_after_seconds) << "at " << t - kT0;
      EXPECT_EQ(a.reset_at_ms, b.reset_at_ms) << "at " << t - kT0;
    }
  }
}

std::unique_ptr<redis::Pool> TestPool() {
  return std::make_unique<redis::Pool>(redis::Endpoint::Parse(*testing::RedisServerUrl()), 4,
                                       std::chrono::milliseconds(2000));
}

std::string UniquePrefix() {
  return "test:" + crypto::ToHex(crypto::RandomBytes(6)) + ":";
}

// Two nodes' windows over one Redis: each its own connections, one key prefix.
struct TwoNodes {
  std::unique_ptr<redis::Pool> pool_a = TestPool();
  std::unique_ptr<redis::Pool> pool_b = TestPool();
  std::string prefix = UniquePrefix();
  cluster::RedisRateWindows a{*pool_a, prefix};
  cluster::RedisRateWindows b{*pool_b, prefix};
};

TEST(RedisRateWindows, DecideAsTheLocalWindowsDo) {
  AIMOVIEZ_NEED_REDIS();
  auto pool = TestPool();
  cluster::RedisRateWindows windows(*pool, UniquePrefix());
  ExpectSameDecisions(windows, "ip:192.0.2.1");
}

TEST(RedisRateWindows, TwoNodesShareOneBudget) {
  AIMOVIEZ_NEED_REDIS();
  TwoNodes nodes;
  auto& node_a = nodes.a;
  auto& node_b = nodes.b;
  int allowed = 0;
  for (int i = 0; i < 10; ++i) {
    allowed += node_a.Admit("u:7", 6, kT0 + 10).allowed ? 1 : 0;
    allowed += node_b.Admit("u:7", 6, kT0 + 10).allowed ? 1 : 0;
  }
  EXPECT_EQ(allowed, 6);
  EXPECT_TRUE(node_b.Admit("u:8", 6, kT0 + 10).allowed);  // another client, its own budget
}

TEST(RedisRateWindows, CountersExpireAfterTwoMinutes) {
  AIMOVIEZ_NEED_REDIS();
  auto pool = TestPool();
  const std::string prefix = UniquePrefix();
  cluster::RedisRateWindows windows(*pool, prefix);
  windows.Admit("k", 3, kT0);
  const auto ttl = pool->Command({"PTTL", prefix + "k:" + std::to_string(kT0 / kMinute)});
  EXPECT_GT(ttl.integer, 100'000);
  EXPECT_LE(ttl.integer, 120'000);
}

// A day's allowance: `limit` under one key, shared by whoever counts in the same windows; the
// next UTC day starts again; another key has its own.
void ExpectADaysAllowance(RateWindows& a, RateWindows& b) {
  constexpr EpochMs kDay = 86'400'000;
  const EpochMs day_start = kT0 / kDay * kDay;
  int allowed = 0;
  for (int i = 0; i < 10; ++i) {
    allowed += a.AdmitToday("readers:7", 4, day_start + i) ? 1 : 0;
    allowed += b.AdmitToday("readers:7", 4, day_start + kDay - 1 - i) ? 1 : 0;
  }
  EXPECT_EQ(allowed, 4);
  EXPECT_TRUE(b.AdmitToday("readers:8", 4, day_start));
  EXPECT_TRUE(a.AdmitToday("readers:7", 4, day_start + kDay));
}

TEST(LocalRateWindows, CountADaysAllowance) {
  LocalRateWindows windows;
  ExpectADaysAllowance(windows, windows);
}

TEST(RedisRateWindows, TwoNodesShareADaysAllowance) {
  AIMOVIEZ_NEED_REDIS();
  TwoNodes nodes;
  auto& node_a = nodes.a;
  auto& node_b = nodes.b;
  ExpectADaysAllowance(node_a, node_b);
}

TEST(RedisRateWindows, FailClosedWhenRedisIsUnreachable) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  redis::Pool pool(redis::Endpoint::Parse("redis://127.0.0.1:1"), 2,
                   std::chrono::milliseconds(300));
  cluster::RedisRateWindows windows(pool, UniquePrefix());
  EXPECT_THROW(windows.Admit("ip:192.0.2.9", 5, kT0), LimitsUnavailable);
  EXPECT_THROW(windows.AdmitToday("readers:9", 5, kT0), LimitsUnavailable);
  try {
    windows.Admit("ip:192.0.2.9", 5, kT0);
  } catch (const LimitsUnavailable& e) {
    EXPECT_EQ(e.error().code, "LIMITS_UNAVAILABLE");
    EXPECT_EQ(e.error().kind, ErrorKind::kUnavailable);
  }
}

TEST(RedisEndpoint, ParsesHostPortPasswordAndDatabase) {
  const auto e = redis::Endpoint::Parse("redis://:s3cret@cache.internal:6380/2");
  EXPECT_EQ(e.host, "cache.internal");
  EXPECT_EQ(e.port, 6380);
  EXPECT_EQ(e.password, "s3cret");
  EXPECT_EQ(e.db, 2);
  const auto plain = redis::Endpoint::Parse("redis://10.0.0.5");
  EXPECT_EQ(plain.port, 6379);
  EXPECT_EQ(plain.db, 0);
  EXPECT_THROW(redis::Endpoint::Parse("http://10.0.0.5"), std::invalid_argument);
  EXPECT_THROW(redis::Endpoint::Parse("redis://10.0.0.5/x"), std::invalid_argument);
  EXPECT_THROW(redis::Endpoint::Parse("redis://10.0.0.5:0"), std::invalid_argument);
}

}  // namespace
}  // namespace aimoviez
