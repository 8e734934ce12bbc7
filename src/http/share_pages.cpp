#include "http/share_pages.h"

#include <fstream>
#include <sstream>

#include "common/json.h"
#include "common/text.h"
#include "http/handlers.h"

namespace aimoviez::http {

namespace {

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

void Tag(std::string& out, std::string_view attr, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  out += "<meta ";
  out += attr;
  out += "=\"";
  out += name;
  out += "\" content=\"";
  out += Escape(value);
  out += "\" />\n";
}

// Where links and images point: the configured public URL, else this request's own host.
std::string PublicOrigin(const RequestContext& ctx) {
  if (!ctx.services.settings.public_url.empty()) return ctx.services.settings.public_url;
  const std::string host = ctx.request.Header("host");
  return "http://" + (host.empty() ? std::string("localhost") : host);
}

std::string Absolute(const RequestContext& ctx, std::string_view path) {
  if (path.empty() || path.rfind("http://", 0) == 0 || path.rfind("https://", 0) == 0) {
    return std::string(path);
  }
  return PublicOrigin(ctx) + std::string(path);
}

std::optional<std::string> ReadShell(const RequestContext& ctx) {
  const auto& root = ctx.services.settings.web_dir;
  if (root.empty()) return std::nullopt;
  std::ifstream in(root + "/index.html", std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

HttpResponse ShellWith(const RequestContext& ctx, const std::optional<ShareMeta>& meta) {
  auto shell = ReadShell(ctx);
  if (!shell) return ErrorResponse(Error::NotFound("Web app build"));
  HttpResponse r;
  r.status = meta ? 200 : 404;
  r.body = meta ? WithShareMeta(*shell, *meta) : *shell;
  r.Set("Content-Type", "text/html; charset=utf-8");
  r.Set("Cache-Control", "no-cache");
  return r;
}

std::string Excerpt(std::string_view text) {
  return text::TruncateCodePoints(text::Sanitize(text), 180);
}

HttpResponse ClipPage(RequestContext& ctx) {
  const auto id = json::ParseId(ctx.params.at("id"));
  auto clip = id ? ctx.services.catalog.GetClip(*id) : Result<Clip>(Error::NotFound("Clip"));
  if (!clip) return ShellWith(ctx, std::nullopt);
  ShareMeta m;
  m.type = "video.other";
  m.title = (clip->title.empty() ? std::string("Untitled scene") : clip->title) + " · AiMoviez";
  std::string what = clip->status == ClipStatus::kLocked   ? "Won slot "
                     : clip->status == ClipStatus::kActive ? "Competing for slot "
                                                           : "Ran for slot ";
  m.description = what + std::to_string(clip->slot_position) + " by @" +
                  (clip->username.empty() ? std::string("a creator") : clip->username) + ". " +
                  Excerpt(clip->description);
  m.url = Absolute(ctx, "/clip/" + std::to_string(clip->id));
  m.image = Absolute(ctx, clip->thumbnail_url);
  m.video = Absolute(ctx, clip->video_url);
  return ShellWith(ctx, m);
}

HttpResponse ProfilePage(RequestContext& ctx) {
  auto profile = ctx.services.social.ProfileOf(ctx.params.at("username"), std::nullopt);
  if (!profile) return ShellWith(ctx, std::nullopt);
  ShareMeta m;
  m.type = "profile";
  m.title = "@" + profile->user.username + " · AiMoviez";
  m.description = std::to_string(profile->counts.followers) + " followers · " +
                  std::to_string(profile->clips.size()) + " clips in the movie's rounds";
  m.url = Absolute(ctx, "/u/" + profile->user.username);
  if (!profile->clips.empty()) m.image = Absolute(ctx, profile->clips.front().thumbnail_url);
  return ShellWith(ctx, m);
}

HttpResponse WatchPage(RequestContext& ctx) {
  ShareMeta m;
  m.title = "Watch · AiMoviez";
  m.description = "Finished seasons of the movie everyone makes, one 8-second scene at a time.";
  m.url = Absolute(ctx, "/watch");
  // A malformed season id is a page visit, not an API call: the library's preview serves.
  if (const auto id = json::ParseId(ctx.Query("season").value_or(""))) {
    for (const auto& s : ctx.services.catalog.Story(true)) {
      if (s.season.id != *id) continue;
      m.title = s.season.label + " · AiMoviez";
      m.description = "A " + s.season.genre + " film in " + std::to_string(s.season.total_slots) +
                      " scenes, every one picked by the community's votes.";
      m.url = Absolute(ctx, "/watch?season=" + std::to_string(*id));
      if (!s.winners.empty()) m.image = Absolute(ctx, s.winners.begin()->second.thumbnail_url);
    }
  }
  return ShellWith(ctx, m);
}

}  // namespace

std::string WithShareMeta(std::string_view shell, const ShareMeta& meta) {
  const auto head_end = shell.find("</head>");
  if (head_end == std::string_view::npos) return std::string(shell);
  std::string tags;
  Tag(tags, "property", "og:site_name", "AiMoviez");
  Tag(tags, "property", "og:type", meta.type);
  Tag(tags, "property", "og:title", meta.title);
  Tag(tags, "property", "og:description", meta.description);
  Tag(tags, "property", "og:url", meta.url);
  Tag(tags, "property", "og:image", meta.image);
  Tag(tags, "property", "og:video", meta.video);
  if (!meta.video.empty()) Tag(tags, "property", "og:video:type", "video/mp4");
  Tag(tags, "name", "twitter:card", meta.image.empty() ? "summary" : "summary_large_image");
  Tag(tags, "name", "twitter:title", meta.title);
  Tag(tags, "name", "twitter:description", meta.description);
  Tag(tags, "name", "twitter:image", meta.image);
  std::string out(shell.substr(0, head_end));
  // The page's own title follows the shared thing too.
  if (const auto t = out.find("<title>"); t != std::string::npos) {
    if (const auto e = out.find("</title>", t); e != std::string::npos) {
      out.replace(t, e + 8 - t, "<title>" + Escape(meta.title) + "</title>");
    }
  }
  out += tags;
  out += shell.substr(head_end);
  return out;
}

void RegisterSharePageRoutes(Router& router) {
  for (const char* method : {"GET", "HEAD"}) {
    router.Add(method, "/clip/{id}", ClipPage);
    router.Add(method, "/u/{username}", ProfilePage);
    router.Add(method, "/watch", WatchPage);
  }
}

}  // namespace aimoviez::http
