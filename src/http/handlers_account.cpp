// The signed-in person's own data: download everything (GDPR export) and delete the account.
#include <spdlog/spdlog.h>

#include "common/json.h"
#include "domain/account_service.h"
#include "http/handlers.h"

namespace aimoviez::http {

namespace {

HttpResponse Export(RequestContext& ctx) {
  auto response = JsonResponse(200, ctx.services.accounts.Export(ctx.user()));
  response.Set("Content-Disposition", "attachment; filename=\"aimoviez-my-data.json\"");
  response.Set("Cache-Control", "no-store");
  return response;
}

// Withdrawing open-round votes waits for the vote engine's commits, and the erasure takes the
// round gate: both run on the blocking pool, not on an HTTP thread.
void Delete(RequestContext& ctx, Respond respond) {
  const auto body = ctx.JsonBody();
  const std::string confirm = json::OptionalString(body, "confirm").value_or("");
  const User user = ctx.user();
  auto job = [&ctx, user, confirm, respond] {
    try {
      auto deleted = ctx.services.accounts.DeleteAccount(user, confirm);
      if (!deleted) return respond(ErrorResponse(deleted.error()));
      const std::string csrf = ctx.ContinueSignedOut();
      respond(JsonResponse(200, boost::json::object{{"success", true},
                                                    {"votesWithdrawn", deleted->votes_withdrawn},
                                                    {"csrfToken", csrf}}));
    } catch (const std::exception& e) {
      spdlog::error(R"({{"msg":"account deletion failed","user":{},"error":"{}"}})", user.id,
                    e.what());
      respond(ErrorResponse(Error::Internal()));
    }
  };
  if (!ctx.services.blocking.TryPost(std::move(job))) {
    respond(ErrorResponse(Error{ErrorKind::kUnavailable, "BUSY", "Busy; try again", {}}));
  }
}

}  // namespace

void RegisterAccountRoutes(Router& router) {
  router.Add("GET", "/api/account/export", Export, {Access::kSignedIn});
  router.AddAsync("DELETE", "/api/account/delete", Delete, {Access::kSignedIn});
}

}  // namespace aimoviez::http
