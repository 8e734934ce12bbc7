#include "common/json.h"
#include "http/handlers.h"
#include "http/json_views.h"

namespace aimoviez::http {

namespace {

constexpr RouteOptions kCommentAction{.access = Access::kSignedIn, .rate = RateClass::kComment};

HttpResponse ListComments(RequestContext& ctx) {
  const auto clip = json::ParseId(ctx.Query("clipId").value_or(""));
  if (!clip)
    return ErrorResponse(Error::InvalidInput("clipId is required").With("field", "clipId"));
  const auto sort = ctx.Query("sort").value_or("newest");
  if (sort != "newest" && sort != "top") {
    return ErrorResponse(Error::InvalidInput("sort must be newest or top").With("field", "sort"));
  }
  auto page = ctx.services.comments.List(
      *clip, sort == "top" ? CommentRepository::Order::kTop : CommentRepository::Order::kNewest,
      ctx.Query("cursor").value_or(""), ctx.actor);
  if (!page) return ErrorResponse(page.error());
  boost::json::array comments;
  for (const auto& t : page->threads) {
    auto o = CommentJson(t.comment);
    boost::json::array replies;
    for (const auto& r : t.replies) replies.push_back(CommentJson(r));
    o["replies"] = std::move(replies);
    comments.push_back(std::move(o));
  }
  return JsonResponse(
      200,
      boost::json::object{
          {"comments", std::move(comments)},
          {"nextCursor", page->next_cursor ? boost::json::value(*page->next_cursor) : nullptr}});
}

HttpResponse PostComment(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const Id clip = json::RequireId(body, "clipId");
  const auto text = json::RequireString(body, "text");
  std::optional<Id> parent;
  if (body.contains("parentCommentId") && !body.at("parentCommentId").is_null()) {
    parent = json::RequireId(body, "parentCommentId");
  }
  auto posted = ctx.services.comments.Post(ctx.user(), clip, text, parent);
  return posted ? JsonResponse(201, boost::json::object{{"comment", CommentJson(*posted)}})
                : ErrorResponse(posted.error());
}

HttpResponse LikeComment(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  const Id id = json::RequireId(body, "commentId");
  const auto action = json::RequireString(body, "action");
  if (action != "like" && action != "unlike") {
    return ErrorResponse(
        Error::InvalidInput("action must be like or unlike").With("field", "action"));
  }
  return Reply(ctx.services.comments.Like(ctx.user(), id, action == "like"), [](const Comment& c) {
    return boost::json::object{
        {"success", true}, {"likesCount", c.likes}, {"liked", c.liked_by_me}};
  });
}

HttpResponse DeleteComment(RequestContext& ctx) {
  const Id id = json::RequireId(ctx.JsonBody(), "commentId");
  return Reply(ctx.services.comments.Delete(ctx.user(), id), [](const Ok&) {
    return boost::json::object{{"success", true}};
  });
}

HttpResponse AdminList(RequestContext& ctx) {
  std::optional<CommentStatus> status;
  if (auto s = ctx.Query("status"); s && !s->empty()) {
    status = ParseCommentStatus(*s);
    if (!status)
      return ErrorResponse(Error::InvalidInput("unknown status").With("field", "status"));
  }
  boost::json::array out;
  for (const auto& c : ctx.services.store.ListCommentsByStatus(
           status, ctx.QueryInt("limit", 50, 1, 200), ctx.QueryInt("offset", 0, 0, 1'000'000))) {
    out.push_back(CommentJson(c));
  }
  return JsonResponse(200, boost::json::object{{"comments", std::move(out)}});
}

HttpResponse AdminModerate(RequestContext& ctx) {
  const auto status = ParseCommentStatus(json::RequireString(ctx.JsonBody(), "status"));
  if (!status)
    return ErrorResponse(
        Error::InvalidInput("status must be approved, pending, rejected or flagged")
            .With("field", "status"));
  return Reply(ctx.services.comments.Moderate(ctx.ParamId("id"), *status, ctx.audit_actor()),
               [](const Comment& c) {
                 return boost::json::object{{"comment", CommentJson(c)}};
               });
}

HttpResponse AdminBulkDelete(RequestContext& ctx) {
  const auto ids = json::RequireIdArray(ctx.JsonBody(), "commentIds", 100);
  boost::json::array results;
  int ok = 0;
  for (const auto& r : ctx.services.comments.BulkDelete(ids, ctx.audit_actor())) {
    boost::json::object o{{"commentId", r.comment_id}, {"success", !r.error}};
    if (r.error)
      o["code"] = r.error->code;
    else
      ++ok;
    results.push_back(std::move(o));
  }
  return JsonResponse(200, boost::json::object{{"results", std::move(results)}, {"succeeded", ok}});
}

}  // namespace

void RegisterCommentRoutes(Router& router) {
  router.Add("GET", "/api/comments", ListComments);
  router.Add("POST", "/api/comments", PostComment, kCommentAction);
  router.Add("PATCH", "/api/comments", LikeComment, kCommentAction);
  router.Add("DELETE", "/api/comments", DeleteComment, kCommentAction);
  router.Add("GET", "/api/admin/comments", AdminList, kAdmin);
  router.Add("POST", "/api/admin/comments/{id}/moderate", AdminModerate, kAdmin);
  router.Add("POST", "/api/admin/comments/bulk-delete", AdminBulkDelete, kAdmin);
}

}  // namespace aimoviez::http
