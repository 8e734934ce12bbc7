// Route registration, one function per API area. Handlers parse input, call one service and
// render; rules live in domain/.
#pragma once

#include "http/router.h"

namespace aimoviez::http {

void RegisterSystemRoutes(Router& router);
void RegisterAuthRoutes(Router& router);
void RegisterOidcRoutes(Router& router);
void RegisterAccountRoutes(Router& router);
void RegisterPublicRoutes(Router& router);
void RegisterAdminRoutes(Router& router);
void RegisterVoteRoutes(Router& router);
void RegisterCommunityRoutes(Router& router);
void RegisterCommentRoutes(Router& router);
void RegisterUploadRoutes(Router& router);
void RegisterFilmRoutes(Router& router);
void RegisterEngagementRoutes(Router& router);
void RegisterSocialRoutes(Router& router);
void RegisterReportRoutes(Router& router);
void RegisterReferralRoutes(Router& router);
void RegisterContactRoutes(Router& router);
void RegisterRoundRoutes(Router& router);

// Every sign-in ends here once the session is open: remembers the device for referrals and spends
// an invite cookie on a new account (handlers_referrals.cpp).
void AfterSignIn(RequestContext& ctx, const User& user, bool new_account);

// Turns a failed domain Result into the error response, or renders the value.
template <typename T, typename Render>
HttpResponse Reply(const Result<T>& result, Render render, int status = 200) {
  if (!result) return ErrorResponse(result.error());
  return JsonResponse(status, render(result.value()));
}

}  // namespace aimoviez::http
