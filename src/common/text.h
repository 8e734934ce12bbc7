// User-supplied text hygiene: strip markup and control characters, check UTF-8, trim. Used for
// usernames, titles, descriptions (and later comments) before anything is stored.
#pragma once

#include <string>
#include <string_view>

namespace aimoviez::text {

bool IsValidUtf8(std::string_view s);
// Removes HTML tags (anything between '<' and the next '>'), C0/C1 control characters except
// newline and tab when `keep_newlines`, and trims surrounding whitespace.
std::string Sanitize(std::string_view input, bool keep_newlines = false);
// Number of Unicode code points (input must be valid UTF-8).
std::size_t CodePointCount(std::string_view s);
// The first `max` code points of valid UTF-8 (never cuts a character in two).
std::string TruncateCodePoints(std::string_view s, std::size_t max);
std::string ToLowerAscii(std::string_view s);
std::string Trim(std::string_view s);

}  // namespace aimoviez::text
