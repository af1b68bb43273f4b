// Worker: a thread that runs jobs one after another, for tests that must block (kill or restart
// a ZooKeeper member) while their loop keeps running.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace zkit::test_support {

// Worker: a thread that runs jobs one after another. A ZooKeeper server the testing kit
// (re)starts dies when the *thread* that started it ends (PR_SET_PDEATHSIG), so the workers
// that restart members live as long as the ensemble does.
class Worker {
 public:
  Worker();
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  void post(std::function<void()> job);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the queue exists
};

}  // namespace zkit::test_support
