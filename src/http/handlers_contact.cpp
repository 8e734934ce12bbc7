// The contact form: POST /api/contact for anyone (the "contact" budget, 3 a minute per address),
// and the admins' inbox with read/archived states.
#include "common/json.h"
#include "http/handlers.h"

namespace aimoviez::http {

namespace {

boost::json::object MessageJson(const ContactMessage& m) {
  return {{"id", m.id},
          {"name", m.name},
          {"email", m.email},
          {"subject", m.subject},
          {"body", m.body},
          {"status", m.status},
          {"signedIn", m.user_id.has_value()},
          {"createdAt", FormatIso8601(m.created_at)}};
}

HttpResponse Send(RequestContext& ctx) {
  const auto body = ctx.JsonBody();
  ContactDraft draft{json::OptionalString(body, "name").value_or(""),
                     json::RequireString(body, "email"), json::RequireString(body, "subject"),
                     json::RequireString(body, "body")};
  std::optional<Id> sender;
  if (ctx.actor.user) sender = ctx.actor.user->id;
  return Reply(
      ctx.services.contact.Send(sender, std::move(draft)),
      [](const ContactMessage& m) {
        return boost::json::object{{"sent", true}, {"id", m.id}};
      },
      201);
}

HttpResponse Inbox(RequestContext& ctx) {
  return Reply(
      ctx.services.contact.Inbox(ctx.Query("status").value_or("open"), ctx.QueryId("cursor"),
                                 ctx.QueryInt("limit", 20, 1, 50)),
      [](const ContactPage& page) {
        boost::json::array messages;
        for (const auto& m : page.messages) messages.push_back(MessageJson(m));
        return boost::json::object{
            {"messages", std::move(messages)},
            {"openCount", page.open},
            {"nextCursor", page.next_before ? boost::json::value(std::to_string(*page.next_before))
                                            : boost::json::value(nullptr)}};
      });
}

HttpResponse Mark(RequestContext& ctx) {
  const auto status = json::RequireString(ctx.JsonBody(), "status");
  return Reply(ctx.services.contact.Mark(ctx.ParamId("id"), status, ctx.audit_actor()), [&](Ok) {
    return boost::json::object{{"status", status}};
  });
}

}  // namespace

void RegisterContactRoutes(Router& router) {
  router.Add("POST", "/api/contact", Send, {.rate = RateClass::kContact});
  router.Add("GET", "/api/admin/contact", Inbox, {Access::kAdmin});
  router.Add("POST", "/api/admin/contact/{id}", Mark, {Access::kAdmin});
}

}  // namespace aimoviez::http
