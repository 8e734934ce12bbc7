// Referrals (spec section 12): GET /api/referral (my code, link, count, tiers), POST
// /api/referral (a new account names its invite code), GET /api/referral/invite/{code} (whose
// invite this is, for the sign-in page), and the share link /join/{CODE}, which keeps the code
// in a cookie through the sign-in round trip. AfterSignIn is where that cookie is spent.
#include <spdlog/spdlog.h>

#include "common/json.h"
#include "http/handlers.h"
#include "http/json_views.h"

namespace aimoviez::http {

namespace {

constexpr std::string_view kInviteCookie = "aimoviez_invite";
constexpr int kInviteCookieSeconds = 30 * 86'400;

boost::json::value TierJson(const std::optional<ReferralTier>& tier) {
  if (!tier) return nullptr;
  return boost::json::object{
      {"name", tier->name}, {"referrals", tier->referrals}, {"xp", tier->xp}};
}

std::string InviteCookie(RequestContext& ctx, std::string_view value, int max_age) {
  std::string cookie = std::string(kInviteCookie) + "=" + std::string(value) +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (ctx.services.settings.secure_cookies) cookie += "; Secure";
  return cookie;
}

HttpResponse MyReferral(RequestContext& ctx) {
  auto& referrals = ctx.services.referrals;
  // Asking for one's code from this browser marks it as the inviter's device.
  if (ctx.actor.device_verified) referrals.SignedInFrom(ctx.user().id, ctx.actor.device_key);
  return Reply(referrals.Summary(ctx.user()), [](const ReferralSummary& s) {
    boost::json::object out{{"code", s.code},
                            {"link", s.link},
                            {"referrals", s.referrals},
                            {"tier", TierJson(s.tier)},
                            {"nextTier", TierJson(s.next_tier)}};
    if (s.next_tier) out["toNextTier"] = s.next_tier->referrals - s.referrals;
    return out;
  });
}

HttpResponse ClaimReferral(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const std::string code = json::RequireString(body, "code");
  auto claimed = ctx.services.referrals.Claim(
      ctx.user(), code, ctx.actor.device_verified ? ctx.actor.device_key : "");
  return Reply(claimed, [](Ok) { return boost::json::object{{"credited", true}}; });
}

HttpResponse Invite(RequestContext& ctx) {
  return Reply(ctx.services.referrals.Inviter(ctx.params.at("code")), [](const User& u) {
    return boost::json::object{{"inviter", UserJson(u, false)}};
  });
}

// The share link. A valid code rides to the sign-in page in a cookie; anything else just lands
// on the home page (this is a page people click, not an API).
HttpResponse Join(RequestContext& ctx) {
  const std::string& code = ctx.params.at("code");
  if (!ctx.services.referrals.Inviter(code)) return RedirectResponse("/");
  if (ctx.actor.signed_in()) return RedirectResponse("/dashboard");
  const std::string normal = NormalizeReferralCode(code);
  ctx.set_cookies.push_back(InviteCookie(ctx, normal, kInviteCookieSeconds));
  return RedirectResponse("/login?invite=" + normal);
}

}  // namespace

void AfterSignIn(RequestContext& ctx, const User& user, bool new_account) {
  auto& referrals = ctx.services.referrals;
  // Only a device cookie this server signed names a device; a fingerprint could be a stranger.
  if (ctx.actor.device_verified) referrals.SignedInFrom(user.id, ctx.actor.device_key);
  const std::string code = CookieValue(ctx.request.Header("cookie"), kInviteCookie);
  if (code.empty()) return;
  ctx.set_cookies.push_back(InviteCookie(ctx, "", 0));  // spent, whatever the outcome
  if (!new_account) return;
  auto claimed = referrals.Claim(user, code, ctx.actor.device_verified ? ctx.actor.device_key : "");
  if (!claimed) {
    spdlog::info(R"({{"msg":"referral not credited","user":{},"code":"{}"}})", user.id,
                 claimed.error().code);
  }
}

void RegisterReferralRoutes(Router& router) {
  router.Add("GET", "/api/referral", MyReferral, {Access::kSignedIn});
  router.Add("POST", "/api/referral", ClaimReferral, {Access::kSignedIn});
  router.Add("GET", "/api/referral/invite/{code}", Invite);
  router.Add("GET", "/join/{code}", Join);
}

}  // namespace aimoviez::http
