// Storage port for the contact form (spec section 16): messages to the team and their state in
// the admins' inbox.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"

namespace aimoviez {

struct ContactMessage {
  Id id = 0;
  std::optional<Id> user_id;  // when sent signed in
  std::string name;
  std::string email;
  std::string subject;
  std::string body;
  std::string status = "open";  // open | read | archived
  EpochMs created_at = 0;
};

class ContactRepository {
 public:
  virtual ~ContactRepository() = default;
  virtual ContactMessage InsertContactMessage(const ContactMessage& m) = 0;
  // Newest first, ids below `before` when given.
  virtual std::vector<ContactMessage> ListContactMessages(std::string_view status,
                                                          std::optional<Id> before, int limit) = 0;
  virtual std::int64_t CountContactMessages(std::string_view status) = 0;
  // False when there is no such message.
  virtual bool SetContactStatus(Id id, std::string_view status) = 0;
};

}  // namespace aimoviez
