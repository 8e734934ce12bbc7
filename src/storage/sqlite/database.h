// A thin RAII layer over the SQLite C API: one connection, cached prepared statements, typed
// binding. Only files under storage/sqlite include this.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace aimoviez::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, bool value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& BindBlob(int index, std::string_view value);
  Statement& BindNull(int index);
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }
  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int i = 0;
    (Bind(++i, args), ...);
    return *this;
  }

  // Advances to the next row; false when done. Throws on error.
  bool Step();
  // Runs to completion, expecting no rows.
  void Run();
  void Reset();

  bool IsNull(int col) const;
  bool IsInteger(int col) const;
  int ColumnCount() const;
  int ParameterCount() const;
  std::string_view ColumnName(int col) const;
  std::int64_t Int(int col) const;
  std::string Text(int col) const;
  // Valid until the next Step/Reset; avoids a copy on bulk reads.
  std::string_view TextView(int col) const;
  std::optional<std::int64_t> OptInt(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// Sets the library-wide options before the first connection opens; every opener calls it.
void ConfigureLibraryOnce();

class Database {
 public:
  // Opens (creating if needed) with WAL, foreign keys, a busy timeout and synchronous=FULL.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void Exec(std::string_view sql);
  // A prepared statement from the cache, reset and with bindings cleared. The caller must hold
  // the lock() for as long as it uses the statement.
  Statement& Prepare(std::string_view sql);
  std::int64_t LastInsertId() const;
  int Changes() const;
  // Held around every use of the connection: it is opened NOMUTEX, so SQLite does not serialise
  // calls itself.
  std::recursive_mutex& lock() { return mutex_; }

 private:
  sqlite3* db_ = nullptr;
  std::recursive_mutex mutex_;
  // Looked up by string_view, so finding a cached statement allocates nothing.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> cache_;
};

// Thrown by the wrapper for SQLite errors; `code` is the primary result code.
class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }
  bool IsConstraint() const { return code_ == SQLITE_CONSTRAINT; }

 private:
  int code_;
};

}  // namespace aimoviez::sqlite
