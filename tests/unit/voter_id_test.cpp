#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_set>

#include "engine/local/voter_id.h"

namespace aimoviez::engine {
namespace {

struct Hash {
  std::size_t operator()(const VoterId& id) const { return VoterIdHash{}(id); }
};

TEST(VoterId, DeviceKeysPackTheirDigitsExactly) {
  const auto id = PackVoterKey(
      "device_0123456789abcdef"
      "fedcba9876543210");
  EXPECT_EQ(id.kind, VoterId::Kind::kDevice);
  EXPECT_EQ(id.high, 0x0123456789abcdefULL);
  EXPECT_EQ(id.low, 0xfedcba9876543210ULL);
}

TEST(VoterId, UserKeysPackTheirIdOnlyInTheIssuedForm) {
  EXPECT_EQ(PackVoterKey("user_7").kind, VoterId::Kind::kUser);
  EXPECT_EQ(PackVoterKey("user_7").low, 7u);
  EXPECT_EQ(PackVoterKey("user_0").kind, VoterId::Kind::kUser);
  for (const char* other : {"user_07", "user_", "user_+7", "user_-7", "user_7x", "user_ 7",
                            "user_99999999999999999999"}) {
    EXPECT_EQ(PackVoterKey(other).kind, VoterId::Kind::kOther) << other;
  }
}

// Distinct keys never share an id: a key that only looks like a packed form (upper-case digits,
// a leading zero, a digit short) is a different voter from the one it resembles.
TEST(VoterId, DistinctKeysGetDistinctIds) {
  std::mt19937_64 rng(7);
  std::unordered_set<std::string> keys;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 50'000; ++i) {
    std::string key = "device_";
    for (int d = 0; d < 32; ++d) key.push_back(kHex[rng() % 16]);
    keys.insert(key);
    std::string upper = key;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    keys.insert("device_" + upper.substr(7));
    keys.insert(key.substr(0, key.size() - 1));
  }
  for (int i = 0; i < 20'000; ++i) {
    keys.insert("user_" + std::to_string(i));
    keys.insert("user_0" + std::to_string(i));
    keys.insert("demo_voter_" + std::to_string(i));
  }
  std::unordered_set<VoterId, Hash> ids;
  for (const auto& key : keys) ids.insert(PackVoterKey(key));
  EXPECT_EQ(ids.size(), keys.size());
  for (const auto& key : keys) EXPECT_EQ(PackVoterKey(key), PackVoterKey(std::string(key)));
}

}  // namespace
}  // namespace aimoviez::engine
