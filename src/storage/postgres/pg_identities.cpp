#include "storage/postgres/pg_identities.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

constexpr std::string_view kIdentityColumns =
    "SELECT id, user_id, issuer, subject, email, name, picture, created_at, last_used_at "
    "FROM user_identities ";

IdentityRecord ReadIdentity(const Rows& r, int i) {
  return IdentityRecord{r.Int(i, 0),  r.Int(i, 1),  r.Text(i, 2), r.Text(i, 3), r.Text(i, 4),
                        r.Text(i, 5), r.Text(i, 6), r.Int(i, 7),  r.Int(i, 8)};
}

}  // namespace

std::optional<IdentityRecord> PgIdentityRepository::FindIdentity(std::string_view issuer,
                                                                 std::string_view subject) {
  const auto rows = db_.Exec(std::string(kIdentityColumns) + "WHERE issuer = $1 AND subject = $2",
                             Params(issuer, subject));
  return ReadFirst<IdentityRecord>(rows, ReadIdentity);
}

Result<IdentityRecord> PgIdentityRepository::AddIdentity(const IdentityRecord& identity) {
  const auto rows = db_.Exec(
      "INSERT INTO user_identities (user_id, issuer, subject, email, name, picture, created_at, "
      "last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
      "ON CONFLICT (issuer, subject) DO NOTHING RETURNING id",
      Params(identity.user_id, identity.issuer, identity.subject, identity.email, identity.name,
             identity.picture, identity.created_at, identity.last_used_at));
  if (rows.empty()) {
    return Error::Conflict("IDENTITY_LINKED", "This sign-in is already linked to an account");
  }
  IdentityRecord stored = identity;
  stored.id = rows.Int(0, 0);
  return stored;
}

void PgIdentityRepository::TouchIdentity(Id identity_id, std::string_view email,
                                         std::string_view name, std::string_view picture,
                                         EpochMs now) {
  db_.Exec(
      "UPDATE user_identities SET email = $1, name = $2, picture = $3, last_used_at = $4 "
      "WHERE id = $5",
      Params(email, name, picture, now, identity_id));
}

std::vector<IdentityRecord> PgIdentityRepository::ListIdentities(Id user_id) {
  const auto rows =
      db_.Exec(std::string(kIdentityColumns) + "WHERE user_id = $1 ORDER BY id", Params(user_id));
  return ReadAll<IdentityRecord>(rows, ReadIdentity);
}

}  // namespace aimoviez::pg
