#include "worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace dualuse::server {
namespace {

TEST(WorkerPoolTest, DestructorRunsEveryTaskSubmitted) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(3);
    std::vector<std::thread> submitters;
    for (int t = 0; t < 4; ++t) {
      submitters.emplace_back([&] {
        for (int i = 0; i < 250; ++i)
          pool.Submit([&ran] { ++ran; });
      });
    }
    for (auto& t : submitters)
      t.join();
  }
  EXPECT_EQ(ran.load(), 1000);
}

// Two tasks that each wait for the other finish only when the pool runs
// them at once: a pool of 2 has 2 threads.
TEST(WorkerPoolTest, TasksRunConcurrently) {
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  std::atomic<int> met{0};
  {
    WorkerPool pool(2);
    for (int i = 0; i < 2; ++i) {
      pool.Submit([&] {
        std::unique_lock lock(mu);
        ++arrived;
        cv.notify_all();
        if (cv.wait_for(lock, std::chrono::seconds(20), [&] { return arrived == 2; })) ++met;
      });
    }
  }
  EXPECT_EQ(met.load(), 2);
}

TEST(WorkerPoolTest, NonPositiveSizeStillRunsTasks) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(0);
    pool.Submit([&ran] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 1);
}

}  // namespace
}  // namespace dualuse::server
