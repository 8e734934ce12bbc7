#include "domain/vote_types.h"

namespace aimoviez {

std::uint8_t PowerBit(VoteType type) {
  return type == VoteType::kSuper ? 1 : type == VoteType::kMega ? 2 : 0;
}

int WeightOf(VoteType type) {
  switch (type) {
    case VoteType::kStandard:
      return 1;
    case VoteType::kSuper:
      return 3;
    case VoteType::kMega:
      return 10;
  }
  return 1;
}

std::string_view ToString(VoteType type) {
  switch (type) {
    case VoteType::kStandard:
      return "standard";
    case VoteType::kSuper:
      return "super";
    case VoteType::kMega:
      return "mega";
  }
  return "standard";
}

std::optional<VoteType> ParseVoteType(std::string_view s) {
  if (s == "standard") return VoteType::kStandard;
  if (s == "super") return VoteType::kSuper;
  if (s == "mega") return VoteType::kMega;
  return std::nullopt;
}

}  // namespace aimoviez
