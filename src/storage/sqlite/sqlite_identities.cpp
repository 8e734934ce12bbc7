// IdentityRepository on SQLite: one row per (issuer, subject) an account signs in with.
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

namespace {

constexpr std::string_view kIdentityColumns =
    "SELECT id, user_id, issuer, subject, email, name, picture, created_at, last_used_at "
    "FROM user_identities ";

IdentityRecord ReadIdentity(const Statement& s) {
  return IdentityRecord{s.Int(0),  s.Int(1),  s.Text(2), s.Text(3), s.Text(4),
                        s.Text(5), s.Text(6), s.Int(7),  s.Int(8)};
}

}  // namespace

std::optional<IdentityRecord> SqliteStore::FindIdentity(std::string_view issuer,
                                                        std::string_view subject) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(std::string(kIdentityColumns) + "WHERE issuer = ? AND subject = ?");
  st.BindAll(issuer, subject);
  return One<IdentityRecord>(st, ReadIdentity);
}

Result<IdentityRecord> SqliteStore::AddIdentity(const IdentityRecord& identity) {
  Guard g(db_.lock());
  try {
    db_.Prepare(
           "INSERT INTO user_identities (user_id, issuer, subject, email, name, picture, "
           "created_at, last_used_at) VALUES (?,?,?,?,?,?,?,?)")
        .BindAll(identity.user_id, identity.issuer, identity.subject, identity.email, identity.name,
                 identity.picture, identity.created_at, identity.last_used_at)
        .Run();
  } catch (const SqliteError& e) {
    if (!e.IsConstraint()) throw;
    return Error::Conflict("IDENTITY_LINKED", "This sign-in is already linked to an account");
  }
  IdentityRecord stored = identity;
  stored.id = db_.LastInsertId();
  return stored;
}

void SqliteStore::TouchIdentity(Id identity_id, std::string_view email, std::string_view name,
                                std::string_view picture, EpochMs now) {
  Guard g(db_.lock());
  db_.Prepare(
         "UPDATE user_identities SET email = ?, name = ?, picture = ?, last_used_at = ? "
         "WHERE id = ?")
      .BindAll(email, name, picture, now, identity_id)
      .Run();
}

std::vector<IdentityRecord> SqliteStore::ListIdentities(Id user_id) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(std::string(kIdentityColumns) + "WHERE user_id = ? ORDER BY id");
  st.BindAll(user_id);
  return All<IdentityRecord>(st, ReadIdentity);
}

}  // namespace aimoviez::sqlite
