#include "dispatcher.hpp"

namespace zkit::python {

// The dispatcher waits only while both queues are empty, so only the push that makes them
// non-empty wakes it: the loop thread pays for one wake-up (a futex call) per batch, not per
// completion.
void Dispatcher::push(Function<void()> f) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    wake = items_.empty() && releases_.empty();
    items_.push_back(std::move(f));
  }
  if (wake) cv_.notify_one();
}

void Dispatcher::release_later(PyObject* o) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    wake = items_.empty() && releases_.empty();
    releases_.push_back(o);
  }
  if (wake) cv_.notify_one();
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
}

void Dispatcher::run(PyObject* after_batch) {
  for (;;) {
    std::deque<Function<void()>> batch;
    std::vector<PyObject*> releases;
    bool done = false;
    auto ready = [&] { return stopping_ || !items_.empty() || !releases_.empty(); };
    auto take = [&] {
      batch.swap(items_);
      releases.swap(releases_);
      done = stopping_ && batch.empty();
    };
    // What came while the last batch ran is taken keeping the GIL: letting go of it and taking
    // it back for every batch hands it to another thread and waits (a switch interval, or that
    // thread's next wait) to get it back. The loop thread never waits for the GIL while it
    // holds mu_, so holding both here is safe; Python code run below still yields the GIL at
    // the interpreter's switch interval.
    std::unique_lock lock(mu_);
    if (ready()) {
      take();
      lock.unlock();
    } else {
      lock.unlock();
      Py_BEGIN_ALLOW_THREADS
      {
        std::unique_lock wait_lock(mu_);
        cv_.wait(wait_lock, ready);
        take();
      }
      Py_END_ALLOW_THREADS
    }
    for (auto& f : batch) {
      f();
      // The closure's Python references go here, under the GIL.
      f = nullptr;
    }
    for (PyObject* o : releases) Py_DECREF(o);
    if (after_batch != nullptr && after_batch != Py_None && !batch.empty()) {
      PyObject* r = PyObject_CallNoArgs(after_batch);
      if (r == nullptr) PyErr_WriteUnraisable(after_batch);
      Py_XDECREF(r);
    }
    if (done) return;
  }
}

}  // namespace zkit::python
