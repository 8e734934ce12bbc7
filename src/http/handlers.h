// Route registration, one function per API area. Handlers parse input, call one service and
// render; rules live in domain/.
#pragma once

#include "http/router.h"

namespace aimoviez::http {

void RegisterSystemRoutes(Router& router);
void RegisterAuthRoutes(Router& router);
void RegisterPublicRoutes(Router& router);
void RegisterAdminRoutes(Router& router);
void RegisterVoteRoutes(Router& router);
void RegisterCommunityRoutes(Router& router);
void RegisterCommentRoutes(Router& router);
void RegisterUploadRoutes(Router& router);
void RegisterFilmRoutes(Router& router);

// Turns a failed domain Result into the error response, or renders the value.
template <typename T, typename Render>
HttpResponse Reply(const Result<T>& result, Render render, int status = 200) {
  if (!result) return ErrorResponse(result.error());
  return JsonResponse(status, render(result.value()));
}

}  // namespace aimoviez::http
