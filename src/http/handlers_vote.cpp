#include <charconv>

#include "common/crypto.h"
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

// Standard votes left today; super and mega are one each per slot, 1 while unspent (usable only
// while the power_votes_enabled flag is on, which the feed reports beside them).
void WriteRemainingVotes(json::JsonWriter& w, int standard, std::uint8_t power_used) {
  w.Key("remainingVotes").BeginObject().Key("standard").Int(standard);
  w.Key("super").Int((power_used & 1) ? 0 : 1).Key("mega").Int((power_used & 2) ? 0 : 1);
  w.EndObject();
}

// A cast vote's receipt: its leaf in the round's log, to check once the round closes
// (docs/VERIFIABILITY.md). A withdrawn vote is no leaf: its answer names the leaf it will not be.
void WriteReceipt(json::JsonWriter& w, const VoteOutcome& o) {
  if (!o.receipt) return;
  const auto& receipt = *o.receipt;
  if (o.withdrawn) {
    w.Key("withdrawn").BeginObject().Key("leafHash").String(crypto::ToHex(receipt.leaf_hash));
    w.Key("inRoundLog").Bool(false).EndObject();
    return;
  }
  w.Key("receipt").BeginObject().Key("leaf").String(crypto::ToHex(receipt.leaf));
  w.Key("leafHash").String(crypto::ToHex(receipt.leaf_hash));
  w.Key("seasonId").Int(receipt.season_id).Key("slot").Int(receipt.slot).EndObject();
}

HttpResponse VoteReply(const Result<VoteOutcome>& result, const RateLimitInfo& rate) {
  HttpResponse r;
  if (!result) {
    r = ErrorResponse(result.error());
  } else {
    // Written straight to text: this runs on the vote writer's thread for every vote in a batch.
    const auto& o = result.value();
    std::string body;
    json::JsonWriter w(body);
    w.BeginObject().Key("success").Bool(true).Key("clipId").Int(o.clip_id);
    w.Key("newScore").Int(o.weighted_score).Key("voteCount").Int(o.vote_count);
    w.Key("totalVotesToday").Int(o.total_votes_today);
    WriteRemainingVotes(w, o.remaining_today, o.power_used);
    if (o.milestone) w.Key("milestone").Int(*o.milestone);
    WriteReceipt(w, o);
    w.EndObject();
    r = JsonTextResponse(200, std::move(body));
  }
  SetRateLimitHeaders(r, rate.limit, rate.remaining, rate.reset_at_ms, rate.retry_after_seconds);
  return r;
}

// The feed is the most requested answer: it is written straight to text (WriteFeedClip) instead
// of being built as a JSON tree first.
HttpResponse GetFeed(RequestContext& ctx) {
  // limit=0 answers the round figures without serving (or counting) any clip.
  const int limit = ctx.QueryInt("limit", 8, 0, 20);
  const auto exclude = ParseExcludeIds(ctx.Query("excludeIds").value_or(""));
  auto feed = ctx.services.votes.Feed(ctx.actor, exclude, static_cast<std::size_t>(limit));
  std::vector<Id> ids;
  ids.reserve(feed.clips.size());
  for (const auto& c : feed.clips) ids.push_back(c.clip->id);
  const auto comment_counts = ctx.services.comments.Counts(ids);

  std::string body;
  body.reserve(512 + 900 * feed.clips.size());
  json::JsonWriter w(body);
  w.BeginObject().Key("clips").BeginArray();
  for (std::size_t i = 0; i < feed.clips.size(); ++i) {
    WriteFeedClip(w, feed.clips[i], comment_counts[i]);
  }
  w.EndArray();
  w.Key("totalVotesToday").Int(feed.total_votes_today);
  WriteRemainingVotes(w, feed.remaining_today, feed.power_used);
  w.Key("votedClipIds").BeginArray();
  for (Id id : feed.voted_clip_ids) w.Int(id);
  w.EndArray();
  const auto& round = feed.round;
  w.Key("currentSlot").Value(round ? std::optional<std::int64_t>(round->position) : std::nullopt);
  w.Key("totalSlots").Value(round ? std::optional<std::int64_t>(round->total_slots) : std::nullopt);
  w.Key("totalClipsInSlot").Int(static_cast<std::int64_t>(feed.total_clips));
  w.Key("hasMoreClips").Bool(feed.has_more);
  w.Key("votingOpen").Bool(feed.voting_open);
  w.Key("votingEndsAt");
  if (round && round->voting_ends_at) {
    w.String(FormatIso8601(*round->voting_ends_at));
  } else {
    w.Null();
  }
  w.Key("seasonId").Value(round ? std::optional<std::int64_t>(round->season_id) : std::nullopt);
  w.Key("seasonLabel");
  if (round) {
    w.String(round->season_label);
  } else {
    w.Null();
  }
  w.Key("captchaRequired").Bool(ctx.services.votes.CaptchaRequired());
  w.Key("powerVotesEnabled").Bool(ctx.services.votes.PowerVotesEnabled());
  w.Key("multiVoteEnabled").Bool(ctx.services.votes.MultiVoteEnabled());
  w.EndObject();
  return JsonTextResponse(200, std::move(body));
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
  // A visitor's first request may come before any device cookie: the challenge is bound to the
  // device the browser will hold from this answer on, not to the fingerprint it had before.
  ctx.EnsureDeviceCookie();
  const auto c = ctx.services.captcha.Issue(ctx.actor.voter_key(), ctx.services.clock.NowMs());
  return JsonResponse(200, boost::json::object{{"challenge", c.challenge},
                                               {"difficulty", c.difficulty},
                                               {"expiresAt", FormatIso8601(c.expires_at)},
                                               {"algorithm", "sha256-leading-zero-bits"}});
}

}  // namespace

void RegisterVoteRoutes(Router& router) {
  router.Add("GET", "/api/vote", GetFeed);
  // Votes are limited by the engine: per voter, per address and per network.
  router.AddAsync("POST", "/api/vote", CastVote, {.rate = RateClass::kNone});
  router.AddAsync("DELETE", "/api/vote", RevokeVote, {.rate = RateClass::kNone});
  router.Add("GET", "/api/captcha/challenge", CaptchaChallenge);
}

}  // namespace aimoviez::http
