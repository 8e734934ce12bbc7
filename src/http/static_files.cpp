#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/compression.h"
#include "http/router.h"

namespace aimoviez::http {

namespace fs = std::filesystem;

namespace {

std::string Extension(const std::string& path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// Media are served only with these types: anything else is refused, so an uploaded file can
// never be sniffed or rendered as a page from our origin.
std::optional<std::string> MediaType(const std::string& ext) {
  if (ext == "mp4" || ext == "m4v") return "video/mp4";
  if (ext == "webm") return "video/webm";
  if (ext == "mov") return "video/quicktime";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png") return "image/png";
  if (ext == "webp") return "image/webp";
  return std::nullopt;
}

std::string WebType(const std::string& ext) {
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json; charset=utf-8";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "yaml" || ext == "yml") return "application/yaml; charset=utf-8";
  if (auto m = MediaType(ext)) return *m;
  return "application/octet-stream";
}

std::string ETagFor(const fs::path& p, std::uint64_t size) {
  std::error_code ec;
  const auto mtime = fs::last_write_time(p, ec).time_since_epoch().count();
  std::ostringstream os;
  os << '"' << std::hex << size << '-' << mtime << '"';
  return os.str();
}

HttpResponse FileResponse(const RequestContext& ctx, const std::string& path,
                          const std::string& content_type, const std::string& cache_control,
                          bool allow_ranges) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return ErrorResponse(Error::NotFound("File"));
  const std::string etag = ETagFor(path, size);
  HttpResponse r;
  r.Set("Content-Type", content_type);
  r.Set("Cache-Control", cache_control);
  r.Set("ETag", etag);
  if (allow_ranges) r.Set("Accept-Ranges", "bytes");
  if (ctx.request.Header("if-none-match") == etag) {
    r.status = 304;
    return r;
  }
  ByteRange range;
  const auto parsed =
      allow_ranges ? ParseRange(ctx.request.Header("range"), size, range) : RangeParse::kNone;
  if (parsed == RangeParse::kUnsatisfiable) {
    HttpResponse bad = ErrorResponse(Error{ErrorKind::kInvalidInput,
                                           "RANGE_NOT_SATISFIABLE",
                                           "Requested range is outside the file",
                                           {}});
    bad.status = 416;
    bad.Set("Content-Range", "bytes */" + std::to_string(size));
    return bad;
  }
  if (parsed == RangeParse::kOk) {
    r.status = 206;
    r.Set("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                               std::to_string(range.last) + "/" + std::to_string(size));
    r.file = FileBody{path, range.first, range.last - range.first + 1};
  } else {
    r.file = FileBody{path, 0, size};
  }
  return r;
}

// A file of the web app, from its precompressed sibling (`.br`, `.gz`, written by the web build)
// when the client accepts that coding.
HttpResponse WebFile(const RequestContext& ctx, const std::string& path,
                     const std::string& content_type, const std::string& cache_control) {
  std::error_code ec;
  const bool have_brotli = fs::is_regular_file(path + ".br", ec);
  const bool have_gzip = fs::is_regular_file(path + ".gz", ec);
  const auto coding =
      ChooseStaticCoding(ctx.request.Header("accept-encoding"), have_brotli, have_gzip);
  const std::string served = coding == ContentCoding::kBrotli ? path + ".br"
                             : coding == ContentCoding::kGzip ? path + ".gz"
                                                              : path;
  auto r = FileResponse(ctx, served, content_type, cache_control, false);
  if (have_brotli || have_gzip) r.Set("Vary", "Accept-Encoding");
  if (coding != ContentCoding::kIdentity && r.status < 400) {
    r.Set("Content-Encoding", coding == ContentCoding::kBrotli ? "br" : "gzip");
  }
  return r;
}

}  // namespace

HttpResponse ServeMedia(const RequestContext& ctx, const std::string& relative_path) {
  // The path is normalised first ("//", "/./" dropped, ".." refused), so the checks below see
  // the file that would be served, whatever spelling reached it.
  const auto normalized = SafeJoin("", relative_path);
  if (!normalized || normalized->empty()) return ErrorResponse(Error::NotFound("Media"));
  const std::string relative = normalized->substr(1);
  // Originals as uploaded (possibly polyglots) and files still streaming in are never served;
  // only processed media are.
  if (relative.rfind("uploads/", 0) == 0 || relative.rfind(".incoming/", 0) == 0) {
    return ErrorResponse(Error::NotFound("Media"));
  }
  const auto path = ctx.services.settings.media_dir + *normalized;
  const auto type = MediaType(Extension(path));
  if (!type || !fs::is_regular_file(path)) return ErrorResponse(Error::NotFound("Media"));
  // Processed clips, posters and films are named by their content hash: a name never changes
  // meaning, so browsers may keep them forever.
  const bool content_addressed = relative.rfind("clips/", 0) == 0 ||
                                 relative.rfind("thumbs/", 0) == 0 ||
                                 relative.rfind("films/", 0) == 0;
  auto r = FileResponse(
      ctx, path, *type,
      content_addressed ? "public, max-age=31536000, immutable" : "public, max-age=86400", true);
  const bool download = ctx.Query("download").value_or("") == "1";
  const auto name = fs::path(path).filename().string();
  r.Set("Content-Disposition",
        (download ? "attachment; filename=\"" : "inline; filename=\"") + name + "\"");
  // Media never run as a document, even if opened directly.
  r.Set("Content-Security-Policy", "default-src 'none'; sandbox");
  return r;
}

HttpResponse ServeWebApp(const RequestContext& ctx) {
  const auto& path = ctx.request.path;
  if (path.rfind("/media/", 0) == 0) return ServeMedia(ctx, path.substr(7));
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return ErrorResponse(
        Error{ErrorKind::kMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed", {}});
  }
  const auto& root = ctx.services.settings.web_dir;
  if (root.empty()) return ErrorResponse(Error::NotFound("Web app build"));
  const auto file = SafeJoin(root, path);
  if (!file) return ErrorResponse(Error::NotFound("File"));
  if (path != "/" && fs::is_regular_file(*file)) {
    // Vite puts content-hashed files under /assets: they can be cached forever.
    const bool hashed = path.rfind("/assets/", 0) == 0;
    return WebFile(ctx, *file, WebType(Extension(*file)),
                   hashed ? "public, max-age=31536000, immutable" : "no-cache");
  }
  // Client-side routes (/dashboard, /story, ...) get the app shell; missing files with an
  // extension are real 404s.
  if (!Extension(path).empty()) return ErrorResponse(Error::NotFound("File"));
  return WebFile(ctx, root + "/index.html", "text/html; charset=utf-8", "no-cache");
}

}  // namespace aimoviez::http
