#include <charconv>
#include <cstdio>

#include "common/json.h"
#include "http/handlers.h"
#include "http/json_views.h"

namespace aimoviez::http {

namespace {

// Operations that take away access or votes, or change how the platform behaves (spec 21.5).
constexpr RouteOptions kAdminSensitive{.access = Access::kAdmin,
                                       .rate = RateClass::kAdminSensitive};

boost::json::object AdvanceJson(const AdvanceOutcome& o) {
  boost::json::array carried;
  for (Id id : o.carried_clip_ids) carried.push_back(id);
  return {{"slot", SlotJson(o.slot)},
          {"winnerClipId", o.winner_clip_id ? boost::json::value(*o.winner_clip_id) : nullptr},
          {"carriedClipIds", std::move(carried)},
          {"seasonFinished", o.season_finished}};
}

boost::json::object SeasonDetailJson(const SeasonWithSlots& s) {
  auto o = SeasonJson(s.season);
  boost::json::array slots;
  for (const auto& slot : s.slots) slots.push_back(SlotJson(slot));
  o["slots"] = std::move(slots);
  return o;
}

// ---- Seasons ---------------------------------------------------------------------------------

HttpResponse ListSeasons(RequestContext& ctx) {
  boost::json::array out;
  for (const auto& s : ctx.services.store.ListSeasons()) {
    auto o = SeasonJson(s);
    if (auto open = ctx.services.store.FindOpenSlot(s.id)) o["open_slot"] = SlotJson(*open);
    out.push_back(std::move(o));
  }
  return JsonResponse(200, boost::json::object{{"seasons", std::move(out)}});
}

HttpResponse CreateSeason(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  SeasonDraft draft;
  draft.label = json::RequireString(body, "label");
  draft.genre = json::OptionalString(body, "genre").value_or("");
  draft.description = json::OptionalString(body, "description").value_or("");
  draft.total_slots = static_cast<int>(json::OptionalInt(body, "total_slots").value_or(75));
  draft.voting_window_seconds = json::OptionalInt(body, "voting_window_seconds").value_or(86'400);
  return Reply(
      ctx.services.seasons.CreateSeason(draft, ctx.audit_actor()),
      [&](const Season& s) {
        return boost::json::object{
            {"season", SeasonDetailJson(*ctx.services.seasons.LoadSeason(s.id))}};
      },
      201);
}

HttpResponse GetSeason(RequestContext& ctx) {
  auto s = ctx.services.seasons.LoadSeason(ctx.ParamId("id"));
  if (!s) return ErrorResponse(Error::NotFound("Season"));
  return JsonResponse(200, boost::json::object{{"season", SeasonDetailJson(*s)}});
}

HttpResponse EditSeason(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  if (body.contains("total_slots")) {
    return ErrorResponse(
        Error::InvalidInput("total_slots cannot change after creation", "IMMUTABLE_FIELD")
            .With("field", "total_slots"));
  }
  return Reply(ctx.services.seasons.EditSeason(
                   ctx.ParamId("id"), json::OptionalString(body, "label"),
                   json::OptionalString(body, "genre"), json::OptionalString(body, "description"),
                   json::OptionalInt(body, "voting_window_seconds"), ctx.audit_actor()),
               [](const Season& s) {
                 return boost::json::object{{"season", SeasonJson(s)}};
               });
}

HttpResponse ActivateSeason(RequestContext& ctx) {
  return Reply(ctx.services.seasons.ActivateSeason(ctx.ParamId("id"), ctx.audit_actor()),
               [](const Season& s) {
                 return boost::json::object{{"season", SeasonJson(s)}};
               });
}

HttpResponse ArchiveSeason(RequestContext& ctx) {
  return Reply(ctx.services.seasons.ArchiveSeason(ctx.ParamId("id"), ctx.audit_actor()),
               [](const Season& s) {
                 return boost::json::object{{"season", SeasonJson(s)}};
               });
}

HttpResponse DeleteSeason(RequestContext& ctx) {
  const auto confirm = json::OptionalString(ctx.JsonBody(), "confirm").value_or("");
  return Reply(ctx.services.seasons.DeleteSeason(ctx.ParamId("id"), confirm, ctx.audit_actor()),
               [](const Ok&) {
                 return boost::json::object{{"success", true}};
               });
}

// ---- Slots -----------------------------------------------------------------------------------

HttpResponse ListSlots(RequestContext& ctx) {
  std::optional<Id> season_id;
  if (auto q = ctx.Query("seasonId")) season_id = json::ParseId(*q);
  if (!season_id) {
    auto active = ctx.services.store.FindActiveSeason();
    if (!active)
      return JsonResponse(
          200, boost::json::object{{"season", nullptr}, {"slots", boost::json::array{}}});
    season_id = active->id;
  }
  auto s = ctx.services.seasons.LoadSeason(*season_id);
  if (!s) return ErrorResponse(Error::NotFound("Season"));
  boost::json::array slots;
  for (const auto& slot : s->slots) {
    auto o = SlotJson(slot);
    if (slot.status == SlotStatus::kVoting || slot.status == SlotStatus::kWaitingForClips) {
      boost::json::array clips;
      for (const auto& c : ctx.services.store.ListClips(ClipQuery{
               slot.season_id, slot.position, ClipStatus::kActive, std::nullopt, 500, 0})) {
        clips.push_back(ClipJson(ctx.services.catalog.WithLiveCounts(c)));
      }
      o["clips"] = std::move(clips);
    }
    slots.push_back(std::move(o));
  }
  return JsonResponse(
      200, boost::json::object{{"season", SeasonJson(s->season)}, {"slots", std::move(slots)}});
}

// Flagged votes of a round (default: the open slot of the active season), grouped by clip,
// network and reasons, for an admin to review suspicious voting.
HttpResponse FlaggedVotes(RequestContext& ctx) {
  std::optional<Id> season_id;
  int position = 0;
  if (auto q = ctx.Query("seasonId")) {
    season_id = json::ParseId(*q);
    if (!season_id) {
      return ErrorResponse(
          Error::InvalidInput("seasonId must be a positive integer id").With("field", "seasonId"));
    }
    position = ctx.QueryInt("slot", 1, 1, 1000);
  } else if (auto round = ctx.services.votes.Round()) {
    season_id = round->season_id;
    position = ctx.QueryInt("slot", round->position, 1, 1000);
  } else {
    return JsonResponse(
        200, boost::json::object{
                 {"seasonId", nullptr}, {"slot", nullptr}, {"groups", boost::json::array{}}});
  }
  const int limit = ctx.QueryInt("limit", 100, 1, 500);
  boost::json::array groups;
  for (const auto& g : ctx.services.store.ListFlaggedVotes(*season_id, position, limit)) {
    boost::json::array reasons;
    std::size_t pos = 0;
    while (pos < g.reasons.size()) {
      const auto space = g.reasons.find(' ', pos);
      reasons.emplace_back(g.reasons.substr(pos, space == std::string::npos ? space : space - pos));
      if (space == std::string::npos) break;
      pos = space + 1;
    }
    char network[17] = "";
    if (g.network != 0)
      std::snprintf(network, sizeof network, "%016llx", static_cast<unsigned long long>(g.network));
    groups.push_back(boost::json::object{
        {"clipId", g.clip_id},
        {"clipTitle", g.clip_title},
        {"network", g.network != 0 ? boost::json::value(network) : boost::json::value(nullptr)},
        {"reasons", std::move(reasons)},
        {"votes", g.votes},
        {"voters", g.voters},
        {"firstAt", FormatIso8601(g.first_at)},
        {"lastAt", FormatIso8601(g.last_at)}});
  }
  return JsonResponse(
      200, boost::json::object{
               {"seasonId", *season_id}, {"slot", position}, {"groups", std::move(groups)}});
}

// Withdraws one flagged group's votes (as GET /api/admin/flagged-votes lists it: clipId, network,
// reasons) through the vote engine; the round defaults to the open one.
void InvalidateFlaggedVotes(RequestContext& ctx, Respond respond) {
  const auto body = ctx.JsonBody();
  FlaggedGroupKey group;
  group.clip_id = json::RequireId(body, "clipId");
  if (body.contains("seasonId")) {
    group.season_id = json::RequireId(body, "seasonId");
    group.position = static_cast<int>(json::RequireId(body, "slot"));
  } else if (auto round = ctx.services.votes.Round()) {
    group.season_id = round->season_id;
    group.position = json::OptionalInt(body, "slot").value_or(round->position);
  } else {
    return respond(ErrorResponse(
        Error::Conflict("NO_ACTIVE_SLOT", "No round is open; name seasonId and slot")));
  }
  // The network tag as listed (16 hex digits), or null for signed-in voters.
  if (auto tag = json::OptionalString(body, "network")) {
    std::uint64_t value = 0;
    const auto* end = tag->data() + tag->size();
    const auto parsed = std::from_chars(tag->data(), end, value, 16);
    if (tag->size() != 16 || parsed.ec != std::errc{} || parsed.ptr != end) {
      return respond(ErrorResponse(
          Error::InvalidInput("network must be the 16 hex digits the review lists, or null")
              .With("field", "network")));
    }
    group.network = static_cast<std::int64_t>(value);
  }
  const auto reasons = body.if_contains("reasons");
  if (!reasons || !reasons->is_array() || reasons->as_array().empty() ||
      reasons->as_array().size() > 8) {
    return respond(ErrorResponse(Error::InvalidInput("reasons must be the group's list of reasons")
                                     .With("field", "reasons")));
  }
  for (const auto& r : reasons->as_array()) {
    if (!r.is_string() || r.as_string().empty() || r.as_string().size() > 32) {
      return respond(
          ErrorResponse(Error::InvalidInput("reasons must be the group's list of reasons")
                            .With("field", "reasons")));
    }
    if (!group.reasons.empty()) group.reasons += ' ';
    group.reasons += r.as_string();
  }
  ctx.services.admin.InvalidateFlaggedVotes(
      group, ctx.audit_actor(), [respond, clip_id = group.clip_id](Result<InvalidationSummary> r) {
        if (!r) return respond(ErrorResponse(r.error()));
        respond(JsonResponse(200, boost::json::object{{"success", true},
                                                      {"clipId", clip_id},
                                                      {"invalidated", r->invalidated},
                                                      {"failed", r->failed},
                                                      {"voteCount", r->vote_count},
                                                      {"weightedScore", r->weighted_score},
                                                      {"more", r->more}}));
      });
}

// Resolves {slotId} from the body, defaulting to the active season's open slot.
Id SlotFromBodyOrOpen(RequestContext& ctx, const boost::json::object& body) {
  if (body.contains("slotId")) return json::RequireId(body, "slotId");
  auto open = ctx.services.seasons.OpenSlot();
  if (!open) throw ApiError(open.error());
  return open->id;
}

HttpResponse AdvanceSlot(RequestContext& ctx) {
  return Reply(ctx.services.seasons.AdvanceNow(ctx.ParamId("id"), ctx.audit_actor()), AdvanceJson);
}

HttpResponse AdvanceOpenSlot(RequestContext& ctx) {
  const auto body = ctx.request.body.empty() ? boost::json::object{} : ctx.JsonBody();
  return Reply(ctx.services.seasons.AdvanceNow(SlotFromBodyOrOpen(ctx, body), ctx.audit_actor()),
               AdvanceJson);
}

HttpResponse AssignWinner(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const Id slot = ctx.params.count("id") ? ctx.ParamId("id") : SlotFromBodyOrOpen(ctx, body);
  return Reply(
      ctx.services.seasons.AssignWinner(slot, json::RequireId(body, "clipId"), ctx.audit_actor()),
      AdvanceJson);
}

HttpResponse UnlockSlot(RequestContext& ctx) {
  return Reply(ctx.services.seasons.UnlockSlot(ctx.ParamId("id"), ctx.audit_actor()),
               [](const Slot& s) {
                 return boost::json::object{{"slot", SlotJson(s)}};
               });
}

HttpResponse ResetVotes(RequestContext& ctx) {
  return Reply(ctx.services.seasons.ResetVotes(ctx.ParamId("id"), ctx.audit_actor()),
               [](std::int64_t n) {
                 return boost::json::object{{"success", true}, {"votesRemoved", n}};
               });
}

// ---- Clips -----------------------------------------------------------------------------------

HttpResponse ListClips(RequestContext& ctx) {
  ClipQuery q;
  if (auto status = ctx.Query("status"); status && !status->empty()) {
    q.status = ParseClipStatus(*status);
    if (!q.status)
      return ErrorResponse(Error::InvalidInput("unknown status").With("field", "status"));
  }
  if (auto s = ctx.Query("seasonId")) q.season_id = json::ParseId(*s);
  if (auto s = ctx.Query("slot")) q.slot_position = static_cast<int>(json::ParseId(*s).value_or(0));
  q.limit = ctx.QueryInt("limit", 50, 1, 200);
  q.offset = ctx.QueryInt("offset", 0, 0, 1'000'000);
  boost::json::array clips;
  for (const auto& c : ctx.services.store.ListClips(q)) {
    clips.push_back(ClipJson(ctx.services.catalog.WithLiveCounts(c)));
  }
  const auto total = ctx.services.store.CountClips(q);
  return JsonResponse(
      200,
      boost::json::object{
          {"clips", std::move(clips)}, {"total", total}, {"limit", q.limit}, {"offset", q.offset}});
}

HttpResponse EditClip(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  ClipEdit edit{json::OptionalString(body, "title"), json::OptionalString(body, "description"),
                json::OptionalString(body, "genre")};
  return Reply(ctx.services.admin.EditClip(ctx.ParamId("id"), edit, ctx.audit_actor()),
               [](const Clip& c) {
                 return boost::json::object{{"clip", ClipJson(c)}};
               });
}

Id ClipIdFrom(RequestContext& ctx, const boost::json::object& body) {
  return ctx.params.count("id") ? ctx.ParamId("id") : json::RequireId(body, "clipId");
}

HttpResponse ApproveClip(RequestContext& ctx) {
  const auto body = ctx.request.body.empty() ? boost::json::object{} : ctx.JsonBody();
  return Reply(ctx.services.seasons.ApproveClip(ClipIdFrom(ctx, body), ctx.audit_actor()),
               [](const Clip& c) {
                 return boost::json::object{{"success", true}, {"clip", ClipJson(c)}};
               });
}

HttpResponse RejectClip(RequestContext& ctx) {
  const auto body = ctx.request.body.empty() ? boost::json::object{} : ctx.JsonBody();
  const auto reason = json::OptionalString(body, "reason").value_or("");
  return Reply(ctx.services.seasons.RejectClip(ClipIdFrom(ctx, body), reason, ctx.audit_actor()),
               [](const Clip& c) {
                 return boost::json::object{{"success", true}, {"clip", ClipJson(c)}};
               });
}

HttpResponse Bulk(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const auto action = json::RequireString(body, "action");
  if (action != "approve" && action != "reject") {
    return ErrorResponse(
        Error::InvalidInput("action must be approve or reject").With("field", "action"));
  }
  const auto ids = json::RequireIdArray(body, "clipIds", 100);
  const auto results = ctx.services.admin.BulkModerate(
      action == "approve" ? BulkAction::kApprove : BulkAction::kReject, ids, ctx.audit_actor());
  boost::json::array out;
  int succeeded = 0;
  for (const auto& r : results) {
    boost::json::object o{{"clipId", r.clip_id}, {"success", !r.error}};
    if (r.error)
      o["code"] = r.error->code, o["error"] = r.error->message;
    else
      ++succeeded;
    out.push_back(std::move(o));
  }
  return JsonResponse(
      200, boost::json::object{{"results", std::move(out)},
                               {"succeeded", succeeded},
                               {"failed", static_cast<int>(results.size()) - succeeded}});
}

// ---- Users, flags, audit ---------------------------------------------------------------------

HttpResponse ListUsers(RequestContext& ctx) {
  const auto q = ctx.Query("q").value_or("");
  if (q.size() > 100) return ErrorResponse(Error::InvalidInput("q is too long").With("field", "q"));
  const int limit = ctx.QueryInt("limit", 50, 1, 200);
  const int offset = ctx.QueryInt("offset", 0, 0, 1'000'000);
  boost::json::array users;
  for (const auto& u : ctx.services.store.SearchUsers(q, limit, offset))
    users.push_back(UserJson(u, true));
  return JsonResponse(
      200, boost::json::object{{"users", std::move(users)}, {"limit", limit}, {"offset", offset}});
}

HttpResponse UpdateUser(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const Id id = ctx.ParamId("id");
  const auto actor = ctx.audit_actor();
  std::optional<Result<User>> last;
  if (auto banned = json::OptionalBool(body, "is_banned")) {
    last = ctx.services.admin.SetBanned(id, *banned, actor);
    if (!*last) return ErrorResponse(last->error());
  }
  if (auto admin = json::OptionalBool(body, "is_admin")) {
    last = ctx.services.admin.SetAdmin(id, *admin, actor);
    if (!*last) return ErrorResponse(last->error());
  }
  if (auto name = json::OptionalString(body, "username")) {
    last = ctx.services.admin.Rename(id, *name, actor);
    if (!*last) return ErrorResponse(last->error());
  }
  if (!last) {
    return ErrorResponse(Error::InvalidInput("Give is_banned, is_admin or username"));
  }
  return JsonResponse(200, boost::json::object{{"user", UserJson(last->value(), true)}});
}

HttpResponse ListFlags(RequestContext& ctx) {
  boost::json::array flags;
  for (const auto& f : ctx.services.store.ListFlags()) flags.push_back(FlagJson(f));
  return JsonResponse(200, boost::json::object{{"flags", std::move(flags)}});
}

HttpResponse SetFlag(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const auto key =
      ctx.params.count("key") ? ctx.params.at("key") : json::RequireString(body, "key");
  const auto enabled = json::OptionalBool(body, "enabled");
  if (!enabled)
    return ErrorResponse(Error::InvalidInput("enabled is required").With("field", "enabled"));
  return Reply(ctx.services.admin.SetFlag(key, *enabled, ctx.audit_actor()),
               [](const FeatureFlag& f) {
                 return boost::json::object{{"flag", FlagJson(f)}};
               });
}

HttpResponse AuditLog(RequestContext& ctx) {
  std::optional<Id> cursor;
  if (auto c = ctx.Query("cursor"); c && !c->empty()) {
    cursor = json::ParseId(*c);
    if (!cursor)
      return ErrorResponse(Error::InvalidInput("cursor is invalid").With("field", "cursor"));
  }
  const auto page = ctx.services.store.ListAudit(cursor, ctx.QueryInt("limit", 50, 1, 200));
  boost::json::array entries;
  for (const auto& e : page.entries) entries.push_back(AuditJson(e));
  return JsonResponse(
      200, boost::json::object{
               {"entries", std::move(entries)},
               {"nextCursor", page.next_cursor ? boost::json::value(*page.next_cursor) : nullptr}});
}

}  // namespace

void RegisterAdminRoutes(Router& r) {
  r.Add("GET", "/api/admin/seasons", ListSeasons, kAdmin);
  r.Add("POST", "/api/admin/seasons", CreateSeason, kAdmin);
  r.Add("GET", "/api/admin/seasons/{id}", GetSeason, kAdmin);
  r.Add("PATCH", "/api/admin/seasons/{id}", EditSeason, kAdmin);
  r.Add("DELETE", "/api/admin/seasons/{id}", DeleteSeason, kAdminSensitive);
  r.Add("POST", "/api/admin/seasons/{id}/activate", ActivateSeason, kAdmin);
  r.Add("POST", "/api/admin/seasons/{id}/archive", ArchiveSeason, kAdmin);

  r.Add("GET", "/api/admin/slots", ListSlots, kAdmin);
  r.Add("POST", "/api/admin/slots/{id}/advance", AdvanceSlot, kAdmin);
  r.Add("POST", "/api/admin/slots/{id}/assign-winner", AssignWinner, kAdminSensitive);
  r.Add("POST", "/api/admin/slots/{id}/unlock", UnlockSlot, kAdminSensitive);
  r.Add("POST", "/api/admin/slots/{id}/reset-votes", ResetVotes, kAdminSensitive);
  r.Add("POST", "/api/admin/advance-slot", AdvanceOpenSlot, kAdmin);
  r.Add("POST", "/api/admin/assign-winner", AssignWinner, kAdminSensitive);

  r.Add("GET", "/api/admin/clips", ListClips, kAdmin);
  r.Add("PATCH", "/api/admin/clips/{id}", EditClip, kAdmin);
  r.Add("POST", "/api/admin/clips/{id}/approve", ApproveClip, kAdmin);
  r.Add("POST", "/api/admin/clips/{id}/reject", RejectClip, kAdmin);
  r.Add("POST", "/api/admin/approve", ApproveClip, kAdmin);
  r.Add("POST", "/api/admin/reject", RejectClip, kAdmin);
  r.Add("POST", "/api/admin/bulk", Bulk, kAdmin);

  r.Add("GET", "/api/admin/flagged-votes", FlaggedVotes, kAdmin);
  r.AddAsync("POST", "/api/admin/flagged-votes/invalidate", InvalidateFlaggedVotes,
             kAdminSensitive);
  r.Add("GET", "/api/admin/users", ListUsers, kAdmin);
  r.Add("PATCH", "/api/admin/users/{id}", UpdateUser, kAdminSensitive);
  r.Add("GET", "/api/admin/feature-flags", ListFlags, kAdmin);
  r.Add("POST", "/api/admin/feature-flags", SetFlag, kAdminSensitive);
  r.Add("GET", "/api/admin/audit-logs", AuditLog, kAdmin);
}

}  // namespace aimoviez::http
