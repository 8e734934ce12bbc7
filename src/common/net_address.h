// Client addresses as the abuse limits see them: which address a request really came from when
// it passed through a trusted reverse proxy, and which network an address belongs to (an IPv4
// address, or the /64 an IPv6 host is given — one household or phone gets a whole /64, so
// counting single IPv6 addresses would give an attacker 2^64 identities). Pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aimoviez::net {

// An address or CIDR block ("10.0.0.0/8", "::1", "2001:db8::/32"). IPv4-mapped IPv6 addresses
// ("::ffff:1.2.3.4") are treated as the IPv4 address they carry.
struct AddressRange {
  std::array<std::uint8_t, 16> bytes{};  // IPv4 in the last four bytes
  bool v4 = false;
  int prefix = 0;  // bits of `bytes` that must match (of 32 for IPv4, of 128 for IPv6)

  bool Contains(std::string_view ip) const;
};

std::optional<AddressRange> ParseRange(std::string_view text);
// A comma-separated list; nullopt names nothing: the caller reports the whole value as bad.
std::optional<std::vector<AddressRange>> ParseRanges(std::string_view csv);

// The client's address: the peer itself unless the peer is a trusted proxy, in which case the
// nearest address in X-Forwarded-For that is not itself a trusted proxy (a client can prepend
// anything to that header, so it is read from the right). Malformed entries end the walk at
// the last address known to be good.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const std::vector<AddressRange>& trusted);

// Loopback: 127.0.0.0/8, ::1 (and IPv4-mapped forms).
bool IsLoopbackAddress(std::string_view ip);
// A globally routable unicast address: not loopback, private, link-local, carrier-grade NAT,
// unique-local, multicast, documentation, benchmarking or unspecified. Outbound requests to
// addresses users choose (Web Push endpoints) go only to these.
bool IsPublicAddress(std::string_view ip);

// The network a vote budget is counted for: "v4:a.b.c.d" or "v6:" + the first 64 bits in hex;
// an unparseable address is its own network ("other:" + the text).
std::string NetworkOf(std::string_view ip);

}  // namespace aimoviez::net
