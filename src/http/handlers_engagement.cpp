// Progression and notifications: the signed-in person's level, XP, streak and badges, their
// notification inbox (list, unread count, mark read), and admins' announcements to everyone.
#include "common/json.h"
#include "http/handlers.h"

namespace aimoviez::http {

namespace {

constexpr std::size_t kMaxIdsPerRead = 200;

boost::json::object BadgeJson(const BadgeView& b) {
  boost::json::object o{{"id", b.def->id},
                        {"name", b.def->name},
                        {"icon", b.def->icon},
                        {"description", b.def->description},
                        {"progress", b.progress},
                        {"target", b.def->threshold},
                        {"unlocked", b.unlocked_at.has_value()}};
  o["unlockedAt"] = b.unlocked_at ? boost::json::value(FormatIso8601(*b.unlocked_at)) : nullptr;
  return o;
}

HttpResponse Progress(RequestContext& ctx) {
  const auto view = ctx.services.progression.ViewOf(ctx.user().id);
  boost::json::array badges;
  for (const auto& b : view.badges) badges.push_back(BadgeJson(b));
  boost::json::array recent;
  for (const auto& x : view.recent_xp) {
    recent.push_back({{"kind", x.kind}, {"xp", x.xp}, {"at", FormatIso8601(x.created_at)}});
  }
  return JsonResponse(200, boost::json::object{{"xp", view.xp},
                                               {"level", view.level.level},
                                               {"levelStartXp", view.level.level_start_xp},
                                               {"nextLevelXp", view.level.next_level_xp},
                                               {"streakDays", view.streak_days},
                                               {"bestStreak", view.best_streak},
                                               {"votesCast", view.counters.votes_cast},
                                               {"badges", std::move(badges)},
                                               {"recentXp", std::move(recent)}});
}

boost::json::object NotificationJson(const Notification& n) {
  return {{"id", n.id},
          {"type", n.type},
          {"title", n.title},
          {"body", n.body},
          {"link", n.link},
          {"read", n.read_at.has_value()},
          {"createdAt", FormatIso8601(n.created_at)}};
}

HttpResponse ListNotifications(RequestContext& ctx) {
  const int limit = ctx.QueryInt("limit", 20, 1, 50);
  const auto page = ctx.services.notifications.List(ctx.user().id, ctx.QueryId("cursor"), limit);
  boost::json::array items;
  for (const auto& n : page.items) items.push_back(NotificationJson(n));
  return JsonResponse(
      200,
      boost::json::object{
          {"notifications", std::move(items)},
          {"unreadCount", page.unread},
          {"nextCursor",
           page.next_before ? boost::json::value(std::to_string(*page.next_before)) : nullptr}});
}

// {"action": "read", "ids": [...]} or {"action": "read", "all": true}.
HttpResponse UpdateNotifications(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  if (json::RequireString(body, "action") != "read") {
    return ErrorResponse(Error::InvalidInput("action must be \"read\"").With("field", "action"));
  }
  const Id user_id = ctx.user().id;
  std::int64_t unread = 0;
  if (json::OptionalBool(body, "all").value_or(false)) {
    unread = ctx.services.notifications.MarkAllRead(user_id);
  } else if (body.contains("ids")) {
    unread = ctx.services.notifications.MarkRead(user_id,
                                                 json::RequireIdArray(body, "ids", kMaxIdsPerRead));
  } else {
    return ErrorResponse(Error::InvalidInput("give \"ids\" or \"all\": true").With("field", "ids"));
  }
  return JsonResponse(200, boost::json::object{{"success", true}, {"unreadCount", unread}});
}

HttpResponse Preferences(RequestContext& ctx) {
  boost::json::object prefs;
  for (const auto& [type, enabled] : ctx.services.notifications.Preferences(ctx.user().id)) {
    prefs[type] = enabled;
  }
  return JsonResponse(200, boost::json::object{{"preferences", std::move(prefs)}});
}

// {"preferences": {"comment": false, ...}}: the types named are turned on or off.
HttpResponse UpdatePreferences(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const auto* prefs = body.if_contains("preferences");
  if (!prefs || !prefs->is_object() || prefs->as_object().size() > 20) {
    return ErrorResponse(Error::InvalidInput("preferences must be an object of type: boolean")
                             .With("field", "preferences"));
  }
  std::vector<std::pair<std::string, bool>> changes;
  for (const auto& [type, enabled] : prefs->as_object()) {
    if (!enabled.is_bool()) {
      return ErrorResponse(Error::InvalidInput("each preference must be true or false")
                               .With("field", "preferences"));
    }
    changes.emplace_back(std::string(type), enabled.as_bool());
  }
  const Id user_id = ctx.user().id;
  if (auto status = ctx.services.notifications.SetPreferences(user_id, changes); !status) {
    return ErrorResponse(status.error());
  }
  return Preferences(ctx);
}

HttpResponse VapidKey(RequestContext& ctx) {
  return JsonResponse(200, boost::json::object{{"publicKey", ctx.services.push.PublicKey()}});
}

// {"endpoint", "keys": {"p256dh", "auth"}}: PushSubscription.toJSON() as the browser gives it.
HttpResponse Subscribe(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const std::string endpoint = json::RequireString(body, "endpoint");
  const auto* keys = body.if_contains("keys");
  if (!keys || !keys->is_object()) {
    return ErrorResponse(Error::InvalidInput("keys must be an object").With("field", "keys"));
  }
  const std::string p256dh = json::RequireString(keys->as_object(), "p256dh");
  const std::string auth = json::RequireString(keys->as_object(), "auth");
  return Reply(
      ctx.services.push.Subscribe(ctx.user(), endpoint, p256dh, auth),
      [](const PushSubscription& s) {
        return boost::json::object{{"subscribed", true}, {"endpoint", s.endpoint}};
      },
      201);
}

HttpResponse Unsubscribe(RequestContext& ctx) {
  const std::string endpoint = json::RequireString(ctx.JsonBody(), "endpoint");
  return Reply(ctx.services.push.Unsubscribe(ctx.user(), endpoint), [](const Ok&) {
    return boost::json::object{{"subscribed", false}};
  });
}

boost::json::object AnnouncementJson(const Broadcast& b) {
  return {{"id", b.id},
          {"title", b.title},
          {"body", b.body},
          {"link", b.link},
          {"delivered", b.delivered},
          {"finished", b.finished_at.has_value()},
          {"createdAt", FormatIso8601(b.created_at)}};
}

HttpResponse PostAnnouncement(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  AnnouncementDraft draft{json::RequireString(body, "title"), json::RequireString(body, "body"),
                          json::OptionalString(body, "link").value_or("")};
  return Reply(
      ctx.services.broadcasts.Announce(ctx.audit_actor(), std::move(draft)),
      [](const Broadcast& b) {
        return boost::json::object{{"announcement", AnnouncementJson(b)}};
      },
      201);
}

HttpResponse ListAnnouncements(RequestContext& ctx) {
  boost::json::array out;
  for (const auto& b : ctx.services.broadcasts.Recent(ctx.QueryInt("limit", 20, 1, 100))) {
    out.push_back(AnnouncementJson(b));
  }
  return JsonResponse(200, boost::json::object{{"announcements", std::move(out)}});
}

}  // namespace

void RegisterEngagementRoutes(Router& router) {
  router.Add("POST", "/api/admin/announcements", PostAnnouncement, {Access::kAdmin});
  router.Add("GET", "/api/admin/announcements", ListAnnouncements, {Access::kAdmin});
  router.Add("GET", "/api/notifications/vapid-key", VapidKey);
  router.Add("POST", "/api/notifications/subscribe", Subscribe, {Access::kSignedIn});
  router.Add("POST", "/api/notifications/unsubscribe", Unsubscribe, {Access::kSignedIn});
  router.Add("GET", "/api/notifications/preferences", Preferences, {Access::kSignedIn});
  router.Add("PUT", "/api/notifications/preferences", UpdatePreferences, {Access::kSignedIn});
  router.Add("GET", "/api/profile/progress", Progress, {Access::kSignedIn});
  router.Add("GET", "/api/notifications", ListNotifications, {Access::kSignedIn});
  router.Add("POST", "/api/notifications", UpdateNotifications, {Access::kSignedIn});
}

}  // namespace aimoviez::http
