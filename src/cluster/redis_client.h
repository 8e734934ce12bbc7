// A small, blocking Redis client over hiredis for cluster mode: a bounded pool of connections,
// every command sent as an argument vector (values never spliced into command text), a timeout
// on connecting and on every reply, and connections that broke dropped and made again on the
// next call. Only files under src/cluster include this.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;

namespace aimoviez::redis {

// Redis could not be reached or did not answer in time (`unavailable`), or it answered a command
// with an error (a script bug, a wrong type).
class RedisError : public std::runtime_error {
 public:
  RedisError(bool unavailable, const std::string& message)
      : std::runtime_error(message), unavailable_(unavailable) {}
  bool unavailable() const { return unavailable_; }

 private:
  bool unavailable_;
};

// One reply, copied out of hiredis's reply object.
struct Reply {
  enum class Type { kNil, kInteger, kString, kStatus, kArray };
  Type type = Type::kNil;
  std::int64_t integer = 0;
  std::string text;  // kString and kStatus
  std::vector<Reply> elements;
};

// Where a Redis server is: redis://[:password@]host[:port][/db].
struct Endpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;
  int db = 0;
  static Endpoint Parse(const std::string& url);  // throws std::invalid_argument
};

// One connection. Not thread-safe; the pool hands it to one caller at a time.
class Connection {
 public:
  Connection(const Endpoint& endpoint, std::chrono::milliseconds timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Reply Command(const std::vector<std::string>& args);
  // A connection that failed at the transport level cannot be used again.
  bool broken() const { return broken_; }
  // For the subscriber loop: send without waiting for the answer, then read what has arrived.
  void Send(const std::vector<std::string>& args);
  // The next reply if one arrives within `wait`; nullopt-like false when none did.
  bool Receive(Reply& reply, std::chrono::milliseconds wait);

 private:
  [[noreturn]] void Fail(const std::string& what);
  redisContext* context_ = nullptr;
  bool broken_ = false;
};

// A bounded pool: at most `size` connections; a caller that finds none free waits up to the
// timeout, then gets RedisError(unavailable).
class Pool {
 public:
  Pool(Endpoint endpoint, int size, std::chrono::milliseconds timeout);
  ~Pool();

  Reply Command(const std::vector<std::string>& args);
  const Endpoint& endpoint() const { return endpoint_; }
  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> connection);

  Endpoint endpoint_;
  int size_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace aimoviez::redis
