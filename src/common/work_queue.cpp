#include "common/work_queue.h"
#include "common/thread_name.h"

namespace aimoviez {

WorkQueue::WorkQueue(int threads, std::size_t max_pending) : max_pending_(max_pending) {
  for (int i = 0; i < threads; ++i)
    threads_.emplace_back([this, i] {
      NameThisThread("blocking-" + std::to_string(i));
      Run();
    });
}

WorkQueue::~WorkQueue() {
  Stop();
}

bool WorkQueue::TryPost(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || jobs_.size() >= max_pending_) return false;
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void WorkQueue::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkQueue::Run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and everything queued has run
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

}  // namespace aimoviez
