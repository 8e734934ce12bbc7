#include "common/json.h"
#include "http/handlers.h"
#include "http/json_views.h"

namespace aimoviez::http {

namespace {

boost::json::object SessionJson(RequestContext& ctx) {
  boost::json::object o{{"authenticated", ctx.actor.signed_in()},
                        {"devLoginEnabled", ctx.services.settings.dev_login}};
  if (ctx.actor.user) {
    o["user"] = UserJson(*ctx.actor.user, true);
    o["needsUsername"] = ctx.actor.user->username.empty();
    if (ctx.actor.user->username.empty()) {
      o["suggestedUsername"] = ctx.services.identity.SuggestedUsername(ctx.actor.user->id);
    }
  } else {
    o["user"] = nullptr;
  }
  return o;
}

HttpResponse DevLogin(RequestContext& ctx) {
  if (!ctx.services.settings.dev_login) return ErrorResponse(Error::NotFound("Route"));
  const auto body = ctx.JsonBody();
  const auto email = json::RequireString(body, "email");
  const auto username = json::OptionalString(body, "username");
  auto signed_in = ctx.services.identity.SignInWithVerifiedEmail(
      email, username ? std::optional<std::string_view>(*username) : std::nullopt,
      DescribeDevice(ctx.request.Header("user-agent")));
  if (!signed_in) return ErrorResponse(signed_in.error());
  if (!ctx.session_token.empty()) ctx.services.identity.SignOut(ctx.session_token);
  ctx.SetSessionCookie(signed_in->session_token);
  ctx.session_token = signed_in->session_token;
  ctx.actor.user = signed_in->user;
  AfterSignIn(ctx, signed_in->user, signed_in->new_account);
  auto out = SessionJson(ctx);
  // The CSRF binding moved from the device to the new session: hand over a fresh token.
  out["csrfToken"] = ctx.services.csrf.Issue(ctx.CsrfBinding(), ctx.services.clock.NowMs());
  return JsonResponse(200, out);
}

HttpResponse Logout(RequestContext& ctx) {
  ctx.services.identity.SignOut(ctx.session_token);
  return JsonResponse(
      200, boost::json::object{{"success", true}, {"csrfToken", ctx.ContinueSignedOut()}});
}

HttpResponse Session(RequestContext& ctx) {
  return JsonResponse(200, SessionJson(ctx));
}

HttpResponse CheckUsername(RequestContext& ctx) {
  const auto name = ctx.Query("username").value_or("");
  std::optional<Id> caller;
  if (ctx.actor.user) caller = ctx.actor.user->id;
  auto available = ctx.services.identity.IsUsernameAvailable(name, caller);
  if (!available) {
    return JsonResponse(200, boost::json::object{{"available", false},
                                                 {"reason", available.error().message},
                                                 {"code", available.error().code}});
  }
  return JsonResponse(200, boost::json::object{{"available", *available}});
}

HttpResponse UpdateProfile(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  User user = ctx.user();
  if (auto name = json::OptionalString(body, "username")) {
    auto renamed = ctx.services.identity.ChooseUsername(user, *name);
    if (!renamed) return ErrorResponse(renamed.error());
    user = *renamed;
  }
  if (auto avatar = json::OptionalString(body, "avatarUrl")) {
    auto updated = ctx.services.identity.UpdateAvatar(user, *avatar);
    if (!updated) return ErrorResponse(updated.error());
    user = *updated;
  }
  return JsonResponse(200, boost::json::object{{"user", UserJson(user, true)}});
}

HttpResponse Profile(RequestContext& ctx) {
  return JsonResponse(200, boost::json::object{{"user", UserJson(ctx.user(), true)}});
}

}  // namespace

void RegisterAuthRoutes(Router& router) {
  // Development only (off unless dev_login is set, never on a real deployment): not budgeted,
  // as the test suites sign in many people from one address.
  router.Add("POST", "/api/auth/dev-login", DevLogin, {.rate = RateClass::kNone});
  router.Add("POST", "/api/auth/logout", Logout);
  router.Add("GET", "/api/auth/session", Session);
  router.Add("GET", "/api/user/check-username", CheckUsername);
  router.Add("GET", "/api/user/profile", Profile, {Access::kSignedIn});
  router.Add("PATCH", "/api/user/profile", UpdateProfile, {Access::kSignedIn});
}

}  // namespace aimoviez::http
