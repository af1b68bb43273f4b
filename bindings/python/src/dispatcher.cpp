#include "dispatcher.hpp"

namespace zkit::python {

void Dispatcher::push(Function<void()> f) {
  {
    std::lock_guard lock(mu_);
    items_.push_back(std::move(f));
  }
  cv_.notify_one();
}

void Dispatcher::release_later(PyObject* o) {
  {
    std::lock_guard lock(mu_);
    releases_.push_back(o);
  }
  cv_.notify_one();
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
}

void Dispatcher::run() {
  for (;;) {
    std::deque<Function<void()>> batch;
    std::vector<PyObject*> releases;
    bool done = false;
    Py_BEGIN_ALLOW_THREADS
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !items_.empty() || !releases_.empty(); });
      batch.swap(items_);
      releases.swap(releases_);
      done = stopping_ && batch.empty();
    }
    Py_END_ALLOW_THREADS
    for (auto& f : batch) {
      f();
      // The closure's Python references go here, under the GIL.
      f = nullptr;
    }
    for (PyObject* o : releases) Py_DECREF(o);
    if (done) return;
  }
}

}  // namespace zkit::python
