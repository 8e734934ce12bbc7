// Username rules: 3–20 characters of letters, digits and underscore, not reserved. Sanitised
// first (markup and control characters removed), compared case-insensitively by storage.
#pragma once

#include <string>
#include <string_view>

#include "domain/errors.h"

namespace aimoviez {

Result<std::string> ValidateUsername(std::string_view raw);

// A valid username made from a display name ("Ann Lee" → "ann_lee"), for the onboarding form to
// offer; empty when the name gives nothing usable.
std::string SuggestUsername(std::string_view display_name);

}  // namespace aimoviez
