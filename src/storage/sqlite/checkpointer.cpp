#include "storage/sqlite/checkpointer.h"
#include "common/thread_name.h"
#include "storage/sqlite/database.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace aimoviez::sqlite {

Checkpointer::Checkpointer(const std::string& path, std::chrono::milliseconds interval)
    : interval_(interval) {
  ConfigureLibraryOnce();
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("checkpointer: open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, 1000);
  thread_ = std::thread([this] {
    NameThisThread("wal-checkpoint");
    Loop();
  });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  // A final full pass so the next start reads a short WAL.
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  sqlite3_close(db_);
}

void Checkpointer::Loop() {
  std::unique_lock lock(mutex_);
  while (!cv_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    int log_frames = 0, checkpointed = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames,
                                             &checkpointed);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn(R"({{"msg":"wal checkpoint failed","rc":{}}})", rc);
    }
    lock.lock();
  }
}

}  // namespace aimoviez::sqlite
