#include "cluster/redis_client.h"

#include <hiredis/hiredis.h>
#include <poll.h>

#include <boost/url/parse.hpp>

namespace aimoviez::redis {

namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

Reply CopyReply(const redisReply& r) {
  Reply out;
  switch (r.type) {
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r.elements);
      for (size_t i = 0; i < r.elements; ++i) out.elements.push_back(CopyReply(*r.element[i]));
      break;
    default:
      break;  // nil
  }
  return out;
}

// Frees the reply and turns an error answer into an exception (the connection stays usable).
Reply TakeReply(void* raw) {
  std::unique_ptr<redisReply, decltype(&freeReplyObject)> reply(static_cast<redisReply*>(raw),
                                                                &freeReplyObject);
  if (reply->type == REDIS_REPLY_ERROR) {
    throw RedisError(false, "redis: " + std::string(reply->str, reply->len));
  }
  return CopyReply(*reply);
}

void AppendArgv(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  redisAppendCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lengths.data());
}

}  // namespace

Endpoint Endpoint::Parse(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "redis") {
    throw std::invalid_argument("expected redis://[:password@]host[:port][/db]: " + url);
  }
  Endpoint e;
  if (!parsed->host().empty()) e.host = parsed->host();
  if (parsed->has_port()) e.port = parsed->port_number();
  if (parsed->has_password()) e.password = parsed->password();
  const std::string path = parsed->path();
  if (path.size() > 1) {
    const std::string db = path.substr(1);
    if (db.find_first_not_of("0123456789") != std::string::npos || db.size() > 2) {
      throw std::invalid_argument("the database number in a redis URL is 0-99: " + url);
    }
    e.db = std::stoi(db);
  }
  if (e.port <= 0 || e.port > 65535) throw std::invalid_argument("bad port in " + url);
  return e;
}

Connection::Connection(const Endpoint& endpoint, std::chrono::milliseconds timeout) {
  context_ = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, ToTimeval(timeout));
  if (context_ == nullptr) throw RedisError(true, "redis: out of memory connecting");
  try {
    if (context_->err != 0) {
      Fail("connect to " + endpoint.host + ":" + std::to_string(endpoint.port));
    }
    redisSetTimeout(context_, ToTimeval(timeout));
    if (!endpoint.password.empty()) Command({"AUTH", endpoint.password});
    if (endpoint.db != 0) Command({"SELECT", std::to_string(endpoint.db)});
  } catch (...) {
    redisFree(context_);  // a throwing constructor runs no destructor
    context_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  if (context_ != nullptr) redisFree(context_);
}

void Connection::Fail(const std::string& what) {
  broken_ = true;
  throw RedisError(true, "redis: " + what + ": " + context_->errstr);
}

Reply Connection::Command(const std::vector<std::string>& args) {
  if (broken_) throw RedisError(true, "redis: connection already failed");
  AppendArgv(context_, args);
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) Fail(args.front());
  return TakeReply(raw);
}

void Connection::Send(const std::vector<std::string>& args) {
  if (broken_) throw RedisError(true, "redis: connection already failed");
  AppendArgv(context_, args);
  int done = 0;
  while (done == 0) {
    if (redisBufferWrite(context_, &done) != REDIS_OK) Fail("send " + args.front());
  }
}

bool Connection::Receive(Reply& reply, std::chrono::milliseconds wait) {
  if (broken_) throw RedisError(true, "redis: connection already failed");
  void* raw = nullptr;
  if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) Fail("read");
  if (raw == nullptr) {
    pollfd pfd{context_->fd, POLLIN, 0};
    const int ready = poll(&pfd, 1, static_cast<int>(wait.count()));
    if (ready == 0) return false;
    if (ready < 0) return false;  // EINTR: the caller loops
    if (redisBufferRead(context_) != REDIS_OK) Fail("read");
    if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) Fail("read");
    if (raw == nullptr) return false;  // part of a reply: the rest comes with the next poll
  }
  reply = TakeReply(raw);
  return true;
}

Pool::Pool(Endpoint endpoint, int size, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), size_(size), timeout_(timeout) {}

Pool::~Pool() = default;

std::unique_ptr<Connection> Pool::Acquire() {
  std::unique_lock lock(mutex_);
  if (!freed_.wait_for(lock, timeout_, [&] { return !idle_.empty() || open_ < size_; })) {
    throw RedisError(true, "redis: no free connection within the timeout");
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }
  ++open_;
  lock.unlock();
  try {
    return std::make_unique<Connection>(endpoint_, timeout_);
  } catch (...) {
    lock.lock();
    --open_;
    freed_.notify_one();
    throw;
  }
}

void Pool::Release(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  if (connection->broken()) {
    --open_;  // dropped: the next caller connects afresh
  } else {
    idle_.push_back(std::move(connection));
  }
  freed_.notify_one();
}

Reply Pool::Command(const std::vector<std::string>& args) {
  auto connection = Acquire();
  try {
    Reply reply = connection->Command(args);
    Release(std::move(connection));
    return reply;
  } catch (...) {
    Release(std::move(connection));
    throw;
  }
}

}  // namespace aimoviez::redis
