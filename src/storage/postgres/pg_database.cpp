#include "storage/postgres/pg_database.h"

#include "common/crypto.h"

#include <charconv>
#include <utility>

namespace aimoviez::pg {

namespace {

// The transactions this thread has open, one per Database at most (a thread rarely has more
// than one Database, so a short list beats a map).
thread_local std::vector<std::pair<const Database*, Connection*>> current_transactions;

std::int64_t ParseInt(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw PgError("22P02", "not an integer: " + std::string(text));
  }
  return value;
}

}  // namespace

std::string ByteaText(std::string_view bytes) {
  return "\\x" + crypto::ToHex(bytes);
}

// --- Rows ---

int Rows::Affected() const {
  const char* n = PQcmdTuples(result_.get());
  return (n == nullptr || *n == '\0') ? 0 : static_cast<int>(ParseInt(n));
}

std::int64_t Rows::Int(int row, int col) const {
  if (IsNull(row, col)) return 0;
  return ParseInt(TextView(row, col));
}

std::optional<std::int64_t> Rows::OptInt(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return ParseInt(TextView(row, col));
}

bool Rows::Bool(int row, int col) const {
  const auto text = TextView(row, col);
  return text == "t" || text == "true" || text == "1";
}

std::string Rows::Text(int row, int col) const {
  return std::string(TextView(row, col));
}

std::string_view Rows::TextView(int row, int col) const {
  return {PQgetvalue(result_.get(), row, col),
          static_cast<std::size_t>(PQgetlength(result_.get(), row, col))};
}

// --- ArrayLiteral ---

ArrayLiteral& ArrayLiteral::Int(std::int64_t value) {
  Separate();
  text_ += std::to_string(value);
  return *this;
}

ArrayLiteral& ArrayLiteral::Bool(bool value) {
  Separate();
  text_ += value ? "t" : "f";
  return *this;
}

ArrayLiteral& ArrayLiteral::Text(std::string_view value) {
  Separate();
  // Quoted, with quotes and backslashes escaped: any text, commas and braces included, is one
  // element (and "NULL" in quotes is the word, not a null).
  text_.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') text_.push_back('\\');
    text_.push_back(c);
  }
  text_.push_back('"');
  return *this;
}

ArrayLiteral& ArrayLiteral::Bytes(std::string_view bytes) {
  return Text(ByteaText(bytes));
}

ArrayLiteral& ArrayLiteral::Null() {
  Separate();
  text_ += "NULL";
  return *this;
}

Rows::Kind Rows::ColumnKind(int col) const {
  // Type oids from PostgreSQL's pg_type catalogue (stable across versions).
  switch (PQftype(result_.get(), col)) {
    case 20:  // int8
    case 21:  // int2
    case 23:  // int4
      return Kind::kInteger;
    case 16:  // bool
      return Kind::kBoolean;
    case 17:  // bytea
      return Kind::kBytes;
    default:
      return Kind::kText;
  }
}

std::string Rows::Bytes(int row, int col) const {
  const auto text = TextView(row, col);
  auto bytes = text.starts_with("\\x") ? crypto::FromHex(text.substr(2)) : std::nullopt;
  if (!bytes) throw PgError("22P02", "not a hex bytea value");
  return std::move(*bytes);
}

// --- Params ---

Params& Params::Add(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

Params& Params::Add(bool value) {
  values_.emplace_back(value ? "true" : "false");
  return *this;
}

Params& Params::Add(std::string_view value) {
  values_.emplace_back(std::string(value));
  return *this;
}

Params& Params::Add(const std::vector<std::int64_t>& values) {
  ArrayLiteral array;
  for (const auto value : values) array.Int(value);
  return Add(array);
}

Params& Params::AddBytes(std::string_view bytes) {
  values_.emplace_back(ByteaText(bytes));
  return *this;
}

Params& Params::AddNull() {
  values_.emplace_back(std::nullopt);
  return *this;
}

std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

// --- Connection ---

Connection::Connection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
    throw PgError("", "PostgreSQL connection failed: " + message);
  }
  // Server notices (e.g. "relation already exists, skipping") are not errors; keep logs quiet.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool Connection::Broken() const {
  return conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK;
}

