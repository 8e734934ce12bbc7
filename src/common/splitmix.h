// SplitMix64 (Steele, Lea and Flood, 2014): a few multiply-xor steps turning a counter into
// well-mixed 64-bit values. For ids and tie-breaking, where a cryptographic generator or a
// Mersenne Twister per value would cost more than the work around it; never for secrets.
#pragma once

#include <cstdint>

namespace aimoviez {

// Advances `state` and returns the next value of its sequence.
inline std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace aimoviez
