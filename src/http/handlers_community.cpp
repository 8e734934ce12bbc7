#include "http/handlers.h"
#include "http/json_views.h"

namespace aimoviez::http {

namespace {

using Board = CommunityReadRepository::Board;

HttpResponse Leaderboard(RequestContext& ctx, Board board) {
  const auto period = ParsePeriod(ctx.Query("period").value_or("all"));
  if (!period) {
    return ErrorResponse(
        Error::InvalidInput("period must be day, week or all").With("field", "period"));
  }
  const int limit = ctx.QueryInt("limit", 20, 1, 50);
  auto page =
      ctx.services.community.Leaderboard(board, *period, ctx.Query("cursor").value_or(""), limit);
  if (!page) return ErrorResponse(page.error());
  std::vector<Id> people;
  for (const auto& r : page->rows) {
    if (r.user) people.push_back(r.user->id);
  }
  const auto levels = ctx.services.progression.LevelsOf(people);
  boost::json::array rows;
  for (const auto& r : page->rows) {
    boost::json::object o{
        {"rank", r.rank},
        {"votes", r.votes},
        {"previousRank", r.previous_rank ? boost::json::value(*r.previous_rank) : nullptr},
        {"trend", CommunityService::Trend(r.rank, r.previous_rank)}};
    if (r.clip) o["clip"] = ClipJson(*r.clip);
    if (r.user) {
      auto user = UserJson(*r.user, false);
      user["level"] = levels.at(r.user->id);
      o["user"] = std::move(user);
    }
    rows.push_back(std::move(o));
  }
  return JsonResponse(
      200,
      boost::json::object{
          {"entries", std::move(rows)},
          {"nextCursor", page->next_cursor ? boost::json::value(*page->next_cursor) : nullptr}});
}

// The open round's standings; the app keeps them moving with the "tallies" channel.
HttpResponse LiveStandings(RequestContext& ctx) {
  const int limit = ctx.QueryInt("limit", 50, 1, 100);
  const auto standings = ctx.services.catalog.OpenRoundStandings(limit);
  if (!standings) {
    return JsonResponse(200,
                        boost::json::object{{"round", nullptr}, {"entries", boost::json::array{}}});
  }
  boost::json::array rows;
  int rank = 0;
  for (const auto& clip : standings->clips) {
    rows.push_back(boost::json::object{{"rank", ++rank},
                                       {"votes", clip.vote_count},
                                       {"score", clip.weighted_score},
                                       {"clip", ClipJson(clip)}});
  }
  return JsonResponse(200, boost::json::object{{"round",
                                                boost::json::object{
                                                    {"season", SeasonJson(standings->season)},
                                                    {"slot", SlotJson(standings->slot)},
                                                    {"totalClips", standings->total_clips},
                                                }},
                                               {"entries", std::move(rows)}});
}

HttpResponse ProfileStatsRoute(RequestContext& ctx) {
  const auto& user = ctx.user();
  const auto p = ctx.services.community.ProfileOf(user);
  return JsonResponse(
      200, boost::json::object{{"user", UserJson(user, true)},
                               {"votesTotal", p.stats.votes_total},
                               {"votesToday", p.stats.votes_today},
                               {"clipsTotal", p.stats.clips_total},
                               {"clipsPending", p.stats.clips_pending},
                               {"clipsActive", p.stats.clips_active},
                               {"clipsLocked", p.stats.clips_locked},
                               {"rank", p.stats.rank ? boost::json::value(p.stats.rank) : nullptr},
                               {"streakDays", p.streak_days}});
}

HttpResponse ProfileClips(RequestContext& ctx) {
  boost::json::array clips;
  for (const auto& c : ctx.services.community.ClipsOf(ctx.user())) {
    clips.push_back(ClipJson(ctx.services.catalog.WithLiveCounts(c)));
  }
  return JsonResponse(200, boost::json::object{{"clips", std::move(clips)}});
}

HttpResponse ProfileHistory(RequestContext& ctx) {
  boost::json::array votes;
  for (const auto& v : ctx.services.community.History(ctx.user(), 20)) {
    votes.push_back({{"id", v.vote_id},
                     {"voteType", v.vote_type},
                     {"weight", v.weight},
                     {"createdAt", FormatIso8601(v.created_at)},
                     {"clip", ClipJson(v.clip)}});
  }
  return JsonResponse(200, boost::json::object{{"votes", std::move(votes)}});
}

}  // namespace

void RegisterCommunityRoutes(Router& router) {
  router.Add("GET", "/api/leaderboard/clips",
             [](RequestContext& c) { return Leaderboard(c, Board::kClips); });
  router.Add("GET", "/api/leaderboard/live", LiveStandings);
  router.Add("GET", "/api/leaderboard/voters",
             [](RequestContext& c) { return Leaderboard(c, Board::kVoters); });
  router.Add("GET", "/api/leaderboard/creators",
             [](RequestContext& c) { return Leaderboard(c, Board::kCreators); });
  router.Add("GET", "/api/profile/stats", ProfileStatsRoute, {Access::kSignedIn});
  router.Add("GET", "/api/profile/clips", ProfileClips, {Access::kSignedIn});
  router.Add("GET", "/api/profile/history", ProfileHistory, {Access::kSignedIn});
}

}  // namespace aimoviez::http
