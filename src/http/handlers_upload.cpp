// Upload routes (spec 10): sign an upload slot, register the uploaded file as a clip, follow and
// retry its processing. The PUT of the file itself is the UploadEndpoint (streamed by the server).
#include "common/json.h"
#include "http/handlers.h"
#include "http/json_views.h"

namespace aimoviez::http {

namespace {

constexpr RouteOptions kSignedIn{Access::kSignedIn};
// Signed upload URLs have their own budget per user in the upload service (spec "upload").
constexpr RouteOptions kUploadUrl{.access = Access::kSignedIn, .rate = RateClass::kNone};
constexpr RouteOptions kUploadUrlGet{
    .access = Access::kSignedIn, .csrf_on_get = true, .rate = RateClass::kNone};

HttpResponse Signed(RequestContext& ctx, const std::string& filename,
                    const std::string& content_type, std::int64_t size) {
  RateDecision rate;
  auto signed_upload = ctx.services.uploads.Sign(ctx.user(), filename, content_type, size, &rate);
  HttpResponse r =
      signed_upload
          ? JsonResponse(
                200,
                boost::json::object{
                    {"uploadUrl", signed_upload->upload_url},
                    {"key", signed_upload->key},
                    {"method", signed_upload->method},
                    {"headers", boost::json::object{{"Content-Type", signed_upload->content_type}}},
                    {"maxBytes", signed_upload->max_bytes},
                    {"expiresAt", FormatIso8601(signed_upload->expires_at)}})
          : ErrorResponse(signed_upload.error());
  SetRateLimitHeaders(r, rate);
  return r;
}

// GET /api/upload/signed-url?filename&contentType&size (the form, CSRF header required).
HttpResponse SignedUrlFromQuery(RequestContext& ctx) {
  const auto size = json::ParseId(ctx.Query("size").value_or(""));
  if (!size)
    return ErrorResponse(
        Error::InvalidInput("size must be a positive number of bytes").With("field", "size"));
  return Signed(ctx, ctx.Query("filename").value_or(""), ctx.Query("contentType").value_or(""),
                *size);
}

// POST /api/upload/signed-url {filename, contentType, size} (the spec's form).
HttpResponse SignedUrlFromBody(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  return Signed(ctx, json::OptionalString(body, "filename").value_or(""),
                json::RequireString(body, "contentType"), json::RequireInt(body, "size"));
}

// Registration runs ffprobe on the upload (about 0.1 s): it runs on the blocking-work pool so
// the HTTP threads keep serving votes meanwhile.
void Register(RequestContext& ctx, Respond respond) {
  const auto body = ctx.JsonBody();
  ClipSubmission submission;
  submission.key = json::RequireString(body, "key");
  submission.genre = json::RequireString(body, "genre");
  submission.title = json::OptionalString(body, "title").value_or("");
  submission.description = json::OptionalString(body, "description").value_or("");
  auto& uploads = ctx.services.uploads;
  const User user = ctx.user();
  auto job = [&uploads, user, submission, respond] {
    try {
      respond(Reply(
          uploads.Register(user, submission),
          [](const Clip& c) {
            return boost::json::object{{"success", true}, {"clip", ClipJson(c)}};
          },
          201));
    } catch (const std::exception&) {
      respond(ErrorResponse(Error::Internal()));
    }
  };
  if (!ctx.services.blocking.TryPost(std::move(job))) {
    respond(ErrorResponse(Error{
        ErrorKind::kUnavailable, "BUSY", "Too many uploads are being checked; try again", {}}));
  }
}

HttpResponse ClipProcessing(RequestContext& ctx) {
  return Reply(ctx.services.uploads.ClipForOwner(ctx.user(), ctx.ParamId("id")), [](const Clip& c) {
    return boost::json::object{{"clip", ClipJson(c)}};
  });
}

HttpResponse Retry(RequestContext& ctx) {
  return Reply(ctx.services.uploads.RetryProcessing(ctx.user(), ctx.ParamId("id")),
               [](const Clip& c) {
                 return boost::json::object{{"clip", ClipJson(c)}};
               });
}

}  // namespace

void RegisterUploadRoutes(Router& r) {
  r.Add("GET", "/api/upload/signed-url", SignedUrlFromQuery, kUploadUrlGet);
  r.Add("POST", "/api/upload/signed-url", SignedUrlFromBody, kUploadUrl);
  r.AddAsync("POST", "/api/upload/register", Register, kSignedIn);
  r.Add("GET", "/api/upload/clips/{id}", ClipProcessing, kSignedIn);
  r.Add("POST", "/api/upload/clips/{id}/retry", Retry, kSignedIn);
}

}  // namespace aimoviez::http
