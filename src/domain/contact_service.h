// The contact form (spec section 16): anyone may write to the team (3 a minute per address, the
// route's "contact" budget); admins read the inbox and mark messages read or archived. The inbox
// keeps at most kMaxOpen unread messages: past that, new ones are refused (INBOX_FULL) rather than
// letting a flood grow the database.
#pragma once

#include "common/time.h"
#include "domain/audit_trail.h"
#include "domain/errors.h"
#include "domain/ports.h"

namespace aimoviez {

struct ContactDraft {
  std::string name;
  std::string email;
  std::string subject;
  std::string body;
};

struct ContactPage {
  std::vector<ContactMessage> messages;
  std::int64_t open = 0;  // unread messages, for the tab's badge
  std::optional<Id> next_before;
};

class ContactService {
 public:
  static constexpr std::size_t kMaxName = 80;
  static constexpr std::size_t kMaxSubject = 120;
  static constexpr std::size_t kMaxBody = 2000;
  static constexpr std::int64_t kMaxOpen = 10'000;

  ContactService(Store& store, const Clock& clock)
      : store_(store), clock_(clock), audit_(store, clock) {}

  // VALIDATION_ERROR naming the field (email, subject, body, name), INBOX_FULL.
  Result<ContactMessage> Send(std::optional<Id> user_id, ContactDraft draft);
  // VALIDATION_ERROR for an unknown status.
  Result<ContactPage> Inbox(std::string_view status, std::optional<Id> before, int limit);
  // NOT_FOUND, VALIDATION_ERROR; audit-logged.
  Status Mark(Id id, std::string_view status, const AuditActor& admin);

 private:
  Store& store_;
  const Clock& clock_;
  AuditTrail audit_;
};

}  // namespace aimoviez
