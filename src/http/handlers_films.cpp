// The film of a season: public status (and the file once built), admin (re)build request.
#include <boost/json/parse.hpp>

#include "http/handlers.h"

namespace aimoviez::http {

namespace {

boost::json::object FilmJson(const Film& f) {
  boost::system::error_code ec;
  auto chapters = boost::json::parse(f.chapters_json, ec);
  boost::json::object o{{"seasonId", f.season_id},
                        {"status", ToString(f.status)},
                        {"progress", f.progress},
                        {"durationMs", f.duration_ms},
                        {"chapters", ec ? boost::json::value(boost::json::array{}) : chapters},
                        {"updatedAt", FormatIso8601(f.updated_at)}};
  if (f.status == FilmStatus::kReady) {
    o["videoUrl"] = f.video_url;
    o["downloadUrl"] = f.video_url + "?download=1";
  }
  if (!f.error.empty()) o["error"] = f.error;
  return o;
}

HttpResponse GetFilm(RequestContext& ctx) {
  return Reply(ctx.services.films.Get(ctx.ParamId("id")), [](const Film& f) {
    return boost::json::object{{"film", FilmJson(f)}};
  });
}

HttpResponse RequestFilm(RequestContext& ctx) {
  return Reply(
      ctx.services.films.Request(ctx.ParamId("id"), ctx.audit_actor()),
      [](const Film& f) {
        return boost::json::object{{"film", FilmJson(f)}};
      },
      202);
}

}  // namespace

void RegisterFilmRoutes(Router& r) {
  r.Add("GET", "/api/seasons/{id}/film", GetFilm);
  r.Add("GET", "/api/admin/seasons/{id}/film", GetFilm, kAdmin);
  r.Add("POST", "/api/admin/seasons/{id}/film", RequestFilm, kAdmin);
}

}  // namespace aimoviez::http
