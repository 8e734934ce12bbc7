#include "domain/username.h"

#include <array>
#include <cctype>

#include "common/text.h"

namespace aimoviez {

namespace {
constexpr std::array<std::string_view, 8> kReserved = {
    "admin", "administrator", "root", "system", "aimoviez", "moderator", "support", "null"};
}

Result<std::string> ValidateUsername(std::string_view raw) {
  const std::string name = text::Sanitize(raw);
  if (name.size() < 3 || name.size() > 20) {
    return Error::InvalidInput("Username must be 3-20 characters", "INVALID_USERNAME")
        .With("field", "username");
  }
  for (unsigned char c : name) {
    if (!std::isalnum(c) && c != '_') {
      return Error::InvalidInput("Username may contain only letters, digits and underscores",
                                 "INVALID_USERNAME")
          .With("field", "username");
    }
  }
  const std::string lower = text::ToLowerAscii(name);
  for (auto reserved : kReserved) {
    if (lower == reserved) {
      return Error::InvalidInput("That username is reserved", "USERNAME_RESERVED")
          .With("field", "username");
    }
  }
  return name;
}

std::string SuggestUsername(std::string_view display_name) {
  std::string out;
  for (unsigned char c : display_name) {
    if (out.size() >= 20) break;
    if (std::isalnum(c)) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if ((c == ' ' || c == '_' || c == '-' || c == '.') && !out.empty() &&
               out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  auto valid = ValidateUsername(out);
  return valid ? *valid : std::string();
}

}  // namespace aimoviez
