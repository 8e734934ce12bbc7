#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "common/work_queue.h"

namespace aimoviez {
namespace {

TEST(WorkQueue, RunsJobsOffTheCallerAndRefusesWhenFull) {
  WorkQueue queue(1, 2);
  std::promise<void> release;
  auto gate = release.get_future().share();
  std::atomic<int> done{0};
  std::promise<void> started;
  ASSERT_TRUE(queue.TryPost([&] {
    started.set_value();
    gate.wait();
    ++done;
  }));
  started.get_future().wait();  // the one thread is busy now
  EXPECT_TRUE(queue.TryPost([&] { ++done; }));
  EXPECT_TRUE(queue.TryPost([&] { ++done; }));
  EXPECT_FALSE(queue.TryPost([&] { ++done; }));  // two pending is the limit
  release.set_value();
  queue.Stop();  // runs what was queued
  EXPECT_EQ(done.load(), 3);
  EXPECT_FALSE(queue.TryPost([] {}));
}

}  // namespace
}  // namespace aimoviez
