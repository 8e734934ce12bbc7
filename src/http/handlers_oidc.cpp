// Sign-in with OpenID Connect providers, and the signed-in user's sessions. The redirect to the
// provider and the callback talk to the provider over the network, so they run on the blocking
// pool, never on an HTTP thread. A failed callback never yields a session: it sends the browser
// back to the login page with the reason's code (/login?error=CODE).
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "domain/oidc_sign_in.h"
#include "http/handlers.h"

namespace aimoviez::http {

namespace {

constexpr std::string_view kPendingCookie = "aimoviez_oidc";
constexpr std::string_view kCallbackPath = "/api/auth/callback/";

std::string Origin(const RequestContext& ctx) {
  if (!ctx.services.settings.public_url.empty()) return ctx.services.settings.public_url;
  return (ctx.request.secure_transport ? "https://" : "http://") + ctx.request.Header("host");
}

// The pending sign-in cookie reaches only the callback, and lives as long as a sign-in may take.
std::string PendingCookie(const RequestContext& ctx, std::string_view value, int max_age) {
  std::string cookie = std::string(kPendingCookie) + "=" + std::string(value) +
                       "; Path=" + std::string(kCallbackPath) +
                       "; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (ctx.services.settings.secure_cookies) cookie += "; Secure";
  return cookie;
}

std::string Encode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

HttpResponse LoginError(const Error& error, std::string_view return_to) {
  std::string location = "/login?error=" + Encode(error.code);
  if (!return_to.empty() && return_to != "/") location += "&returnTo=" + Encode(return_to);
  return RedirectResponse(std::move(location));
}

HttpResponse Providers(RequestContext& ctx) {
  boost::json::array list;
  for (const auto& p : ctx.services.oidc.Providers()) {
    list.push_back(boost::json::object{{"id", p.name}, {"name", p.display_name}});
  }
  return JsonResponse(200,
                      boost::json::object{{"providers", std::move(list)},
                                          {"devLoginEnabled", ctx.services.settings.dev_login}});
}

void SignIn(RequestContext& ctx, Respond respond) {
  const std::string provider = ctx.params.at("provider");
  if (!ctx.services.oidc.Has(provider)) {
    return respond(ErrorResponse(Error::NotFound("Sign-in provider")));
  }
  const std::string return_to = ctx.Query("returnTo").value_or("/");
  std::optional<Id> link_user;
  if (ctx.Query("link") == "1") {
    if (!ctx.actor.user) return respond(ErrorResponse(Error::AuthRequired()));
    link_user = ctx.actor.user->id;
  }
  const std::string origin = Origin(ctx);
  auto job = [&ctx, provider, return_to, link_user, origin, respond] {
    try {
      auto started = ctx.services.oidc.Start(provider, return_to, origin, link_user);
      if (!started) return respond(ErrorResponse(started.error()));
      ctx.set_cookies.push_back(
          PendingCookie(ctx, started->sealed_pending, oidc::kPendingSignInTtlMs / 1000));
      respond(RedirectResponse(started->authorization_url));
    } catch (const std::exception&) {
      respond(ErrorResponse(Error::Internal()));
    }
  };
  if (!ctx.services.blocking.TryPost(std::move(job))) {
    respond(
        ErrorResponse(Error{ErrorKind::kUnavailable, "BUSY", "Sign-in is busy; try again", {}}));
  }
}

void Callback(RequestContext& ctx, Respond respond) {
  const std::string provider = ctx.params.at("provider");
  // The pending sign-in is single-use: whatever happens next, the browser forgets it.
  ctx.set_cookies.push_back(PendingCookie(ctx, "", 0));
  const std::string sealed = CookieValue(ctx.request.Header("cookie"), kPendingCookie);
  if (auto denied = ctx.Query("error")) {
    Error e{
        ErrorKind::kAuthRequired, "OIDC_PROVIDER_DENIED", "The provider did not sign you in", {}};
    return respond(LoginError(e, "/"));
  }
  const std::string state = ctx.Query("state").value_or("");
  const std::string code = ctx.Query("code").value_or("");
  const std::string origin = Origin(ctx);
  const std::string device = DescribeDevice(ctx.request.Header("user-agent"));
  auto job = [&ctx, provider, state, code, sealed, origin, device, respond] {
    try {
      auto& services = ctx.services;
      auto finished = services.oidc.Finish(provider, state, code, sealed, origin);
      if (!finished) return respond(LoginError(finished.error(), "/"));
      const auto& pending = finished->pending;
      // Linking must finish in the browser that started it, still signed in as that user.
      if (pending.link_user_id &&
          (!ctx.actor.user || ctx.actor.user->id != *pending.link_user_id)) {
        Error e{ErrorKind::kAuthRequired,
                "OIDC_LINK_SESSION_MISMATCH",
                "Sign in again before linking a provider",
                {}};
        return respond(LoginError(e, pending.return_to));
      }
      auto signed_in =
          services.identity.SignInWithProvider(finished->identity, pending.link_user_id, device);
      if (!signed_in) return respond(LoginError(signed_in.error(), pending.return_to));
      // A new session on every sign-in (no fixation): the one the browser had ends.
      if (!ctx.session_token.empty()) services.identity.SignOut(ctx.session_token);
      ctx.SetSessionCookie(signed_in->signed_in.session_token);
      const auto& user = signed_in->signed_in.user;
      if (!pending.link_user_id) AfterSignIn(ctx, user, signed_in->new_account);
      if (signed_in->new_account || user.username.empty()) {
        std::string location = "/onboarding";
        if (pending.return_to != "/") location += "?returnTo=" + Encode(pending.return_to);
        return respond(RedirectResponse(std::move(location)));
      }
      respond(RedirectResponse(pending.return_to));
    } catch (const std::exception&) {
      respond(LoginError(Error::Internal(), "/"));
    }
  };
  if (!ctx.services.blocking.TryPost(std::move(job))) {
    respond(LoginError(Error{ErrorKind::kUnavailable, "BUSY", "Sign-in is busy", {}}, "/"));
  }
}

HttpResponse Sessions(RequestContext& ctx) {
  const std::string current = IdentityService::HashToken(ctx.session_token);
  boost::json::array list;
  for (const auto& s : ctx.services.identity.ListSessions(ctx.user().id)) {
    list.push_back(boost::json::object{{"id", s.public_id},
                                       {"device", s.device.empty() ? "Unknown device" : s.device},
                                       {"createdAt", s.created_at},
                                       {"lastSeenAt", s.last_seen_at},
                                       {"current", s.token_hash == current}});
  }
  boost::json::array identities;
  for (const auto& i : ctx.services.identity.ListIdentities(ctx.user().id)) {
    identities.push_back(
        boost::json::object{{"issuer", i.issuer}, {"email", i.email}, {"linkedAt", i.created_at}});
  }
  return JsonResponse(200, boost::json::object{{"sessions", std::move(list)},
                                               {"identities", std::move(identities)}});
}

HttpResponse EndSession(RequestContext& ctx) {
  const auto& id = ctx.params.at("id");
  if (id.size() > 64 || !ctx.services.identity.EndSession(ctx.user().id, id)) {
    return ErrorResponse(Error::NotFound("Session"));
  }
  return JsonResponse(200, boost::json::object{{"success", true}});
}

HttpResponse LogoutAll(RequestContext& ctx) {
  const int ended = ctx.services.identity.SignOutEverywhere(ctx.user().id, ctx.session_token);
  return JsonResponse(
      200, boost::json::object{
               {"success", true}, {"ended", ended}, {"csrfToken", ctx.ContinueSignedOut()}});
}

}  // namespace

void RegisterOidcRoutes(Router& router) {
  router.Add("GET", "/api/auth/providers", Providers);
  // Top-level navigations from the login page and back from the provider: no CSRF token can
  // ride on them; the state parameter bound to the pending cookie is their proof.
  router.AddAsync("GET", "/api/auth/signin/{provider}", SignIn, {.rate = RateClass::kAuth});
  router.AddAsync("GET", "/api/auth/callback/{provider}", Callback, {.rate = RateClass::kAuth});
  router.Add("GET", "/api/auth/sessions", Sessions, {Access::kSignedIn});
  router.Add("DELETE", "/api/auth/sessions/{id}", EndSession, {Access::kSignedIn});
  router.Add("POST", "/api/auth/logout-all", LogoutAll, {Access::kSignedIn});
}

}  // namespace aimoviez::http
