// The tables that hold a person's rows, for the GDPR export and for the test that checks the
// list against the schema: one list for every backend. `where` names the person with two
// placeholders each backend fills in its own parameter syntax: {user} (the user id) and {voter}
// (the voter key the user votes under, "user_<id>").
#pragma once

#include <string>
#include <vector>

namespace aimoviez {

struct PersonTable {
  std::string name;
  std::string where;
  std::vector<std::string> hidden;  // columns never exported (secrets)
  bool postgres_only = false;       // a table only the PostgreSQL schema has (cluster mode)
};

const std::vector<PersonTable>& PersonTables();

// `where` with {user} and {voter} replaced by the given parameter markers.
std::string PersonWhere(const PersonTable& table, const std::string& user_marker,
                        const std::string& voter_marker);

// Whether a column's name says it points at a person (user_id, voter_key, email, username,
// *_user_id, *_email): the schema checks use it to find tables the list must cover.
bool IsPersonColumn(const std::string& name);

// A generous bound per table: a person voting the daily maximum for years stays far below it.
inline constexpr int kMaxExportRows = 1'000'000;

}  // namespace aimoviez