Rows Connection::Check(PGresult* result, std::string_view sql) {
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Rows(result);
  std::string sqlstate;
  std::string message;
  if (result != nullptr) {
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) sqlstate = state;
    message = PQresultErrorMessage(result);
    PQclear(result);
  } else {
    message = PQerrorMessage(conn_);
  }
  // A statement that failed because the connection died reports no SQLSTATE of its own.
  if (Broken()) sqlstate.clear();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  throw PgError(sqlstate, message + " [" + std::string(sql.substr(0, 80)) + "]");
}

Rows Connection::Exec(std::string_view sql, const Params& params) {
  std::string key(sql);
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size() + 1);
    Check(PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr), sql);
    it = prepared_.emplace(std::move(key), std::move(name)).first;
  }
  const auto values = params.Pointers();
  return Check(
      PQexecPrepared(conn_, it->second.c_str(), params.size(), values.data(), nullptr, nullptr, 0),
      sql);
}

void Connection::ExecScript(std::string_view sql) {
  const std::string text(sql);
  Check(PQexec(conn_, text.c_str()), sql);
}

// --- Database ---

// A connection borrowed from the pool, given back when the lease ends (or dropped if broken).
class Database::Lease {
 public:
  Lease(Database* db, std::unique_ptr<Connection> connection)
      : db_(db), connection_(std::move(connection)) {}
  Lease(Lease&& other) noexcept = default;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    if (connection_) db_->Release(std::move(connection_));
  }
  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }

 private:
  Database* db_;
  std::unique_ptr<Connection> connection_;
};

Database::Database(std::string url, PoolOptions options) : url_(std::move(url)), options_(options) {
  if (options_.size < 1) options_.size = 1;
  // Fail at start-up, not on the first request, when the server cannot be reached.
  Release(std::make_unique<Connection>(url_));
  std::lock_guard lock(mutex_);
  open_ = 1;
}

Database::~Database() = default;

int Database::OpenConnections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

Database::Lease Database::Acquire() {
  std::unique_lock lock(mutex_);
  const bool ready = available_.wait_for(
      lock, options_.acquire_timeout, [this] { return !idle_.empty() || open_ < options_.size; });
  if (!ready) throw PgError("53300", "no PostgreSQL connection free within the pool's timeout");
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(connection));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(this, std::make_unique<Connection>(url_));
  } catch (...) {
    lock.lock();
    --open_;
    available_.notify_one();
    throw;
  }
}

void Database::Release(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  if (connection->Broken()) {
    --open_;  // a fresh one is opened on demand, so the pool heals after a server restart
  } else {
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

Connection* Database::CurrentTransaction() const {
  for (const auto& [db, connection] : current_transactions) {
    if (db == this) return connection;
  }
  return nullptr;
}

Rows Database::Exec(std::string_view sql, const Params& params) {
  if (Connection* tx = CurrentTransaction()) return tx->Exec(sql, params);
  auto lease = Acquire();
  return lease->Exec(sql, params);
}

void Database::ExecScript(std::string_view sql) {
  if (Connection* tx = CurrentTransaction()) return tx->ExecScript(sql);
  auto lease = Acquire();
  lease->ExecScript(sql);
}

Rows Database::ExecMayFail(std::string_view sql, const Params& params) {
  Connection* tx = CurrentTransaction();
  if (tx == nullptr) return Exec(sql, params);
  tx->ExecScript("SAVEPOINT may_fail");
  try {
    auto rows = tx->Exec(sql, params);
    tx->ExecScript("RELEASE SAVEPOINT may_fail");
    return rows;
  } catch (const PgError&) {
    if (!tx->Broken()) tx->ExecScript("ROLLBACK TO SAVEPOINT may_fail; RELEASE SAVEPOINT may_fail");
    throw;
  }
}

void Database::WithSession(const std::function<void(Connection&)>& work) {
  auto lease = Acquire();
  work(*lease);
}

void Database::Transaction(const std::function<void()>& work) {
  if (CurrentTransaction() != nullptr) {
    work();  // joins the outer transaction, which commits or rolls back as a whole
    return;
  }
  auto lease = Acquire();
  lease->ExecScript("BEGIN");
  current_transactions.emplace_back(this, &*lease);
  const auto leave = [this] {
    std::erase_if(current_transactions, [this](const auto& entry) { return entry.first == this; });
  };
  try {
    work();
    leave();
    lease->ExecScript("COMMIT");
  } catch (...) {
    leave();
    if (!lease->Broken()) {
      try {
        lease->ExecScript("ROLLBACK");
      } catch (const PgError&) {  // the connection died on the way; it is dropped on release
      }
    }
    throw;
  }
}

}  // namespace aimoviez::pg
