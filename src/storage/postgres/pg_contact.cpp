#include "storage/postgres/pg_contact.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

constexpr std::string_view kContactColumns =
    "SELECT id, user_id, name, email, subject, body, status, created_at FROM contact_messages ";

ContactMessage ReadContact(const Rows& r, int i) {
  ContactMessage m;
  m.id = r.Int(i, 0);
  m.user_id = r.OptInt(i, 1);
  m.name = r.Text(i, 2);
  m.email = r.Text(i, 3);
  m.subject = r.Text(i, 4);
  m.body = r.Text(i, 5);
  m.status = r.Text(i, 6);
  m.created_at = r.Int(i, 7);
  return m;
}

}  // namespace

ContactMessage PgContactRepository::InsertContactMessage(const ContactMessage& m) {
  ContactMessage stored = m;
  stored.id = db_.Exec(
                     "INSERT INTO contact_messages (user_id, name, email, subject, body, status, "
                     "created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6) RETURNING id",
                     Params(m.user_id, m.name, m.email, m.subject, m.body, m.created_at))
                  .Int(0, 0);
  stored.status = "open";
  return stored;
}

std::vector<ContactMessage> PgContactRepository::ListContactMessages(std::string_view status,
                                                                     std::optional<Id> before,
                                                                     int limit) {
  return ReadAll<ContactMessage>(
      db_.Exec(std::string(kContactColumns) +
                   "WHERE status = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC "
                   "LIMIT $3",
               Params(status, before, limit)),
      ReadContact);
}

std::int64_t PgContactRepository::CountContactMessages(std::string_view status) {
  return db_.Exec("SELECT COUNT(*) FROM contact_messages WHERE status = $1", Params(status))
      .Int(0, 0);
}

bool PgContactRepository::SetContactStatus(Id id, std::string_view status) {
  return db_.Exec("UPDATE contact_messages SET status = $1 WHERE id = $2", Params(status, id))
             .Affected() > 0;
}

}  // namespace aimoviez::pg
