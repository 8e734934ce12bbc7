#include "common/json.h"
#include "http/handlers.h"
#include "http/json_views.h"

namespace aimoviez::http {

namespace {

HttpResponse Story(RequestContext& ctx) {
  // Reads go straight to the system of record, so ?fresh=true has nothing to bypass; it is
  // accepted for compatibility with clients of the original API.
  boost::json::array seasons;
  for (const auto& s : ctx.services.catalog.Story(ctx.Query("includeArchived") == "true")) {
    seasons.push_back(StorySeasonJson(s));
  }
  return JsonResponse(200, boost::json::object{{"seasons", std::move(seasons)}});
}

HttpResponse GetClip(RequestContext& ctx) {
  auto clip = ctx.services.catalog.GetClip(ctx.ParamId("id"));
  if (!clip) return ErrorResponse(clip.error());
  clip->comment_count = ctx.services.comments.Counts({clip->id}).front();
  return JsonResponse(200, boost::json::object{{"clip", ClipJson(*clip)}});
}

HttpResponse Genres(RequestContext& ctx) {
  boost::json::array genres;
  for (const auto& g : aimoviez::Genres()) genres.push_back(boost::json::string(g));
  return JsonResponse(
      200,
      boost::json::object{{"genres", std::move(genres)},
                          {"genreVote", GenreVoteJson(ctx.services.catalog.GenreVotes(ctx.actor))},
                          {"creatorCount", ctx.services.catalog.CreatorCount()}});
}

HttpResponse Features(RequestContext& ctx) {
  boost::json::object flags;
  for (const auto& f : ctx.services.catalog.Features()) flags[f.key] = f.enabled;
  return JsonResponse(200, boost::json::object{{"features", std::move(flags)}});
}

HttpResponse GetGenreVote(RequestContext& ctx) {
  return JsonResponse(200, GenreVoteJson(ctx.services.catalog.GenreVotes(ctx.actor)));
}

HttpResponse CastGenreVote(RequestContext& ctx) {
  const auto genre = json::RequireString(ctx.JsonBody(), "genre");
  return Reply(ctx.services.catalog.CastGenreVote(ctx.actor, genre),
               [](const GenreVoteView& v) { return GenreVoteJson(v); });
}

HttpResponse RevokeGenreVote(RequestContext& ctx) {
  return Reply(ctx.services.catalog.RevokeGenreVote(ctx.actor),
               [](const GenreVoteView& v) { return GenreVoteJson(v); });
}

HttpResponse Discover(RequestContext& ctx) {
  DiscoverQuery q;
  q.q = ctx.Query("q").value_or("");
  q.type = ctx.Query("type").value_or("clips");
  q.sort = ctx.Query("sort").value_or("top");
  if (auto genre = ctx.Query("genre"); genre && !genre->empty()) q.genre = *genre;
  q.offset = ctx.QueryInt("cursor", 0, 0, SearchService::kMaxOffset);
  q.limit = ctx.QueryInt("limit", 20, 1, 50);
  return Reply(ctx.services.search.Discover(std::move(q)), [](const DiscoverPage& page) {
    boost::json::array clips;
    for (const auto& c : page.clips) clips.push_back(ClipJson(c));
    boost::json::array creators;
    for (const auto& u : page.creators) creators.push_back(UserJson(u, false));
    return boost::json::object{
        {"clips", std::move(clips)},
        {"creators", std::move(creators)},
        {"nextCursor", page.next_offset ? boost::json::value(std::to_string(*page.next_offset))
                                        : boost::json::value(nullptr)}};
  });
}

}  // namespace

void RegisterPublicRoutes(Router& router) {
  router.Add("GET", "/api/discover", Discover);
  router.Add("GET", "/api/story", Story);
  router.Add("GET", "/api/clip/{id}", GetClip);
  router.Add("GET", "/api/genres", Genres);
  router.Add("GET", "/api/features", Features);
  router.Add("GET", "/api/genre-vote", GetGenreVote);
  router.Add("POST", "/api/genre-vote", CastGenreVote);
  router.Add("DELETE", "/api/genre-vote", RevokeGenreVote);
}

}  // namespace aimoviez::http
