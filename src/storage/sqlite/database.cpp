#include "storage/sqlite/database.h"

namespace aimoviez::sqlite {

namespace {
[[noreturn]] void Fail(sqlite3* db, int rc, std::string_view context) {
  throw SqliteError(rc & 0xFF, std::string(context) + ": " + sqlite3_errmsg(db));
}
}  // namespace

void ConfigureLibraryOnce() {
  // SQLite counts every allocation under a global mutex for sqlite3_memory_used(), which nothing
  // here reads. Only possible before the library initialises (the first open); a later call is
  // refused harmlessly.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int index, std::int64_t value) {
  if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) Fail(db_, rc, "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  if (int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                 SQLITE_TRANSIENT);
      rc != SQLITE_OK) {
    Fail(db_, rc, "bind");
  }
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view value) {
  if (int rc = sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()),
                                 SQLITE_TRANSIENT);
      rc != SQLITE_OK) {
    Fail(db_, rc, "bind");
  }
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) Fail(db_, rc, "bind");
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  sqlite3_reset(stmt_);
  Fail(db_, rc, "step [" + sql.substr(0, 80) + "]");
}

void Statement::Run() {
  while (Step()) {
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::IsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
int Statement::ParameterCount() const {
  return sqlite3_bind_parameter_count(stmt_);
}
int Statement::ColumnCount() const {
  return sqlite3_column_count(stmt_);
}
std::string_view Statement::ColumnName(int col) const {
  const char* name = sqlite3_column_name(stmt_, col);
  return name ? std::string_view(name) : std::string_view();
}
bool Statement::IsInteger(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_INTEGER;
}
std::int64_t Statement::Int(int col) const {
  return sqlite3_column_int64(stmt_, col);
}
std::string Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : "";
}
std::string_view Statement::TextView(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string_view();
}

std::optional<std::int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

Database::Database(const std::string& path) {
  ConfigureLibraryOnce();
  // No per-call locking inside SQLite (NOMUTEX): every use of this connection, statements
  // included, already happens under lock(), so SQLite's own mutex was a second lock and unlock
  // around every call (several per stored vote).
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr); rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw SqliteError(rc, "open " + path + ": " + msg);
  }
  // Another process (a second node, the CLI) may hold the write lock briefly; wait for it.
  sqlite3_busy_timeout(db_, 5000);
  Exec("PRAGMA journal_mode=WAL");
  Exec("PRAGMA synchronous=FULL");
  Exec("PRAGMA foreign_keys=ON");
  Exec("PRAGMA temp_store=MEMORY");
  // Deleted rows are overwritten with zeros, not left in free space: an erased account (GDPR)
  // must not be readable from the file afterwards.
  Exec("PRAGMA secure_delete=ON");
}

Database::~Database() {
  cache_.clear();
  sqlite3_close(db_);
}

void Database::Exec(std::string_view sql) {
  std::lock_guard guard(mutex_);
  char* err = nullptr;
  const std::string copy(sql);
  if (int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
    std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    throw SqliteError(rc & 0xFF, "exec: " + msg);
  }
}

Statement& Database::Prepare(std::string_view sql) {
  std::lock_guard guard(mutex_);
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return *it->second;
  }
  sqlite3_stmt* stmt = nullptr;
  if (int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      rc != SQLITE_OK) {
    Fail(db_, rc, "prepare [" + std::string(sql.substr(0, 80)) + "]");
  }
  auto [pos, _] = cache_.emplace(std::string(sql), std::make_unique<Statement>(db_, stmt));
  return *pos->second;
}

std::int64_t Database::LastInsertId() const {
  return sqlite3_last_insert_rowid(db_);
}
int Database::Changes() const {
  return sqlite3_changes(db_);
}

}  // namespace aimoviez::sqlite
