// Moves WAL checkpoints off the commit path: the main connection's automatic checkpoint is
// turned off and this thread runs a PASSIVE checkpoint on its own connection every interval, so
// a vote batch never waits for the WAL to be copied back into the database file.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace aimoviez::sqlite {

class Checkpointer {
 public:
  Checkpointer(const std::string& path, std::chrono::milliseconds interval);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  void Loop();

  sqlite3* db_ = nullptr;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace aimoviez::sqlite
