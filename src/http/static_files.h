// Files from disk: the built SPA (hashed assets cached forever, index.html for client routes)
// and media under the data directory (HTTP Range, strong validators, never rendered as HTML).
#pragma once

#include <optional>
#include <string>

#include "http/request_context.h"

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

HttpResponse ServeMedia(const RequestContext& ctx, const std::string& relative_path);
HttpResponse ServeWebApp(const RequestContext& ctx);

}  // namespace aimoviez::http
