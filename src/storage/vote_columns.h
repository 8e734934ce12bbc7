// A vote's nullable columns, as both backends store them: signed-in votes have no network and
// most votes no flag reason, and those are stored as NULL.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/ports.h"

namespace aimoviez {

inline std::optional<std::int64_t> NetworkColumn(const VoteRecord& v) {
  return v.network != 0 ? std::optional<std::int64_t>(v.network) : std::nullopt;
}

inline std::optional<std::string_view> FlagReasonColumn(const VoteRecord& v) {
  return v.flag_reason.empty() ? std::nullopt : std::optional<std::string_view>(v.flag_reason);
}

}  // namespace aimoviez
