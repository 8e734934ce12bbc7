#include "domain/contact_service.h"

#include "common/text.h"
#include "domain/identity_service.h"

namespace aimoviez {

namespace {

bool KnownStatus(std::string_view s) {
  return s == "open" || s == "read" || s == "archived";
}

// Sanitised text within `max` code points: the cleaned text, or the error naming the field.
Result<std::string> Field(std::string_view raw, std::string_view field, std::size_t max,
                          bool required, bool multiline) {
  std::string text = text::Sanitize(raw, multiline);
  if (!text::IsValidUtf8(text)) {
    return Error::InvalidInput(std::string(field) + " must be text")
        .With("field", boost::json::string(field));
  }
  if (required && text.empty()) {
    return Error::InvalidInput(std::string(field) + " is required")
        .With("field", boost::json::string(field));
  }
  if (text::CodePointCount(text) > max) {
    return Error::InvalidInput(std::string(field) + " is at most " + std::to_string(max) +
                               " characters")
        .With("field", boost::json::string(field));
  }
  return text;
}

}  // namespace

Result<ContactMessage> ContactService::Send(std::optional<Id> user_id, ContactDraft d) {
  auto email = ValidateEmail(d.email);
  if (!email) return email.error();
  auto name = Field(d.name, "name", kMaxName, false, false);
  if (!name) return name.error();
  auto subject = Field(d.subject, "subject", kMaxSubject, true, false);
  if (!subject) return subject.error();
  auto body = Field(d.body, "body", kMaxBody, true, true);
  if (!body) return body.error();
  if (store_.CountContactMessages("open") >= kMaxOpen) {
    return Error::Conflict("INBOX_FULL", "The team's inbox is full; please try again later");
  }
  ContactMessage m;
  m.user_id = user_id;
  m.name = *name;
  m.email = *email;
  m.subject = *subject;
  m.body = *body;
  m.created_at = clock_.NowMs();
  return store_.InsertContactMessage(m);
}

Result<ContactPage> ContactService::Inbox(std::string_view status, std::optional<Id> before,
                                          int limit) {
  if (!KnownStatus(status)) {
    return Error::InvalidInput("status must be open, read or archived").With("field", "status");
  }
  ContactPage page;
  page.messages = store_.ListContactMessages(status, before, limit + 1);
  if (static_cast<int>(page.messages.size()) > limit) {
    page.messages.resize(static_cast<std::size_t>(limit));
    page.next_before = page.messages.back().id;
  }
  page.open = store_.CountContactMessages("open");
  return page;
}

Status ContactService::Mark(Id id, std::string_view status, const AuditActor& admin) {
  if (!KnownStatus(status)) {
    return Error::InvalidInput("status must be open, read or archived").With("field", "status");
  }
  if (!store_.SetContactStatus(id, status)) return Error::NotFound("Message");
  audit_.Record(admin, "mark_contact", "contact_message", std::to_string(id),
                {{"status", boost::json::string(status)}});
  return Ok{};
}

}  // namespace aimoviez
