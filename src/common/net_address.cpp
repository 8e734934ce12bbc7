#include "common/net_address.h"

#include <boost/asio/ip/address.hpp>

#include "common/crypto.h"
#include "common/text.h"

namespace aimoviez::net {

namespace {

struct Parsed {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
};

std::optional<Parsed> ParseAddress(std::string_view text) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  Parsed out;
  if (address.is_v4()) {
    const auto b = address.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), out.bytes.begin() + 12);
    out.v4 = true;
    return out;
  }
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    const auto b = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_bytes();
    std::copy(b.begin(), b.end(), out.bytes.begin() + 12);
    out.v4 = true;
    return out;
  }
  const auto b = v6.to_bytes();
  std::copy(b.begin(), b.end(), out.bytes.begin());
  return out;
}

bool PrefixMatches(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                   int first_byte, int bits) {
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
    if ((a[first_byte + i] & mask) != (b[first_byte + i] & mask)) return false;
  }
  return true;
}

}  // namespace

bool AddressRange::Contains(std::string_view ip) const {
  const auto parsed = ParseAddress(ip);
  if (!parsed || parsed->v4 != v4) return false;
  return PrefixMatches(bytes, parsed->bytes, v4 ? 12 : 0, prefix);
}

std::optional<AddressRange> ParseRange(std::string_view text) {
  const auto slash = text.find('/');
  const auto parsed = ParseAddress(text.substr(0, slash));
  if (!parsed) return std::nullopt;
  AddressRange range;
  range.bytes = parsed->bytes;
  range.v4 = parsed->v4;
  const int max_bits = range.v4 ? 32 : 128;
  range.prefix = max_bits;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    int bits = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      bits = bits * 10 + (c - '0');
    }
    if (bits > max_bits) return std::nullopt;
    range.prefix = bits;
  }
  return range;
}

std::optional<std::vector<AddressRange>> ParseRanges(std::string_view csv) {
  std::vector<AddressRange> out;
  std::size_t pos = 0;
  while (pos <= csv.size()) {
    const auto comma = csv.find(',', pos);
    const auto part = text::Trim(
        csv.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    if (!part.empty()) {
      auto range = ParseRange(part);
      if (!range) return std::nullopt;
      out.push_back(*range);
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const std::vector<AddressRange>& trusted) {
  auto is_trusted = [&](std::string_view ip) {
    for (const auto& range : trusted) {
      if (range.Contains(ip)) return true;
    }
    return false;
  };
  std::string client(peer);
  if (trusted.empty() || !is_trusted(peer)) return client;
  std::size_t end = forwarded_for.size();
  while (end > 0) {
    const auto comma = forwarded_for.rfind(',', end - 1);
    const std::size_t begin = comma == std::string_view::npos ? 0 : comma + 1;
    const std::string hop = text::Trim(forwarded_for.substr(begin, end - begin));
    if (!ParseAddress(hop)) break;  // garbage: keep the last address we could vouch for
    client = hop;
    if (!is_trusted(hop)) break;
    if (comma == std::string_view::npos) break;
    end = comma;
  }
  return client;
}

std::string NetworkOf(std::string_view ip) {
  const auto parsed = ParseAddress(ip);
  if (!parsed) return "other:" + std::string(ip);
  if (parsed->v4) {
    return "v4:" + std::to_string(parsed->bytes[12]) + "." + std::to_string(parsed->bytes[13]) +
           "." + std::to_string(parsed->bytes[14]) + "." + std::to_string(parsed->bytes[15]);
  }
  return "v6:" +
         crypto::ToHex(std::string_view(reinterpret_cast<const char*>(parsed->bytes.data()), 8));
}

bool IsLoopbackAddress(std::string_view ip) {
  static const std::vector<AddressRange> kLoopback = *ParseRanges("127.0.0.0/8,::1/128");
  for (const auto& r : kLoopback) {
    if (r.Contains(ip)) return true;
  }
  return false;
}

bool IsPublicAddress(std::string_view ip) {
  if (!ParseRange(ip)) return false;
  static const std::vector<AddressRange> kNotPublic = *ParseRanges(
      "0.0.0.0/8,10.0.0.0/8,100.64.0.0/10,127.0.0.0/8,169.254.0.0/16,172.16.0.0/12,"
      "192.0.0.0/24,192.0.2.0/24,192.168.0.0/16,198.18.0.0/15,198.51.100.0/24,203.0.113.0/24,"
      "224.0.0.0/4,240.0.0.0/4,::/128,::1/128,64:ff9b::/96,100::/64,2001:db8::/32,fc00::/7,"
      "fe80::/10,ff00::/8");
  for (const auto& r : kNotPublic) {
    if (r.Contains(ip)) return false;
  }
  return true;
}

}  // namespace aimoviez::net
