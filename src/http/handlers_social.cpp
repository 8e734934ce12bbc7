// Follows, blocks and public profiles: POST /api/user/follow and /api/user/block, the blocked
// list, and GET /api/users/{username} with its follower and following lists.
#include "common/json.h"
#include "http/handlers.h"
#include "http/json_views.h"

namespace aimoviez::http {

namespace {

std::optional<Id> Viewer(const RequestContext& ctx) {
  return ctx.actor.signed_in() ? std::optional<Id>(ctx.actor.user->id) : std::nullopt;
}

HttpResponse Follow(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const Id target = json::RequireId(body, "userId");
  const bool follow = json::OptionalBool(body, "follow").value_or(true);
  return Reply(ctx.services.social.SetFollow(ctx.user(), target, follow), [](const FollowState& s) {
    return boost::json::object{{"following", s.following},
                               {"followers", s.target_counts.followers},
                               {"followingCount", s.target_counts.following}};
  });
}

HttpResponse Block(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const Id target = json::RequireId(body, "userId");
  const bool block = json::OptionalBool(body, "block").value_or(true);
  return Reply(ctx.services.social.SetBlock(ctx.user(), target, block), [](bool blocked) {
    return boost::json::object{{"blocked", blocked}};
  });
}

boost::json::array EntriesJson(const std::vector<FollowEntry>& entries) {
  boost::json::array out;
  for (const auto& e : entries) {
    out.push_back({{"user", UserJson(e.user, false)}, {"since", FormatIso8601(e.since)}});
  }
  return out;
}

HttpResponse BlockedList(RequestContext& ctx) {
  return JsonResponse(
      200, boost::json::object{{"blocked", EntriesJson(ctx.services.social.Blocked(ctx.user()))}});
}

HttpResponse PublicProfileRoute(RequestContext& ctx) {
  auto profile = ctx.services.social.ProfileOf(ctx.params.at("username"), Viewer(ctx));
  if (!profile) return ErrorResponse(profile.error());
  const auto progress = ctx.services.progression.ViewOf(profile->user.id);
  boost::json::array badges;
  for (const auto& b : progress.badges) {
    if (!b.unlocked_at) continue;
    badges.push_back({{"id", b.def->id},
                      {"name", b.def->name},
                      {"icon", b.def->icon},
                      {"description", b.def->description}});
  }
  boost::json::array clips;
  std::int64_t wins = 0;
  for (const auto& c : profile->clips) {
    wins += c.status == ClipStatus::kLocked;
    clips.push_back(ClipJson(ctx.services.catalog.WithLiveCounts(c)));
  }
  const bool me = Viewer(ctx) == profile->user.id;
  return JsonResponse(200, boost::json::object{{"user", UserJson(profile->user, false)},
                                               {"level", progress.level.level},
                                               {"xp", progress.xp},
                                               {"streakDays", progress.streak_days},
                                               {"badges", std::move(badges)},
                                               {"followers", profile->counts.followers},
                                               {"following", profile->counts.following},
                                               {"isFollowing", profile->viewer_follows},
                                               {"isBlocked", profile->viewer_blocked},
                                               {"isMe", me},
                                               {"wins", wins},
                                               {"clips", std::move(clips)}});
}

HttpResponse FollowList(RequestContext& ctx, SocialService::List which) {
  const int limit = ctx.QueryInt("limit", 20, 1, 50);
  auto page =
      ctx.services.social.ListOf(ctx.params.at("username"), which, ctx.QueryId("cursor"), limit);
  if (!page) return ErrorResponse(page.error());
  return JsonResponse(
      200,
      boost::json::object{
          {"users", EntriesJson(page->entries)},
          {"nextCursor",
           page->next_cursor ? boost::json::value(std::to_string(*page->next_cursor)) : nullptr}});
}

}  // namespace

void RegisterSocialRoutes(Router& router) {
  router.Add("POST", "/api/user/follow", Follow, {Access::kSignedIn});
  router.Add("POST", "/api/user/block", Block, {Access::kSignedIn});
  router.Add("GET", "/api/user/blocked", BlockedList, {Access::kSignedIn});
  router.Add("GET", "/api/users/{username}", PublicProfileRoute);
  router.Add("GET", "/api/users/{username}/followers",
             [](RequestContext& c) { return FollowList(c, SocialService::List::kFollowers); });
  router.Add("GET", "/api/users/{username}/following",
             [](RequestContext& c) { return FollowList(c, SocialService::List::kFollowing); });
}

}  // namespace aimoviez::http
