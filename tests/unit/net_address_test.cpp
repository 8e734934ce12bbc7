// Client addresses behind proxies and the networks vote budgets are counted for.
#include <gtest/gtest.h>

#include "common/net_address.h"

namespace aimoviez::net {
namespace {

std::vector<AddressRange> Ranges(std::string_view csv) {
  auto r = ParseRanges(csv);
  EXPECT_TRUE(r.has_value()) << csv;
  return r.value_or(std::vector<AddressRange>{});
}

TEST(NetAddress, RangesMatchByPrefix) {
  const auto ranges = Ranges("10.0.0.0/8, 192.168.1.7, 2001:db8::/32");
  ASSERT_EQ(ranges.size(), 3U);
  EXPECT_TRUE(ranges[0].Contains("10.200.3.4"));
  EXPECT_FALSE(ranges[0].Contains("11.0.0.1"));
  EXPECT_TRUE(ranges[0].Contains("::ffff:10.1.2.3"));  // IPv4-mapped is the IPv4 address
  EXPECT_TRUE(ranges[1].Contains("192.168.1.7"));
  EXPECT_FALSE(ranges[1].Contains("192.168.1.8"));
  EXPECT_TRUE(ranges[2].Contains("2001:db8:ffff::1"));
  EXPECT_FALSE(ranges[2].Contains("2001:db9::1"));
  EXPECT_FALSE(ranges[2].Contains("10.0.0.1"));
  EXPECT_FALSE(ranges[0].Contains("not an address"));
}

TEST(NetAddress, BadRangesAreRefused) {
  EXPECT_FALSE(ParseRanges("10.0.0.0/33"));
  EXPECT_FALSE(ParseRanges("10.0.0.0/"));
  EXPECT_FALSE(ParseRanges("example.com"));
  EXPECT_FALSE(ParseRanges("::1/129"));
  EXPECT_FALSE(ParseRanges("10.0.0.1,nonsense"));
  EXPECT_TRUE(ParseRanges("")->empty());
}

TEST(NetAddress, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  const auto proxies = Ranges("127.0.0.1, 10.0.0.0/8");
  // Not from a proxy: the header is the client's own claim.
  EXPECT_EQ(ClientAddress("203.0.113.9", "1.2.3.4", proxies), "203.0.113.9");
  EXPECT_EQ(ClientAddress("203.0.113.9", "1.2.3.4", {}), "203.0.113.9");
  // From the proxy: the nearest untrusted hop, read from the right, so what a client prepends
  // ("6.6.6.6") is never taken.
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7", proxies), "198.51.100.7");
  EXPECT_EQ(ClientAddress("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.1.1", proxies), "198.51.100.7");
  // No header, or garbage at the right end: the last address vouched for.
  EXPECT_EQ(ClientAddress("127.0.0.1", "", proxies), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7, evil", proxies), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "2001:db8::5", proxies), "2001:db8::5");
  // Every hop a proxy: the farthest one.
  EXPECT_EQ(ClientAddress("127.0.0.1", "10.0.0.2, 10.0.0.3", proxies), "10.0.0.2");
}

TEST(NetAddress, NetworksAreAddressesOrSlash64s) {
  EXPECT_EQ(NetworkOf("198.51.100.7"), "v4:198.51.100.7");
  EXPECT_EQ(NetworkOf("::ffff:198.51.100.7"), "v4:198.51.100.7");
  EXPECT_EQ(NetworkOf("2001:db8:1:2:aaaa::1"), NetworkOf("2001:db8:1:2:ffff:ffff:ffff:ffff"));
  EXPECT_NE(NetworkOf("2001:db8:1:2::1"), NetworkOf("2001:db8:1:3::1"));
  EXPECT_EQ(NetworkOf("2001:db8:1:2::1"), "v6:20010db800010002");
  EXPECT_EQ(NetworkOf("unknown"), "other:unknown");
}

}  // namespace
}  // namespace aimoviez::net
