// A thin layer over libpq for the PostgreSQL system of record (cluster mode): results that free
// themselves, parameters sent apart from the SQL (never spliced in), statements prepared once per
// connection, a bounded pool, and transactions that follow the calling thread. Only files under
// storage/postgres include this.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "domain/errors.h"

namespace aimoviez::pg {

// A failed statement or connection. `sqlstate` is PostgreSQL's five-character error code ("" when
// the connection itself failed). Transient when the server could not be reached or no
// connection was free in time (53300): the request is answered 503 and may be retried.
class PgError : public StorageFailure {
 public:
  PgError(std::string sqlstate, const std::string& message)
      : StorageFailure(message, ConnectionLost(sqlstate) || sqlstate == "53300" ||
                                    sqlstate.starts_with("57P")),  // too many clients, shutdown
        sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  bool IsUniqueViolation() const { return sqlstate_ == "23505"; }
  bool IsForeignKeyViolation() const { return sqlstate_ == "23503"; }
  // The connection is gone (server restarted, network cut): the request may be retried.
  bool IsConnectionLost() const { return ConnectionLost(sqlstate_); }

 private:
  static bool ConnectionLost(const std::string& sqlstate) {
    return sqlstate.empty() || sqlstate.starts_with("08");
  }

  std::string sqlstate_;
};

// The rows of one statement, in text format.
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result, &PQclear) {}

  int size() const { return PQntuples(result_.get()); }
  bool empty() const { return size() == 0; }
  // Rows changed by an INSERT, UPDATE or DELETE.
  int Affected() const;
  bool IsNull(int row, int col) const { return PQgetisnull(result_.get(), row, col) != 0; }
  std::int64_t Int(int row, int col) const;
  std::optional<std::int64_t> OptInt(int row, int col) const;
  bool Bool(int row, int col) const;
  std::string Text(int row, int col) const;
  std::string_view TextView(int row, int col) const;
  int ColumnCount() const { return PQnfields(result_.get()); }
  std::string_view ColumnName(int col) const { return PQfname(result_.get(), col); }
  // The column's kind, for readers that do not know the query's shape (the account export).
  enum class Kind { kInteger, kBoolean, kBytes, kText };
  Kind ColumnKind(int col) const;
  // A bytea column's bytes (the server sends them hex-encoded in text format).
  std::string Bytes(int row, int col) const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

// A PostgreSQL array value built element by element (text format, elements quoted), so a batch
// of rows travels as one parameter per column: `INSERT … SELECT * FROM unnest($1::bigint[], …)`.
class ArrayLiteral {
 public:
  ArrayLiteral& Int(std::int64_t value);
  ArrayLiteral& Bool(bool value);
  ArrayLiteral& Text(std::string_view value);
  ArrayLiteral& Null();
  ArrayLiteral& Bytes(std::string_view bytes);  // an element of a bytea[]
  template <typename T>
  ArrayLiteral& Opt(const std::optional<T>& value) {
    if (!value) return Null();
    if constexpr (std::is_integral_v<T>) {
      return Int(*value);
    } else {
      return Text(*value);
    }
  }
  std::string Finish() const { return text_ + "}"; }

 private:
  void Separate() {
    if (text_.size() > 1) text_.push_back(',');
  }
  std::string text_ = "{";
};

// bytea's text form: a backslash, an "x", then two hex digits per byte.
std::string ByteaText(std::string_view bytes);

// Statement parameters ($1, $2, …), each sent as text or NULL.
class Params {
 public:
  Params() = default;
  template <typename... Args>
  explicit Params(const Args&... args) {
    (Add(args), ...);
  }

  Params& Add(std::int64_t value);
  Params& Add(int value) { return Add(static_cast<std::int64_t>(value)); }
  Params& Add(bool value);
  Params& Add(std::string_view value);
  Params& Add(const std::string& value) { return Add(std::string_view(value)); }
  Params& Add(const char* value) { return Add(std::string_view(value)); }
  Params& AddNull();
  // A bytea value (raw bytes, any of them zero).
  Params& AddBytes(std::string_view bytes);
  // A bigint[] (e.g. `WHERE id = ANY($1)`), so a list is one parameter, not a loop of statements.
  Params& Add(const std::vector<std::int64_t>& values);
  Params& Add(const ArrayLiteral& array) { return Add(array.Finish()); }
  template <typename T>
  Params& Add(const std::optional<T>& value) {
    return value ? Add(*value) : AddNull();
  }

  int size() const { return static_cast<int>(values_.size()); }
  // Pointers into this object's storage, valid while it lives and is not changed.
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// One server connection, with the statements it has prepared. Not thread-safe: a Pool hands it
// to one thread at a time.
class Connection {
 public:
  explicit Connection(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one parameterised statement, prepared on first use on this connection.
  Rows Exec(std::string_view sql, const Params& params = Params());
  // Runs SQL text with no parameters, several statements allowed (migrations, BEGIN/COMMIT).
  void ExecScript(std::string_view sql);
  bool Broken() const;

 private:
  Rows Check(PGresult* result, std::string_view sql);

  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

struct PoolOptions {
  int size = 8;
  // How long a request waits for a free connection before it fails (503 upstream).
  std::chrono::milliseconds acquire_timeout{5000};
};

// A bounded set of connections shared by the threads of one process, plus the transaction that
// follows a thread: inside Transaction(), every call the thread makes on this Database uses the
// transaction's connection, so repositories need not pass it along.
class Database {
 public:
  Database(std::string url, PoolOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Rows Exec(std::string_view sql, const Params& params = Params());
  void ExecScript(std::string_view sql);
  // For a statement that may break a constraint the caller handles (a unique name taken): inside
  // a transaction it runs under a savepoint, so its failure does not abort the transaction, as a
  // failed statement does not in SQLite.
  Rows ExecMayFail(std::string_view sql, const Params& params = Params());

  // Runs `work` in one transaction (READ COMMITTED, as PostgreSQL defaults), committing when it
  // returns and rolling back when it throws. Nested calls join the outer transaction.
  void Transaction(const std::function<void()>& work);
  // Runs `work` with one connection held for its whole length, outside any transaction (for
  // session-level locks such as the migration lock).
  void WithSession(const std::function<void(Connection&)>& work);

  const std::string& url() const { return url_; }
  int OpenConnections() const;

 private:
  class Lease;
  Lease Acquire();
  void Release(std::unique_ptr<Connection> connection);
  Connection* CurrentTransaction() const;

  std::string url_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace aimoviez::pg
