#include "work_queue.hpp"

#include <chrono>

namespace zkit::python {

bool WorkQueue::push(PyObject* owned) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    items_.push_back(owned);
    wake = waiting_ > 0;
  }
  // Only a consumer asleep needs the futex call; one that is running finds the item itself.
  if (wake) cv_.notify_one();
  return true;
}

bool WorkQueue::push_all(const std::vector<PyObject*>& owned) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    items_.insert(items_.end(), owned.begin(), owned.end());
    wake = waiting_ > 0;
  }
  if (wake) cv_.notify_one();
  return true;
}

PyObject* WorkQueue::pop(bool block, double timeout) {
  PyObject* item = nullptr;
  {
    std::lock_guard lock(mu_);
    if (!items_.empty()) {
      item = items_.front();
      items_.pop_front();
    }
  }
  if (item == nullptr && block && timeout != 0) {
    Py_BEGIN_ALLOW_THREADS
    {
      std::unique_lock lock(mu_);
      ++waiting_;
      auto ready = [&] { return !items_.empty(); };
      if (timeout < 0) cv_.wait(lock, ready);
      else cv_.wait_for(lock, std::chrono::duration<double>(timeout), ready);
      --waiting_;
      if (!items_.empty()) {
        item = items_.front();
        items_.pop_front();
      }
    }
    Py_END_ALLOW_THREADS
  }
  if (item == last_) {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  return item;
}

std::size_t WorkQueue::size() {
  std::lock_guard lock(mu_);
  return items_.size();
}

std::deque<PyObject*> WorkQueue::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  return std::move(items_);
}

}  // namespace zkit::python
