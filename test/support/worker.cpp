#include "worker.hpp"

namespace zkit::test_support {

Worker::Worker()
    : thread_([this] {
        std::unique_lock lock(mu_);
        for (;;) {
          cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
          if (jobs_.empty()) return;
          auto job = std::move(jobs_.front());
          jobs_.pop_front();
          lock.unlock();
          job();
          lock.lock();
        }
      }) {}

Worker::~Worker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Worker::post(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_all();
}

}  // namespace zkit::test_support
