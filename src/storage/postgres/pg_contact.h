// ContactRepository on PostgreSQL: messages sent through the contact form.
#pragma once

#include "domain/contact_repository.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgContactRepository : public virtual ContactRepository {
 public:
  explicit PgContactRepository(Database& db) : db_(db) {}

  ContactMessage InsertContactMessage(const ContactMessage& m) override;
  std::vector<ContactMessage> ListContactMessages(std::string_view status, std::optional<Id> before,
                                                  int limit) override;
  std::int64_t CountContactMessages(std::string_view status) override;
  bool SetContactStatus(Id id, std::string_view status) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
