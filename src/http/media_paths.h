// The pure parts of serving files: a URL path resolved below a root without escaping it, and
// a single-range "Range: bytes=" header read against a file size. No I/O; fuzzed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace aimoviez::http {

// Resolves a URL path below `root`, refusing traversal, NUL and absolute components.
std::optional<std::string> SafeJoin(const std::string& root, const std::string& url_path);

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
};
enum class RangeParse { kNone, kOk, kUnsatisfiable, kIgnored };
// Parses a single "bytes=" range against a file size (multi-range requests are served whole).
RangeParse ParseRange(const std::string& header, std::uint64_t size, ByteRange& out);

}  // namespace aimoviez::http
