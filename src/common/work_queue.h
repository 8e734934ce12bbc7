// A small fixed pool for blocking work that must not run on the HTTP threads (ffprobe during an
// upload's registration): a few threads and a bounded queue, so a burst is refused (503) rather
// than queued without limit.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace aimoviez {

class WorkQueue {
 public:
  WorkQueue(int threads, std::size_t max_pending);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `job`; false when the queue is full or stopping. Jobs must not throw.
  bool TryPost(std::function<void()> job);
  // Runs what is queued, then stops the threads.
  void Stop();

 private:
  void Run();

  std::size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace aimoviez
