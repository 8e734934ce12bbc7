// Username rules: 3–20 characters of letters, digits and underscore, not reserved. Sanitised
// first (markup and control characters removed), compared case-insensitively by storage.
#pragma once

#include <string>
#include <string_view>

#include "domain/errors.h"

namespace aimoviez {

Result<std::string> ValidateUsername(std::string_view raw);

}  // namespace aimoviez
