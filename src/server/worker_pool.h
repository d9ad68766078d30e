// WorkerPool: a fixed set of threads for work that may block (a store query
// waiting behind a commit, an Argon2id token check of some 20 ms), so that
// it does not run on, and stall, an HTTP event-loop thread.
//
// Contract:
//  - Submit() is thread-safe; tasks start in submission order.
//  - A task must not throw (one that does ends the process, as an uncaught
//    exception on any thread does).
//  - The destructor runs every task already submitted, then joins.
#ifndef DUALUSE_SRC_SERVER_WORKER_POOL_H_
#define DUALUSE_SRC_SERVER_WORKER_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dualuse::server {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(std::function<void()> task);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace dualuse::server

#endif  // DUALUSE_SRC_SERVER_WORKER_POOL_H_
