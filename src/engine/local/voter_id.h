// A voter key as the engine's tables hold it: 24 bytes inline instead of a 39-character string
// on the heap. The two forms the server issues are packed exactly — "device_" + 32 lower-case
// hex digits (the digits' 16 bytes) and "user_" + a user id — so distinct keys of those forms
// never share an id. Any other text (seeded or imported rows) is identified by its SHA-256,
// where two keys sharing an id would need a SHA-256 collision in 128 bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace aimoviez::engine {

struct VoterId {
  enum class Kind : std::uint8_t { kDevice = 1, kUser = 2, kOther = 3 };
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  Kind kind = Kind::kOther;

  bool operator==(const VoterId&) const = default;
};

VoterId PackVoterKey(std::string_view key);

struct VoterIdHash {
  std::size_t operator()(const VoterId& id) const {
    // Device ids are already uniformly random bits; user ids are small integers, which the
    // sharded table spreads with its own multiplicative step.
    return static_cast<std::size_t>(id.low ^ (id.high * 0x9E3779B97F4A7C15ULL) ^
                                    static_cast<std::uint64_t>(id.kind));
  }
};

}  // namespace aimoviez::engine
