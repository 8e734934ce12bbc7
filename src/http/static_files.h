// Files from disk: the built SPA (hashed assets cached forever, index.html for client routes)
// and media under the data directory (HTTP Range, strong validators, never rendered as HTML).
#pragma once

#include <optional>
#include <string>

#include "http/media_paths.h"
#include "http/request_context.h"

namespace aimoviez::http {

HttpResponse ServeMedia(const RequestContext& ctx, const std::string& relative_path);
HttpResponse ServeWebApp(const RequestContext& ctx);

}  // namespace aimoviez::http
