#include "http/media_paths.h"

#include <algorithm>
#include <cctype>

namespace aimoviez::http {

std::optional<std::string> SafeJoin(const std::string& root, const std::string& url_path) {
  if (url_path.find('\0') != std::string::npos || url_path.find('\\') != std::string::npos) {
    return std::nullopt;
  }
  std::string out = root;
  std::size_t pos = 0;
  while (pos <= url_path.size()) {
    const auto slash = url_path.find('/', pos);
    const auto seg =
        url_path.substr(pos, (slash == std::string::npos ? url_path.size() : slash) - pos);
    if (seg == "..") return std::nullopt;
    if (!seg.empty() && seg != ".") out += "/" + seg;
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return out;
}

RangeParse ParseRange(const std::string& header, std::uint64_t size, ByteRange& out) {
  if (header.empty()) return RangeParse::kNone;
  if (header.rfind("bytes=", 0) != 0 || header.find(',') != std::string::npos) {
    return RangeParse::kIgnored;
  }
  const std::string spec = header.substr(6);
  const auto dash = spec.find('-');
  if (dash == std::string::npos) return RangeParse::kIgnored;
  const std::string a = spec.substr(0, dash), b = spec.substr(dash + 1);
  auto number = [](const std::string& s, std::uint64_t& v) {
    if (s.empty() || s.size() > 19 || !std::all_of(s.begin(), s.end(), ::isdigit)) return false;
    v = std::stoull(s);
    return true;
  };
  std::uint64_t first = 0, last = 0;
  if (a.empty()) {  // suffix: the last N bytes
    if (!number(b, last) || last == 0) return RangeParse::kUnsatisfiable;
    if (size == 0) return RangeParse::kUnsatisfiable;
    out = ByteRange{size > last ? size - last : 0, size - 1};
    return RangeParse::kOk;
  }
  if (!number(a, first)) return RangeParse::kIgnored;
  if (first >= size) return RangeParse::kUnsatisfiable;
  if (b.empty()) {
    last = size - 1;
  } else {
    if (!number(b, last) || last < first) return RangeParse::kIgnored;
    last = std::min(last, size - 1);
  }
  out = ByteRange{first, last};
  return RangeParse::kOk;
}

}  // namespace aimoviez::http
