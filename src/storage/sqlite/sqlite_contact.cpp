// Contact messages on SQLite (migration 20).
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {

constexpr std::string_view kContactColumns =
    "SELECT id, user_id, name, email, subject, body, status, created_at FROM contact_messages ";

ContactMessage ReadContact(const Statement& s) {
  ContactMessage m;
  m.id = s.Int(0);
  m.user_id = s.OptInt(1);
  m.name = s.Text(2);
  m.email = s.Text(3);
  m.subject = s.Text(4);
  m.body = s.Text(5);
  m.status = s.Text(6);
  m.created_at = s.Int(7);
  return m;
}

}  // namespace

ContactMessage SqliteStore::InsertContactMessage(const ContactMessage& m) {
  Guard g(db_.lock());
  db_.Prepare(
         "INSERT INTO contact_messages (user_id, name, email, subject, body, status, created_at) "
         "VALUES (?, ?, ?, ?, ?, 'open', ?)")
      .BindAll(m.user_id, m.name, m.email, m.subject, m.body, m.created_at)
      .Run();
  ContactMessage stored = m;
  stored.id = db_.LastInsertId();
  stored.status = "open";
  return stored;
}

std::vector<ContactMessage> SqliteStore::ListContactMessages(std::string_view status,
                                                             std::optional<Id> before, int limit) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(Sql(kContactColumns,
                             "WHERE status = ?1 AND (?2 IS NULL OR id < ?2) ORDER BY id DESC "
                             "LIMIT ?3"));
  st.BindAll(status, before, limit);
  return All<ContactMessage>(st, ReadContact);
}

std::int64_t SqliteStore::CountContactMessages(std::string_view status) {
  Guard g(db_.lock());
  auto& st = db_.Prepare("SELECT COUNT(*) FROM contact_messages WHERE status = ?");
  st.BindAll(status);
  return One<std::int64_t>(st, [](const Statement& s) { return s.Int(0); }).value_or(0);
}

bool SqliteStore::SetContactStatus(Id id, std::string_view status) {
  Guard g(db_.lock());
  db_.Prepare("UPDATE contact_messages SET status = ? WHERE id = ?").BindAll(status, id).Run();
  return db_.Changes() > 0;
}

}  // namespace aimoviez::sqlite
