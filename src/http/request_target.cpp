#include "http/request_target.h"

#include <boost/url/parse.hpp>

#include <array>

namespace aimoviez::http {

namespace {

// Characters a path or query may hold as they are and that decode to themselves: the unreserved
// ones, the sub-delimiters but '+' (a space in some query conventions), ':', '@', '/' and '?'.
// '%' (an escape), '#' (a fragment) and everything else take the library's path.
constexpr std::array<bool, 256> PlainCharacters() {
  std::array<bool, 256> plain{};
  for (int c = 'a'; c <= 'z'; ++c) plain[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) plain[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) plain[static_cast<std::size_t>(c)] = true;
  for (const char c : std::string_view("-._~!$&'()*,;=:@/?")) {
    plain[static_cast<unsigned char>(c)] = true;
  }
  return plain;
}
constexpr std::array<bool, 256> kPlain = PlainCharacters();

bool IsPlain(std::string_view text) {
  for (const char c : text) {
    if (!kPlain[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

}  // namespace

bool ParseRequestTargetWithUrlLibrary(std::string_view target, std::string& path,
                                      HeaderMap& query) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return false;
  const auto& url = *parsed;
  path = std::string(url.path());
  if (path.empty() || path.front() != '/') return false;
  for (auto param : url.params()) query[std::string(param.key)] = std::string(param.value);
  return true;
}

bool ParseRequestTarget(std::string_view target, std::string& path, HeaderMap& query) {
  if (target.empty() || target.front() != '/' || !IsPlain(target)) {
    return ParseRequestTargetWithUrlLibrary(target, path, query);
  }
  const auto question = target.find('?');
  path.assign(target.substr(0, question));
  if (question == std::string_view::npos) return true;
  std::string_view rest = target.substr(question + 1);
  for (;;) {
    const auto amp = rest.find('&');
    const auto param = rest.substr(0, amp);
    const auto equals = param.find('=');
    auto& value = query[std::string(param.substr(0, equals))];
    value.assign(equals == std::string_view::npos ? std::string_view() : param.substr(equals + 1));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return true;
}

}  // namespace aimoviez::http
