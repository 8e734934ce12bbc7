#include "engine/local/voter_id.h"

#include <array>
#include <charconv>
#include <cstring>
#include <string>

#include "common/crypto.h"

namespace aimoviez::engine {

namespace {

constexpr std::string_view kDevicePrefix = "device_";
constexpr std::string_view kUserPrefix = "user_";

// Lower-case hex only: "AB" and "ab" are different keys and must not pack alike. A table, as
// every vote and feed answer parses 32 digits.
constexpr std::array<std::int8_t, 256> kHexDigits = [] {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  for (int c = '0'; c <= '9'; ++c)
    table[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c)
    table[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  return table;
}();

bool ParseHex64(std::string_view digits, std::uint64_t& out) {
  out = 0;
  int invalid = 0;  // checked once at the end: no branch per digit
  for (const char c : digits) {
    const int d = kHexDigits[static_cast<unsigned char>(c)];
    invalid |= d;
    out = (out << 4) | static_cast<std::uint64_t>(d & 0xF);
  }
  return invalid >= 0;
}

bool PackDevice(std::string_view key, VoterId& id) {
  if (key.size() != kDevicePrefix.size() + 32 || !key.starts_with(kDevicePrefix)) return false;
  const auto digits = key.substr(kDevicePrefix.size());
  id.kind = VoterId::Kind::kDevice;
  return ParseHex64(digits.substr(0, 16), id.high) && ParseHex64(digits.substr(16), id.low);
}

// Only the form std::to_string writes ("user_7", never "user_07" or "user_+7").
bool PackUser(std::string_view key, VoterId& id) {
  if (!key.starts_with(kUserPrefix)) return false;
  const auto digits = key.substr(kUserPrefix.size());
  if (digits.empty() || digits.size() > 19 || (digits.size() > 1 && digits.front() == '0')) {
    return false;
  }
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return false;
  id.kind = VoterId::Kind::kUser;
  id.high = 0;
  id.low = value;
  return true;
}

}  // namespace

VoterId PackVoterKey(std::string_view key) {
  VoterId id;
  if (PackDevice(key, id) || PackUser(key, id)) return id;
  const std::string digest = crypto::Sha256(key);
  id = VoterId{};
  id.kind = VoterId::Kind::kOther;
  std::memcpy(&id.high, digest.data(), 8);
  std::memcpy(&id.low, digest.data() + 8, 8);
  return id;
}

}  // namespace aimoviez::engine
