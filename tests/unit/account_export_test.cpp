// The GDPR export knows every table that holds a person: a table added with a person column and
// not exported (or listed as deliberately unexported, with a reason) fails here.
#include <gtest/gtest.h>

#include <set>

#include "storage/person_tables.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"
#include "test_support.h"

namespace aimoviez {
namespace {

TEST(AccountExport, EveryTableWithAPersonColumnIsExportedOrExplained) {
  testing::TempDir dir;
  {
    sqlite::SqliteStore store(dir.File("schema.db"));
    store.Migrate();
  }
  sqlite::Database db(dir.File("schema.db"));
  std::vector<std::string> tables;
  {
    auto& st = db.Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (st.Step()) tables.push_back(st.Text(0));
    st.Reset();
  }
  ASSERT_GT(tables.size(), 10u);
  std::set<std::string> covered(sqlite::SqliteStore::ExportedTables().begin(),
                                sqlite::SqliteStore::ExportedTables().end());
  for (const auto& [table, reason] : sqlite::SqliteStore::UnexportedPersonTables()) {
    EXPECT_FALSE(reason.empty()) << table;
    covered.insert(table);
  }
  std::vector<std::string> person_tables;
  for (const auto& table : tables) {
    auto& info = db.Prepare("SELECT name FROM pragma_table_info(?)");
    info.BindAll(table);
    bool person = false;
    while (info.Step()) person = person || IsPersonColumn(info.Text(0));
    info.Reset();
    if (person) {
      person_tables.push_back(table);
      EXPECT_TRUE(covered.count(table)) << "table " << table
                                        << " holds a person column but the account export does not "
                                           "cover it (storage/person_tables.cpp)";
    }
  }
  // The check itself sees the tables it must: votes, comments, sessions at least.
  for (const char* expected : {"users", "votes", "comments", "sessions", "user_identities"}) {
    EXPECT_NE(std::find(person_tables.begin(), person_tables.end(), expected), person_tables.end())
        << expected;
  }
  // And every exported table exists.
  for (const auto& table : sqlite::SqliteStore::ExportedTables()) {
    EXPECT_NE(std::find(tables.begin(), tables.end(), table), tables.end()) << table;
  }
}

}  // namespace
}  // namespace aimoviez
