#include <charconv>

#include "common/json.h"
#include "http/handlers.h"
#include "http/json_views.h"

namespace aimoviez::http {

namespace {

constexpr std::size_t kMaxExcludeIds = 200;

std::vector<Id> ParseExcludeIds(const std::string& csv) {
  std::vector<Id> ids;
  std::size_t pos = 0;
  while (pos < csv.size()) {
    const auto comma = csv.find(',', pos);
    const auto part = csv.substr(pos, (comma == std::string::npos ? csv.size() : comma) - pos);
    if (!part.empty()) {
      auto id = json::ParseId(part);
      if (!id || ids.size() >= kMaxExcludeIds) {
        throw ApiError(Error::InvalidInput("excludeIds must be at most 200 comma-separated ids")
                           .With("field", "excludeIds"));
      }
      ids.push_back(*id);
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return ids;
}

void AddRateHeaders(HttpResponse& r, const RateLimitInfo& rate) {
  if (rate.limit <= 0) return;
  r.Set("X-RateLimit-Limit", std::to_string(rate.limit));
  r.Set("X-RateLimit-Remaining", std::to_string(rate.remaining));
  r.Set("X-RateLimit-Reset", std::to_string(rate.reset_at_ms / 1000));
  if (rate.retry_after_seconds > 0) r.Set("Retry-After", std::to_string(rate.retry_after_seconds));
}

HttpResponse VoteReply(const Result<VoteOutcome>& result, const RateLimitInfo& rate) {
  HttpResponse r;
  if (!result) {
    r = ErrorResponse(result.error());
  } else {
    const auto& o = result.value();
    boost::json::object body{{"success", true},
                             {"clipId", o.clip_id},
                             {"newScore", o.weighted_score},
                             {"voteCount", o.vote_count},
                             {"totalVotesToday", o.total_votes_today},
                             {"remainingVotes", {{"standard", o.remaining_today}}}};
    if (o.milestone) body["milestone"] = *o.milestone;
    r = JsonResponse(200, body);
  }
  AddRateHeaders(r, rate);
  return r;
}

HttpResponse GetFeed(RequestContext& ctx) {
  // limit=0 answers the round figures without serving (or counting) any clip.
  const int limit = ctx.QueryInt("limit", 8, 0, 20);
  const auto exclude = ParseExcludeIds(ctx.Query("excludeIds").value_or(""));
  auto feed = ctx.services.votes.Feed(ctx.actor, exclude, static_cast<std::size_t>(limit));
  std::vector<Id> ids;
  for (const auto& c : feed.clips) ids.push_back(c.id);
  const auto comment_counts = ctx.services.comments.Counts(ids);
  boost::json::array clips;
  for (auto& c : feed.clips) {
    if (auto it = comment_counts.find(c.id); it != comment_counts.end())
      c.comment_count = it->second;
    clips.push_back(ClipJson(c));
  }
  boost::json::array voted;
  for (Id id : feed.voted_clip_ids) voted.push_back(id);
  boost::json::object body{
      {"clips", std::move(clips)},
      {"totalVotesToday", feed.total_votes_today},
      {"remainingVotes", {{"standard", feed.remaining_today}}},
      {"votedClipIds", std::move(voted)},
      {"currentSlot", feed.round ? boost::json::value(feed.round->position) : nullptr},
      {"totalSlots", feed.round ? boost::json::value(feed.round->total_slots) : nullptr},
      {"totalClipsInSlot", feed.total_clips},
      {"hasMoreClips", feed.has_more},
      {"votingOpen", feed.voting_open},
      {"votingEndsAt", feed.round ? OptTime(feed.round->voting_ends_at) : nullptr},
      {"seasonId", feed.round ? boost::json::value(feed.round->season_id) : nullptr},
      {"seasonLabel", feed.round ? boost::json::value(feed.round->season_label) : nullptr},
      {"captchaRequired", ctx.services.votes.CaptchaRequired()}};
  return JsonResponse(200, body);
}

void CastVote(RequestContext& ctx, Respond respond) {
  const auto body = ctx.JsonBody();
  const Id clip_id = json::RequireId(body, "clipId");
  const auto type_name = json::OptionalString(body, "voteType").value_or("standard");
  const auto type = ParseVoteType(type_name);
  if (!type) {
    return respond(ErrorResponse(
        Error::InvalidInput("voteType must be standard, super or mega").With("field", "voteType")));
  }
  const auto captcha = json::OptionalString(body, "captchaToken").value_or("");
  ctx.services.votes.Cast(ctx.actor, clip_id, *type, captcha,
                          [respond](Result<VoteOutcome> result, const RateLimitInfo& rate) {
                            respond(VoteReply(result, rate));
                          });
}

void RevokeVote(RequestContext& ctx, Respond respond) {
  const Id clip_id = json::RequireId(ctx.JsonBody(), "clipId");
  ctx.services.votes.Revoke(ctx.actor, clip_id,
                            [respond](Result<VoteOutcome> result, const RateLimitInfo& rate) {
                              auto r = VoteReply(result, rate);
                              respond(std::move(r));
                            });
}

HttpResponse CaptchaChallenge(RequestContext& ctx) {
  const auto c = ctx.services.captcha.Issue(ctx.actor.voter_key(), ctx.services.clock.NowMs());
  return JsonResponse(200, boost::json::object{{"challenge", c.challenge},
                                               {"difficulty", c.difficulty},
                                               {"expiresAt", FormatIso8601(c.expires_at)},
                                               {"algorithm", "sha256-leading-zero-bits"}});
}

}  // namespace

void RegisterVoteRoutes(Router& router) {
  router.Add("GET", "/api/vote", GetFeed);
  router.AddAsync("POST", "/api/vote", CastVote);
  router.AddAsync("DELETE", "/api/vote", RevokeVote);
  router.Add("GET", "/api/captcha/challenge", CaptchaChallenge);
}

}  // namespace aimoviez::http
